/** PinnedHelmRelease: a chart at its pinned version, values from helm-values/ merged with computed ones, atomic. */
import * as path from "path";
import { tempValuesFiles } from "../temp-files";
import { TerraformVariable } from "cdktf";
import { PinnedHelmRelease, PinnedHelmReleaseProps } from "../../../constructs/k8s/pinned-helm-release";
import { HELM_VALUES_DIR, loadHelmValues } from "../../../constructs/k8s/helm-values";
import { emptyStack, helmStack, only, synth, TfJson } from "../support";

const pin = { repository: "https://kubernetes-sigs.github.io/metrics-server/", chart: "metrics-server", version: "3.12.2", appVersion: "0.7.2" };
const props: PinnedHelmReleaseProps = { pin, releaseName: "metrics-server", namespace: "kube-system" };

function release(overrides: Partial<PinnedHelmReleaseProps> = {}): TfJson {
  const stack = helmStack();
  new PinnedHelmRelease(stack, "r", { ...props, ...overrides });
  return only(synth(stack), "helm_release");
}
const valuesOf = (r: TfJson) => JSON.parse(r.values[0]);
/** A values file of its own in a temporary directory. */
const tempValuesFile = tempValuesFiles("pinned-helm-release");

test("PinnedHelmRelease: the chart, repository and version are the pin's; release name and namespace as given", () => {
  expect(release()).toMatchObject({
    chart: "metrics-server",
    repository: "https://kubernetes-sigs.github.io/metrics-server/",
    version: "3.12.2",
    name: "metrics-server",
    namespace: "kube-system",
  });
});

test("PinnedHelmRelease: atomic, a failed install or upgrade is rolled back and cleaned up rather than left half-applied", () => {
  expect(release()).toMatchObject({ atomic: true, cleanup_on_fail: true, wait: true });
});

test("PinnedHelmRelease: Helm waits 600 s by default; timeoutSeconds overrides it", () => {
  expect(release().timeout).toBe(600);
  expect(release({ timeoutSeconds: 1200 }).timeout).toBe(1200);
});

test("PinnedHelmRelease: Helm keeps a bounded release history (10 revisions)", () => {
  expect(release().max_history).toBe(10);
});

test("PinnedHelmRelease: values come from helm-values/<chart>.yaml by default", () => {
  const r = release();
  expect(valuesOf(r)).toEqual(loadHelmValues(path.join(HELM_VALUES_DIR, "metrics-server.yaml")));
  expect(valuesOf(r).replicas).toBe(2);
});

test("PinnedHelmRelease: valuesFile names another file, relative to helm-values/ or absolute", () => {
  expect(valuesOf(release({ valuesFile: "cluster-autoscaler.yaml" }))).toEqual(loadHelmValues(path.join(HELM_VALUES_DIR, "cluster-autoscaler.yaml")));
  expect(valuesOf(release({ valuesFile: tempValuesFile("replicas: 3\n") }))).toEqual({ replicas: 3 });
});

test("PinnedHelmRelease: computed values are merged over the file's, mappings key by key", () => {
  const file = tempValuesFile("replicas: 2\nresources:\n  requests:\n    cpu: 100m\n");
  const values = valuesOf(release({ valuesFile: file, computedValues: { clusterName: "c", resources: { requests: { memory: "200Mi" } } } }));
  expect(values).toEqual({ replicas: 2, clusterName: "c", resources: { requests: { cpu: "100m", memory: "200Mi" } } });
});

test("PinnedHelmRelease: the file may not set a computed value", () => {
  const file = tempValuesFile("resources:\n  requests:\n    cpu: 100m\n");
  expect(() => release({ valuesFile: file, computedValues: { resources: { requests: { cpu: "200m" } } } })).toThrow(
    `${file}: resources.requests.cpu is computed from the stacks; remove it from the file`,
  );
});

test("PinnedHelmRelease: a values file that is not a mapping fails at synth, naming the file", () => {
  const file = tempValuesFile("- a\n- b\n");
  expect(() => release({ valuesFile: file })).toThrow(`${file}: not a valid Helm values file: the top level must be a mapping of keys to values`);
});

test("PinnedHelmRelease: values reach Helm as one JSON document; references in computed values become Terraform interpolations", () => {
  const stack = helmStack();
  const roleArn = new TerraformVariable(stack, "role_arn", { type: "string" });
  new PinnedHelmRelease(stack, "r", { ...props, valuesFile: tempValuesFile(""), computedValues: { serviceAccount: { roleArn: roleArn.stringValue } } });
  const r = only(synth(stack), "helm_release");
  expect(r.values).toHaveLength(1);
  expect(valuesOf(r)).toEqual({ serviceAccount: { roleArn: "${var.role_arn}" } });
});

test("PinnedHelmRelease: the merged values are exposed as handed to Helm", () => {
  const stack = helmStack();
  const file = tempValuesFile("replicas: 2\n");
  const hr = new PinnedHelmRelease(stack, "r", { ...props, valuesFile: file, computedValues: { clusterName: "c" } });
  expect(hr.values).toEqual({ replicas: 2, clusterName: "c" });
  expect(valuesOf(only(synth(stack), "helm_release"))).toEqual(hr.values);
});

test("PinnedHelmRelease: a release name Helm accepts and a timeout within an hour", () => {
  const pin = { repository: "https://example.com", chart: "metrics-server", version: "1.0.0", appVersion: "1" };
  expect(() => new PinnedHelmRelease(emptyStack(), "r", { pin, releaseName: "Metrics_Server", namespace: "kube-system" })).toThrow(
    'PinnedHelmRelease r: releaseName must be at most 53 lower-case letters, digits and -, not starting or ending with -, got "Metrics_Server"',
  );
  expect(() => new PinnedHelmRelease(emptyStack(), "r", { pin, releaseName: "metrics-server", namespace: "kube-system", timeoutSeconds: 0 })).toThrow(
    "PinnedHelmRelease r: timeoutSeconds must be a whole number from 1 to 3600, got 0",
  );
});

test("PinnedHelmRelease: a release name of 53 characters is accepted, 54 is not; a timeout of 3600 s is, 3601 is not", () => {
  expect(release({ releaseName: "a".repeat(53) }).name).toHaveLength(53);
  expect(() => release({ releaseName: "a".repeat(54) })).toThrow(/releaseName must be at most 53/);
  expect(release({ timeoutSeconds: 3600 }).timeout).toBe(3600);
  expect(() => release({ timeoutSeconds: 3601 })).toThrow("PinnedHelmRelease r: timeoutSeconds must be a whole number from 1 to 3600, got 3601");
});
