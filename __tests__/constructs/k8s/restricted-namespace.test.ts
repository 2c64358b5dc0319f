/** RestrictedNamespace: a namespace under the `restricted` Pod Security Standard, at a pinned version. */
import { RestrictedNamespace, RestrictedNamespaceProps } from "../../../constructs/k8s/restricted-namespace";
import { emptyStack, kubernetesStack, only, resolved, synth, TfJson } from "../support";

function build(overrides: Partial<RestrictedNamespaceProps> = {}): TfJson {
  const stack = kubernetesStack();
  new RestrictedNamespace(stack, "ns", { name: "factory-system", podSecurityVersion: "v1.35", ...overrides });
  return only(synth(stack), "kubernetes_namespace_v1").metadata;
}

test("RestrictedNamespace: the API server enforces the restricted profile, and warns and audits the same", () => {
  expect(build().labels).toMatchObject({
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
  });
});

test("RestrictedNamespace: enforce, warn and audit are pinned to podSecurityVersion (not latest)", () => {
  expect(build({ podSecurityVersion: "v1.33" }).labels).toMatchObject({
    "pod-security.kubernetes.io/enforce-version": "v1.33",
    "pod-security.kubernetes.io/warn-version": "v1.33",
    "pod-security.kubernetes.io/audit-version": "v1.33",
  });
});

test("RestrictedNamespace: the namespace is named name and carries only the Pod Security labels by default", () => {
  const metadata = build();
  expect(metadata.name).toBe("factory-system");
  expect(Object.keys(metadata.labels).every((k) => k.startsWith("pod-security.kubernetes.io/"))).toBe(true);
  expect(Object.keys(metadata.labels)).toHaveLength(6);
});

test("RestrictedNamespace: labels are added, but cannot weaken the Pod Security labels", () => {
  const labels = build({
    labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled", "pod-security.kubernetes.io/enforce": "privileged" },
  }).labels;
  expect(labels["elbv2.k8s.aws/pod-readiness-gate-inject"]).toBe("enabled");
  expect(labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
});

test("RestrictedNamespace: name is the namespace's name as given", () => {
  const stack = kubernetesStack();
  const ns = new RestrictedNamespace(stack, "ns", { name: "factory-runs", podSecurityVersion: "v1.35" });
  expect(resolved(ns, ns.name)).toBe("factory-runs");
});

test("RestrictedNamespace: the Pod Security version is a pinned minor, not latest", () => {
  expect(() => new RestrictedNamespace(emptyStack(), "ns", { name: "n", podSecurityVersion: "latest" })).toThrow(
    'RestrictedNamespace n: podSecurityVersion must be a Kubernetes minor such as v1.35, got "latest"',
  );
});

test("RestrictedNamespace: a patch version or a version without v is refused too", () => {
  expect(() => build({ podSecurityVersion: "v1.35.1" })).toThrow('got "v1.35.1"');
  expect(() => build({ podSecurityVersion: "1.35" })).toThrow('got "1.35"');
});
