/** The app stack's namespaces, the runner namespace and RBAC. */
import { synthPlatform, resourcesOf, TfJson } from "../../helpers";
import { app, named, key, NS, RUNS } from "./support";

describe("providers", () => {
  test("kubernetes provider from the eks stack with exec authentication; random provider; the AWS provider only reads (no aws_ resource)", () => {
    const k = app.provider.kubernetes[0];
    expect(k.host).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-attractor-factory-eks\./);
    expect(k.exec[0]).toMatchObject({ command: "aws", api_version: "client.authentication.k8s.io/v1beta1" });
    expect(k.exec[0].args.slice(0, 2)).toEqual(["eks", "get-token"]);
    expect(k).not.toHaveProperty("token");
    expect(app.provider).toHaveProperty("random");
    expect(Object.keys(app.resource).filter((type) => type.startsWith("aws_"))).toEqual([]);
    expect(Object.keys(app.data)).toContain("aws_ecr_image");
  });
});

describe("namespaces", () => {
  test.each(["factory-system", "factory-runs"])(
    "%s is under the restricted Pod Security Standard (enforce, audit, warn), pinned to the cluster's minor",
    (name) => {
      expect(named(app, "kubernetes_namespace_v1", name).metadata.labels).toMatchObject({
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "v1.35",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/audit-version": "v1.35",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/warn-version": "v1.35",
      });
    },
  );

  test("the Pod Security version follows FACTORY_KUBERNETES_VERSION", () => {
    const next = synthPlatform({ FACTORY_KUBERNETES_VERSION: "1.36" }).app;
    expect(named(next, "kubernetes_namespace_v1", "factory-runs").metadata.labels["pod-security.kubernetes.io/enforce-version"]).toBe("v1.36");
  });

  test("the services' namespace has the load balancer controller's readiness gate injection", () => {
    expect(named(app, "kubernetes_namespace_v1", "factory-system").metadata.labels["elbv2.k8s.aws/pod-readiness-gate-inject"]).toBe("enabled");
  });

  test("FACTORY_RUNNER_NAMESPACE names the runner namespace", () => {
    const other = synthPlatform({ FACTORY_RUNNER_NAMESPACE: "jobs" }).app;
    expect(
      resourcesOf(other, "kubernetes_namespace_v1")
        .map((n) => n.metadata.name)
        .sort(),
    ).toEqual(["factory-system", "jobs"]);
  });

  const RUNNER_OBJECTS = [
    "kubernetes_resource_quota_v1 runner-jobs",
    "kubernetes_resource_quota_v1 runner-priority",
    "kubernetes_limit_range_v1 runner-containers",
    "kubernetes_service_account_v1 factory-runner",
    "kubernetes_role_v1 factory-runner-controller-jobs",
    "kubernetes_role_binding_v1 factory-runner-controller-jobs",
    "kubernetes_role_v1 factory-api-shells",
    "kubernetes_role_binding_v1 factory-api-shells",
    "kubernetes_network_policy_v1 default-deny",
    "kubernetes_network_policy_v1 dns",
    "kubernetes_network_policy_v1 egress",
  ];

  test("the runner namespace holds the Jobs' quota, limits, account, the Roles on it and its policies; nothing else", () => {
    const inRuns = Object.entries(app.resource as Record<string, Record<string, TfJson>>).flatMap(([type, resources]) =>
      Object.values(resources)
        .filter((r) => r.metadata?.namespace === RUNS)
        .map((r) => `${type} ${r.metadata.name}`),
    );
    expect(inRuns.sort()).toEqual([...RUNNER_OBJECTS].sort());
  });

  test("every other namespaced object is in the services' namespace", () => {
    for (const [type, resources] of Object.entries(app.resource as Record<string, Record<string, TfJson>>)) {
      // Cluster-wide objects and what is not Kubernetes.
      if (["kubernetes_namespace_v1", "kubernetes_priority_class_v1", "random_password"].includes(type)) continue;
      for (const r of Object.values(resources)) {
        if (r.metadata.namespace !== RUNS) expect([type, r.metadata.name, r.metadata.namespace]).toEqual([type, r.metadata.name, NS]);
      }
    }
  });
});

describe("runner namespace", () => {
  test("a ResourceQuota from FACTORY_RUNNER_CPU_MILLICORES, _MEMORY and _PODS (defaults 4000m, 8Gi, 10)", () => {
    expect(named(app, "kubernetes_resource_quota_v1", "runner-jobs").spec.hard).toEqual({ "requests.cpu": "4000m", "requests.memory": "8Gi", pods: "10" });
    const other = synthPlatform({ FACTORY_RUNNER_CPU_MILLICORES: "2500", FACTORY_RUNNER_MEMORY: "6Gi", FACTORY_RUNNER_PODS: "4" }).app;
    expect(named(other, "kubernetes_resource_quota_v1", "runner-jobs").spec.hard).toEqual({ "requests.cpu": "2500m", "requests.memory": "6Gi", pods: "4" });
  });

  test("a LimitRange gives every container requests and limits and caps one at what one m6i.large has room for beside the add-ons (less than the quota)", () => {
    expect(named(app, "kubernetes_limit_range_v1", "runner-containers").spec.limit).toEqual([
      {
        type: "Container",
        default_request: { cpu: "250m", memory: "512Mi" },
        default: { cpu: "1000m", memory: "2048Mi" },
        max: { cpu: "1450m", memory: "6917Mi" },
      },
    ]);
  });

  test("larger nodes raise the cap up to the quota; an instance type node-capacity.yaml does not know leaves the quota as the cap", () => {
    const large = synthPlatform({ FACTORY_NODE_INSTANCE_TYPES: "m6i.2xlarge" }).app;
    expect(named(large, "kubernetes_limit_range_v1", "runner-containers").spec.limit[0].max).toEqual({ cpu: "4000m", memory: "8192Mi" });
    const unknown = synthPlatform({ FACTORY_NODE_INSTANCE_TYPES: "m8g.large" }).app;
    expect(named(unknown, "kubernetes_limit_range_v1", "runner-containers").spec.limit[0].max).toEqual({ cpu: "4000m", memory: "8192Mi" });
  });

  test("a quota smaller than the default limits lowers them to the quota", () => {
    const small = synthPlatform({ FACTORY_RUNNER_CPU_MILLICORES: "500", FACTORY_RUNNER_MEMORY: "1Gi" }).app;
    expect(named(small, "kubernetes_limit_range_v1", "runner-containers").spec.limit[0].default).toEqual({ cpu: "500m", memory: "1024Mi" });
  });
});

describe("RBAC", () => {
  const roleRules = (name: string) => named(app, "kubernetes_role_v1", name).rule;

  test("the runner controller may create, watch and delete Jobs and read their Pods and logs", () => {
    expect(roleRules("factory-runner-controller-jobs")).toEqual([
      { api_groups: ["batch"], resources: ["jobs"], verbs: ["create", "get", "list", "watch", "delete"] },
      { api_groups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
      { api_groups: [""], resources: ["pods/log"], verbs: ["get"] },
    ]);
  });

  test("the api may list runner pods and exec into them, with get and create on pods/exec (a WebSocket exec is a GET)", () => {
    expect(roleRules("factory-api-shells")).toEqual([
      { api_groups: [""], resources: ["pods"], verbs: ["get", "list"] },
      { api_groups: [""], resources: ["pods/exec"], verbs: ["get", "create"] },
    ]);
  });

  test("both Roles are in the runner namespace: nothing grants exec or pod access in the services' namespace", () => {
    for (const role of resourcesOf(app, "kubernetes_role_v1")) expect([role.metadata.name, role.metadata.namespace]).toEqual([role.metadata.name, RUNS]);
    expect(
      resourcesOf(app, "kubernetes_role_v1")
        .map((r) => r.metadata.name)
        .sort(),
    ).toEqual(["factory-api-shells", "factory-runner-controller-jobs"]);
  });

  test.each([
    ["factory-runner-controller-jobs", "factory-runner-controller"],
    ["factory-api-shells", "factory-api"],
  ])("%s is bound to %s's service account only", (role, account) => {
    const binding = named(app, "kubernetes_role_binding_v1", role);
    expect(binding.metadata.namespace).toBe(RUNS);
    expect(binding.role_ref).toEqual({
      api_group: "rbac.authorization.k8s.io",
      kind: "Role",
      name: `\${kubernetes_role_v1.${key(app, "kubernetes_role_v1", role)}.metadata[0].name}`,
    });
    expect(binding.subject).toEqual([
      {
        kind: "ServiceAccount",
        name: `\${kubernetes_service_account_v1.${key(app, "kubernetes_service_account_v1", account)}.metadata[0].name}`,
        namespace: NS,
      },
    ]);
  });

  test("nothing cluster-wide: no ClusterRole or ClusterRoleBinding", () => {
    expect(Object.keys(app.resource).filter((t) => t.startsWith("kubernetes_cluster_role"))).toEqual([]);
  });

  test("runner Jobs get an account of their own, in their namespace, with no token", () => {
    const sa = named(app, "kubernetes_service_account_v1", "factory-runner");
    expect(sa.automount_service_account_token).toBe(false);
    expect(sa.metadata.namespace).toBe(RUNS);
  });
});
