/** RunnerNamespace: the runner Jobs' restricted namespace, with a ResourceQuota and a LimitRange. */
import { RunnerNamespace, RunnerNamespaceProps } from "../../../constructs/k8s/runner-namespace";
import { emptyStack, kubernetesStack, only, ref, synth, TfJson } from "../support";

const props: RunnerNamespaceProps = { name: "factory-runs", podSecurityVersion: "v1.35", quota: { cpuMillis: 4000, memory: "8Gi", pods: 10 } };

function build(overrides: Partial<RunnerNamespaceProps> = {}): TfJson {
  const stack = kubernetesStack();
  new RunnerNamespace(stack, "r", { ...props, ...overrides });
  return synth(stack);
}
const containerLimits = (json: TfJson) => only(json, "kubernetes_limit_range_v1").spec.limit[0];

test("RunnerNamespace: a restricted namespace at the pinned Pod Security version", () => {
  const ns = only(build(), "kubernetes_namespace_v1").metadata;
  expect(ns.name).toBe("factory-runs");
  expect(ns.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "v1.35" });
});

test("RunnerNamespace: a ResourceQuota bounds the Jobs' CPU and memory requests and their pods", () => {
  const json = build();
  const quota = only(json, "kubernetes_resource_quota_v1");
  expect(quota.metadata).toEqual({ name: "runner-jobs", namespace: ref(json, "kubernetes_namespace_v1", "metadata[0].name") });
  expect(quota.spec.hard).toEqual({ "requests.cpu": "4000m", "requests.memory": "8Gi", pods: "10" });
});

test("RunnerNamespace: every container gets 250m/512Mi requested and 1 CPU/2Gi limits by default, at most the whole quota", () => {
  const json = build();
  expect(only(json, "kubernetes_limit_range_v1").metadata.name).toBe("runner-containers");
  expect(containerLimits(json)).toEqual({
    type: "Container",
    default_request: { cpu: "250m", memory: "512Mi" },
    default: { cpu: "1000m", memory: "2048Mi" },
    max: { cpu: "4000m", memory: "8192Mi" },
  });
});

test("RunnerNamespace: containerMax caps one container at what one node has room for, when below the quota", () => {
  const limits = containerLimits(build({ containerMax: { cpuMillis: 1500, memoryMiB: 6000 } }));
  expect(limits.max).toEqual({ cpu: "1500m", memory: "6000Mi" });
  expect(containerLimits(build({ containerMax: { cpuMillis: 64000, memoryMiB: 256000 } })).max).toEqual({ cpu: "4000m", memory: "8192Mi" });
});

test("RunnerNamespace: a cap below the default requests and limits lowers them to the cap", () => {
  const limits = containerLimits(build({ quota: { cpuMillis: 200, memory: "256Mi", pods: 1 } }));
  expect(limits.default_request).toEqual({ cpu: "200m", memory: "256Mi" });
  expect(limits.default).toEqual({ cpu: "200m", memory: "256Mi" });
});

test("RunnerNamespace: a quota of at least 100 millicores and 1 pod", () => {
  expect(() => new RunnerNamespace(emptyStack(), "r", { name: "r", podSecurityVersion: "v1.35", quota: { cpuMillis: 50, memory: "1Gi", pods: 1 } })).toThrow(
    "quota.cpuMillis must be a whole number of at least 100, got 50",
  );
  expect(() => new RunnerNamespace(emptyStack(), "r", { name: "r", podSecurityVersion: "v1.35", quota: { cpuMillis: 1000, memory: "1Gi", pods: 0 } })).toThrow(
    "quota.pods must be a whole number of at least 1, got 0",
  );
});

test("RunnerNamespace: with priorityClassName, a second quota admits no pod of another class or of none (a Job cannot raise itself)", () => {
  const json = build({ priorityClassName: "factory-runners" });
  const quotas = Object.values(json.resource.kubernetes_resource_quota_v1 as Record<string, TfJson>);
  const priority = quotas.find((q) => q.metadata.name === "runner-priority")!;
  expect(priority.spec).toEqual({
    hard: { pods: "0" },
    scope_selector: { match_expression: [{ scope_name: "PriorityClass", operator: "NotIn", values: ["factory-runners"] }] },
  });
  expect(priority.metadata.namespace).toBe(ref(json, "kubernetes_namespace_v1", "metadata[0].name"));
});

test("RunnerNamespace: without priorityClassName, any class is admitted (one quota)", () => {
  expect(only(build(), "kubernetes_resource_quota_v1").metadata.name).toBe("runner-jobs");
});
