/** ClusterAutoscaler: the chart at its pin, finding the node group by auto-discovery, its image's minor the cluster's. */
import * as path from "path";
import { TerraformVariable } from "cdktf";
import { ClusterAutoscaler, ClusterAutoscalerProps } from "../../../../constructs/addons/cluster-autoscaler/release";
import { HELM_VALUES_DIR, loadHelmValues } from "../../../../constructs/k8s/helm-values";
import { CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } from "../../../../constructs/addons/cluster-autoscaler/role";
import { CLUSTER_AUTOSCALER_EXPENDABLE_CUTOFF, PRIORITY_VALUES } from "../../../../constructs/k8s/priority-classes";
import { helmStack, only, synth, TfJson } from "../../support";

const pin = { repository: "https://kubernetes.github.io/autoscaler", chart: "cluster-autoscaler", version: "9.59.0", appVersion: "1.35.0" };
const ROLE_ARN = "arn:aws:iam::111122223333:role/attractor-factory-cluster-autoscaler";
const props: ClusterAutoscalerProps = {
  pin,
  imageTag: "v1.35.2",
  kubernetesVersion: "1.35",
  clusterName: "attractor-factory",
  region: "us-west-2",
  roleArn: ROLE_ARN,
};

function build(overrides: Partial<ClusterAutoscalerProps> = {}) {
  const stack = helmStack();
  const autoscaler = new ClusterAutoscaler(stack, "cluster-autoscaler", { ...props, ...overrides });
  const release = only(synth(stack), "helm_release");
  return { autoscaler, release, values: JSON.parse(release.values[0]) as TfJson };
}

test("ClusterAutoscaler: the pinned chart, released as cluster-autoscaler in kube-system", () => {
  expect(build().release).toMatchObject({
    name: "cluster-autoscaler",
    namespace: "kube-system",
    repository: "https://kubernetes.github.io/autoscaler",
    chart: "cluster-autoscaler",
    version: "9.59.0",
  });
});

test("ClusterAutoscaler: a PinnedHelmRelease: atomic, rolled back on failure, bounded history", () => {
  expect(build().release).toMatchObject({ atomic: true, cleanup_on_fail: true, wait: true, timeout: 600, max_history: 10 });
});

test("ClusterAutoscaler: AWS, in the given region, finding the node group's Auto Scaling group by the cluster's tags (auto-discovery)", () => {
  expect(build().values).toMatchObject({ cloudProvider: "aws", awsRegion: "us-west-2", autoDiscovery: { clusterName: "attractor-factory" } });
});

test("ClusterAutoscaler: the image at the given tag (the chart's default image repository)", () => {
  expect(build().values.image).toEqual({ tag: "v1.35.2" });
});

test("ClusterAutoscaler: the chart creates the service account the IRSA role trusts, annotated with the role", () => {
  expect(CLUSTER_AUTOSCALER_SERVICE_ACCOUNT).toEqual({ namespace: "kube-system", name: "cluster-autoscaler" });
  expect(build().values.rbac.serviceAccount).toEqual({
    create: true,
    name: "cluster-autoscaler",
    annotations: { "eks.amazonaws.com/role-arn": ROLE_ARN },
  });
});

test("ClusterAutoscaler: the static values are helm-values/cluster-autoscaler.yaml's", () => {
  const file = loadHelmValues(path.join(HELM_VALUES_DIR, "cluster-autoscaler.yaml"));
  const { values } = build();
  expect(values).toMatchObject(file);
  expect(Object.keys(values).sort()).toEqual([...Object.keys(file), "cloudProvider", "awsRegion", "autoDiscovery", "image", "rbac"].sort());
});

test("ClusterAutoscaler: nodes with pods' emptyDir scratch space can still be removed; the expander wastes least", () => {
  expect(build().values.extraArgs).toMatchObject({ "skip-nodes-with-local-storage": false, expander: "least-waste" });
});

test("ClusterAutoscaler: every factory PriorityClass is at or above the expendable cutoff, so Pending runner Jobs still get nodes", () => {
  const cutoff = build().values.extraArgs["expendable-pods-priority-cutoff"];
  expect(cutoff).toBe(CLUSTER_AUTOSCALER_EXPENDABLE_CUTOFF);
  expect(Math.min(...Object.values(PRIORITY_VALUES))).toBeGreaterThanOrEqual(cutoff);
});

test.each([
  ["v1.34.5", "1.35"],
  ["v1.36.1", "1.35"],
  ["1.35.2", "1.35"],
  ["v1.35.2", "1.3"],
  ["v1.35", "1.35"],
])("ClusterAutoscaler: an image tag %s whose minor is not Kubernetes %s is refused", (imageTag, kubernetesVersion) => {
  expect(() => build({ imageTag, kubernetesVersion })).toThrow(
    `ClusterAutoscaler: image tag ${imageTag} does not match Kubernetes ${kubernetesVersion} (the minors must match)`,
  );
});

test("ClusterAutoscaler: any patch of the cluster's minor is accepted", () => {
  expect(build({ imageTag: "v1.34.5", kubernetesVersion: "1.34" }).values.image.tag).toBe("v1.34.5");
  expect(build({ imageTag: "v1.36.10", kubernetesVersion: "1.36" }).values.image.tag).toBe("v1.36.10");
});

test("ClusterAutoscaler: a refused image tag adds nothing to the stack", () => {
  const stack = helmStack();
  const before = stack.node.children.length;
  expect(() => new ClusterAutoscaler(stack, "cluster-autoscaler", { ...props, imageTag: "v1.34.5" })).toThrow(/minors must match/);
  expect(stack.node.children.length).toBe(before);
});

test("ClusterAutoscaler: references to the other stacks become Terraform interpolations in the values", () => {
  const stack = helmStack();
  const v = (name: string) => new TerraformVariable(stack, name, { type: "string" }).stringValue;
  new ClusterAutoscaler(stack, "cluster-autoscaler", { ...props, clusterName: v("cluster"), roleArn: v("role") });
  const values = JSON.parse(only(synth(stack), "helm_release").values[0]);
  expect(values.autoDiscovery).toEqual({ clusterName: "${var.cluster}" });
  expect(values.rbac.serviceAccount.annotations).toEqual({ "eks.amazonaws.com/role-arn": "${var.role}" });
});
