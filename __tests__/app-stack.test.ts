import { resourcesOf, onlyResource, synthPlatform, TfJson } from "./helpers";
import { VERSIONS } from "../versions";
import { FACTORY_CONTAINER_PORT, FACTORY_SERVICE_PORT } from "../constructs/k8s/factory-deployment";
import { ALB_SSL_POLICY } from "../constructs/k8s/alb-ingress";

const TAG = "2026.11.30-abc1234";
const withTag = synthPlatform({
  FACTORY_IMAGE_TAG: TAG,
  FACTORY_POSTGRES_STORAGE: "30Gi",
  FACTORY_REDIS_STORAGE: "8Gi",
  FACTORY_MINIO_STORAGE: "100Gi",
});
const app = withTag.app;
const withoutTag = synthPlatform();

const DATA_STORES = ["postgres", "redis", "minio"] as const;
/** The container security context of the restricted Pod Security Standard, read-only root. */
const RESTRICTED_CONTAINER = {
  run_as_non_root: true,
  allow_privilege_escalation: false,
  privileged: false,
  read_only_root_filesystem: true,
  capabilities: { drop: ["ALL"] },
  seccomp_profile: { type: "RuntimeDefault" },
};
const APPS = ["factory-api", "factory-web", "factory-runner-controller"] as const;
const REPOSITORY_REF = (repo: string) =>
  new RegExp(
    `^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-attractor-factory-ecr\\.outputs\\.cross-stack-output-aws_ecr_repository${repo}_[^}]*repository_url\\}`,
  );

function named(json: TfJson, type: string, name: string): TfJson {
  const found = resourcesOf(json, type).filter((r) => r.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0];
}
const key = (json: TfJson, type: string, name: string) => Object.entries(json.resource[type]).find(([, r]) => (r as TfJson).metadata.name === name)![0];
const podSpec = (workload: TfJson) => workload.spec.template.spec;
const container = (workload: TfJson) => podSpec(workload).container[0];
const envOf = (workload: TfJson) => Object.fromEntries(container(workload).env.map((e: TfJson) => [e.name, e.value_from?.secret_key_ref ?? e.value]));

const NS = `\${kubernetes_namespace_v1.${key(app, "kubernetes_namespace_v1", "factory-system")}.metadata[0].name}`;
const RUNS = `\${kubernetes_namespace_v1.${key(app, "kubernetes_namespace_v1", "factory-runs")}.metadata[0].name}`;
const secretRef = (store: string) => `\${kubernetes_secret_v1.${key(app, "kubernetes_secret_v1", `${store}-credentials`)}.metadata[0].name}`;

describe("providers", () => {
  test("kubernetes provider from the eks stack with exec authentication; random provider; no AWS provider", () => {
    const k = app.provider.kubernetes[0];
    expect(k.host).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-attractor-factory-eks\./);
    expect(k.exec[0]).toMatchObject({ command: "aws", api_version: "client.authentication.k8s.io/v1beta1" });
    expect(k.exec[0].args.slice(0, 2)).toEqual(["eks", "get-token"]);
    expect(k).not.toHaveProperty("token");
    expect(app.provider).toHaveProperty("random");
    expect(app.provider).not.toHaveProperty("aws");
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
      if (["kubernetes_namespace_v1", "random_password"].includes(type)) continue;
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
        max: { cpu: "1750m", memory: "7070Mi" },
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

describe("data stores", () => {
  const expected = {
    postgres: { image: VERSIONS.images.postgres, port: 5432, uid: "70", size: "30Gi" },
    redis: { image: VERSIONS.images.redis, port: 6379, uid: "999", size: "8Gi" },
    minio: { image: VERSIONS.images.minio, port: 9000, uid: "1000", size: "100Gi" },
  };

  test.each(DATA_STORES)("%s: StatefulSet of the pinned image with a headless Service", (store) => {
    const sts = named(app, "kubernetes_stateful_set_v1", store);
    const svc = named(app, "kubernetes_service_v1", store);
    expect(container(sts).image).toBe(expected[store].image);
    expect(svc.spec.cluster_ip).toBe("None");
    expect(svc.spec.selector).toEqual(sts.spec.selector.match_labels);
    expect(svc.spec.port[0].port).toBe(expected[store].port);
    expect(sts.spec.service_name).toBe(`\${kubernetes_service_v1.${key(app, "kubernetes_service_v1", store)}.metadata[0].name}`);
  });

  test.each(DATA_STORES)("%s: a gp3-retain volume claim template of the configured size, claims retained", (store) => {
    const sts = named(app, "kubernetes_stateful_set_v1", store);
    const claim = sts.spec.volume_claim_template[0];
    expect(claim.spec.storage_class_name).toBe("gp3-retain");
    expect(claim.spec.resources.requests.storage).toBe(expected[store].size);
    expect(claim.spec.access_modes).toEqual(["ReadWriteOnce"]);
    expect(sts.spec.persistent_volume_claim_retention_policy).toEqual([{ when_deleted: "Retain", when_scaled: "Retain" }]);
    expect(container(sts).volume_mount).toContainEqual(expect.objectContaining({ name: claim.metadata.name }));
  });

  test.each(DATA_STORES)("%s: readiness and liveness probes, requests and limits", (store) => {
    const c = container(named(app, "kubernetes_stateful_set_v1", store));
    expect(c.readiness_probe).toBeDefined();
    expect(c.liveness_probe).toBeDefined();
    expect(c.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
  });

  test.each(DATA_STORES)("%s: non-root (image's uid), no privilege escalation, no capabilities, read-only root", (store) => {
    const sts = named(app, "kubernetes_stateful_set_v1", store);
    expect(podSpec(sts).security_context).toMatchObject({
      run_as_non_root: true,
      run_as_user: expected[store].uid,
      seccomp_profile: { type: "RuntimeDefault" },
    });
    expect(podSpec(sts).security_context.fs_group).toBeDefined();
    expect(container(sts).security_context).toEqual(RESTRICTED_CONTAINER);
    expect(podSpec(sts).automount_service_account_token).toBe(false);
  });

  test.each(DATA_STORES)("%s: credentials come from a Secret filled by the random provider", (store) => {
    const sts = named(app, "kubernetes_stateful_set_v1", store);
    const secret = named(app, "kubernetes_secret_v1", `${store}-credentials`);
    const generated = Object.entries(secret.data).filter(([, v]) => String(v).startsWith("${random_password."));
    expect(generated.length).toBeGreaterThan(0);
    const fromSecret = container(sts).env.filter((e: TfJson) => e.value_from);
    expect(fromSecret.length).toBeGreaterThan(0);
    for (const e of fromSecret) {
      expect(e.value_from.secret_key_ref.name).toBe(secretRef(store));
      expect(Object.keys(secret.data)).toContain(e.value_from.secret_key_ref.key);
    }
  });

  test("random passwords use only URL-safe special characters", () => {
    for (const pw of resourcesOf(app, "random_password")) {
      if (pw.special) expect(pw.override_special).toBe("-_.~");
      expect(pw.length).toBeGreaterThanOrEqual(20);
    }
  });

  test("postgres keeps its data in a subdirectory of the volume, with writable socket and tmp dirs", () => {
    const sts = named(app, "kubernetes_stateful_set_v1", "postgres");
    expect(envOf(sts).PGDATA).toBe("/var/lib/postgresql/data/pgdata");
    const mounts = container(sts).volume_mount.map((m: TfJson) => m.mount_path);
    expect(mounts).toEqual(expect.arrayContaining(["/var/lib/postgresql/data", "/var/run/postgresql", "/tmp"]));
  });

  test("redis reads its password from a file built from the Secret, not from its command line or environment", () => {
    const sts = named(app, "kubernetes_stateful_set_v1", "redis");
    expect(container(sts).args).toEqual(["redis-server", "/etc/redis/auth.conf", "--appendonly", "yes", "--dir", "/data"]);
    expect(JSON.stringify(container(sts).args)).not.toMatch(/requirepass|PASSWORD/);
    expect(Object.keys(envOf(sts))).toEqual(["REDISCLI_AUTH"]);
    const secret = named(app, "kubernetes_secret_v1", "redis-credentials");
    expect(secret.data["auth.conf"]).toMatch(/^requirepass \$\{random_password\.[^}]+\.result\}\n$/);
    expect(secret.data["auth.conf"]).toContain(secret.data.password);
    expect(podSpec(sts).volume).toContainEqual({
      name: "credentials",
      secret: { secret_name: secretRef("redis"), default_mode: "0440", items: [{ key: "auth.conf", path: "auth.conf" }] },
    });
    expect(container(sts).volume_mount).toContainEqual({ name: "credentials", mount_path: "/etc/redis", read_only: true });
  });

  test.each(DATA_STORES)("the cluster autoscaler never evicts %s (a single replica on a zonal volume)", (store) => {
    expect(named(app, "kubernetes_stateful_set_v1", store).spec.template.metadata.annotations).toEqual({
      "cluster-autoscaler.kubernetes.io/safe-to-evict": "false",
    });
  });

  test("minio's root user and password are both generated", () => {
    const secret = named(app, "kubernetes_secret_v1", "minio-credentials");
    expect(secret.data["root-user"]).toMatch(/^\$\{random_password\./);
    expect(secret.data["root-password"]).toMatch(/^\$\{random_password\./);
  });
});

describe("factory deployments", () => {
  test.each(APPS)("%s: image is its ECR repository at FACTORY_IMAGE_TAG", (name) => {
    const image: string = container(named(app, "kubernetes_deployment_v1", name)).image;
    expect(image).toMatch(REPOSITORY_REF(name));
    expect(image.endsWith(`}:${TAG}`)).toBe(true);
  });

  test.each(APPS)("%s: HTTP readiness and liveness probes on the container port", (name) => {
    const c = container(named(app, "kubernetes_deployment_v1", name));
    expect(c.port).toEqual([{ name: "http", container_port: FACTORY_CONTAINER_PORT }]);
    for (const probe of [c.readiness_probe, c.liveness_probe]) expect(probe.http_get).toEqual({ path: expect.stringMatching(/^\//), port: "http" });
  });

  test("the api's probes use config.apiHealthPath", () => {
    expect(container(named(app, "kubernetes_deployment_v1", "factory-api")).readiness_probe.http_get.path).toBe("/api/healthz");
  });

  test.each(APPS)("%s: requests and limits", (name) => {
    const c = container(named(app, "kubernetes_deployment_v1", name));
    expect(c.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
  });

  test.each(APPS)("%s: non-root, no privilege escalation, no capabilities, read-only root with a writable /tmp", (name) => {
    const d = named(app, "kubernetes_deployment_v1", name);
    expect(podSpec(d).security_context).toMatchObject({ run_as_non_root: true, seccomp_profile: { type: "RuntimeDefault" } });
    expect(Number(podSpec(d).security_context.run_as_user)).toBeGreaterThan(0);
    expect(container(d).security_context).toEqual(RESTRICTED_CONTAINER);
    expect(container(d).volume_mount.map((m: TfJson) => m.mount_path)).toContain("/tmp");
  });

  test.each(APPS)("%s: a ClusterIP Service selecting its pods", (name) => {
    const d = named(app, "kubernetes_deployment_v1", name);
    const svc = named(app, "kubernetes_service_v1", name);
    expect(svc.spec.type).toBe("ClusterIP");
    expect(svc.spec.selector).toEqual(d.spec.selector.match_labels);
    expect(svc.spec.port).toEqual([{ name: "http", port: FACTORY_SERVICE_PORT, target_port: "http" }]);
  });

  test.each(["factory-api", "factory-runner-controller"])("%s: Postgres, Redis and MinIO settings, credentials from the Secrets", (name) => {
    const env = envOf(named(app, "kubernetes_deployment_v1", name));
    expect(env).toMatchObject({
      POSTGRES_HOST: `postgres.${NS}.svc.cluster.local`,
      POSTGRES_PORT: "5432",
      POSTGRES_USER: { name: secretRef("postgres"), key: "username" },
      POSTGRES_PASSWORD: { name: secretRef("postgres"), key: "password" },
      POSTGRES_DB: { name: secretRef("postgres"), key: "database" },
      REDIS_HOST: `redis.${NS}.svc.cluster.local`,
      REDIS_PORT: "6379",
      REDIS_PASSWORD: { name: secretRef("redis"), key: "password" },
      MINIO_ENDPOINT: `http://minio.${NS}.svc.cluster.local:9000`,
      MINIO_ACCESS_KEY: { name: secretRef("minio"), key: "root-user" },
      MINIO_SECRET_KEY: { name: secretRef("minio"), key: "root-password" },
    });
  });

  test("factory-web gets no data store credentials", () => {
    const env = envOf(named(app, "kubernetes_deployment_v1", "factory-web"));
    expect(Object.keys(env).filter((k) => /POSTGRES|REDIS|MINIO/.test(k))).toEqual([]);
  });

  test("the runner controller gets the runner image at the same tag and its namespace", () => {
    const env = envOf(named(app, "kubernetes_deployment_v1", "factory-runner-controller"));
    expect(env.FACTORY_RUNNER_IMAGE).toMatch(REPOSITORY_REF("factory-runner"));
    expect(env.FACTORY_RUNNER_IMAGE.endsWith(`}:${TAG}`)).toBe(true);
    expect(env.FACTORY_NAMESPACE).toBe(NS);
    expect(env.FACTORY_RUNNER_NAMESPACE).toBe(RUNS);
  });

  test("the runner controller is replaced, not rolled: it never runs twice (no leader election)", () => {
    expect(named(app, "kubernetes_deployment_v1", "factory-runner-controller").spec.strategy).toEqual({ type: "Recreate" });
  });

  test.each(["factory-api", "factory-web"])(
    "%s keeps serving 40 s after it is told to stop (longer than the ALB's 30 s deregistration delay), then has 30 s to finish",
    (name) => {
      const d = named(app, "kubernetes_deployment_v1", name);
      expect(container(d).lifecycle).toEqual({ pre_stop: [{ exec: { command: ["sleep", "40"] } }] });
      expect(podSpec(d).termination_grace_period_seconds).toBe(70);
      expect(named(app, "kubernetes_service_v1", name).metadata.annotations["alb.ingress.kubernetes.io/target-group-attributes"]).toBe(
        "deregistration_delay.timeout_seconds=30",
      );
    },
  );

  test("each service has its own Kubernetes service account, no IAM role; only api and runner controller get a token", () => {
    for (const name of APPS) {
      const d = named(app, "kubernetes_deployment_v1", name);
      const sa = named(app, "kubernetes_service_account_v1", name);
      expect(podSpec(d).service_account_name).toBe(`\${kubernetes_service_account_v1.${key(app, "kubernetes_service_account_v1", name)}.metadata[0].name}`);
      expect(sa.metadata.annotations ?? {}).not.toHaveProperty("eks.amazonaws.com/role-arn");
      expect(podSpec(d).automount_service_account_token).toBe(name !== "factory-web");
    }
  });

  test("api and web spread over zones and nodes without blocking scheduling", () => {
    for (const name of ["factory-api", "factory-web"]) {
      const spread = podSpec(named(app, "kubernetes_deployment_v1", name)).topology_spread_constraint;
      expect(spread.map((s: TfJson) => s.topology_key)).toEqual(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
      for (const s of spread) expect(s.when_unsatisfiable).toBe("ScheduleAnyway");
    }
  });
});

describe("image tag guard", () => {
  test("without FACTORY_IMAGE_TAG: the precondition fails deploy with a one-line message naming the variable and build-push.sh", () => {
    const json = withoutTag.app;
    expect(json.locals.image_tag).toBe("");
    const [pre] = named(json, "kubernetes_deployment_v1", "factory-api").lifecycle.precondition;
    expect(pre.condition).toBe('${local.image_tag != ""}');
    expect(pre.error_message).toContain("FACTORY_IMAGE_TAG");
    expect(pre.error_message).toContain("scripts/aws/build-push.sh");
    expect(pre.error_message).not.toContain("\n");
  });

  test("without FACTORY_IMAGE_TAG: images carry no made-up tag", () => {
    for (const name of APPS) {
      const image: string = container(named(withoutTag.app, "kubernetes_deployment_v1", name)).image;
      expect(image).toMatch(new RegExp(REPOSITORY_REF(name).source + "$"));
    }
    expect(envOf(named(withoutTag.app, "kubernetes_deployment_v1", "factory-runner-controller")).FACTORY_RUNNER_IMAGE).toMatch(
      new RegExp(REPOSITORY_REF("factory-runner").source + "$"),
    );
  });

  test("without FACTORY_IMAGE_TAG: synth warns", () => {
    const warnings = withoutTag.platform.app.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringContaining("FACTORY_IMAGE_TAG is not set")]);
  });

  test("with FACTORY_IMAGE_TAG: the precondition holds and synth does not warn", () => {
    expect(app.locals.image_tag).toBe(TAG);
    expect(withTag.platform.app.node.metadata.filter((m) => m.type === "@cdktf/warn")).toEqual([]);
  });

  test.each([
    ["with", () => app],
    ["without", () => withoutTag.app],
  ])("%s a tag, every Deployment carries the guard's precondition", (_, json) => {
    for (const d of resourcesOf(json(), "kubernetes_deployment_v1")) {
      expect(d.lifecycle.precondition).toEqual([{ condition: '${local.image_tag != ""}', error_message: expect.stringContaining("FACTORY_IMAGE_TAG") }]);
    }
  });

  test("no terraform_data: its cdktf validation would run `terraform version` at every synth", () => {
    expect(app.resource.terraform_data).toBeUndefined();
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

describe("ingress", () => {
  const ingress = onlyResource(app, "kubernetes_ingress_v1");
  const annotations = ingress.metadata.annotations;

  test("class alb, internet-facing, target type ip", () => {
    expect(ingress.spec.ingress_class_name).toBe("alb");
    expect(annotations["alb.ingress.kubernetes.io/scheme"]).toBe("internet-facing");
    expect(annotations["alb.ingress.kubernetes.io/target-type"]).toBe("ip");
  });

  test("HTTP and HTTPS listeners, HTTP redirected to HTTPS", () => {
    expect(JSON.parse(annotations["alb.ingress.kubernetes.io/listen-ports"])).toEqual([{ HTTP: 80 }, { HTTPS: 443 }]);
    expect(annotations["alb.ingress.kubernetes.io/ssl-redirect"]).toBe("443");
  });

  test("the cert stack's ACM certificate with a TLS 1.3 policy", () => {
    expect(annotations["alb.ingress.kubernetes.io/certificate-arn"]).toMatch(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-attractor-factory-cert\.outputs\.cross-stack-output-aws_acm_certificate_validation[^}]*certificate_arn\}$/,
    );
    expect(annotations["alb.ingress.kubernetes.io/ssl-policy"]).toBe(ALB_SSL_POLICY);
    expect(ALB_SSL_POLICY).toMatch(/^ELBSecurityPolicy-TLS13-/);
  });

  test("the ALB name and group the dns stack looks up", () => {
    expect(annotations["alb.ingress.kubernetes.io/load-balancer-name"]).toBe("attractor-factory-alb");
    expect(annotations["alb.ingress.kubernetes.io/group.name"]).toBe("attractor-factory");
    const albLookup = onlyResource(withTag.dns, "aws_lb", "data");
    expect(albLookup.name).toBe(annotations["alb.ingress.kubernetes.io/load-balancer-name"]);
  });

  test("health checks: api's target group checks config.apiHealthPath, web's /", () => {
    expect(named(app, "kubernetes_service_v1", "factory-api").metadata.annotations["alb.ingress.kubernetes.io/healthcheck-path"]).toBe("/api/healthz");
    expect(named(app, "kubernetes_service_v1", "factory-web").metadata.annotations["alb.ingress.kubernetes.io/healthcheck-path"]).toBe("/");
    expect(annotations["alb.ingress.kubernetes.io/healthcheck-path"]).toBe("/");
  });

  test("the hostname's /api goes to factory-api and / to factory-web, in that order", () => {
    const [rule] = ingress.spec.rule;
    expect(rule.host).toBe("factory.pelx.ai");
    const svcRef = (name: string) => `\${kubernetes_service_v1.${key(app, "kubernetes_service_v1", name)}.metadata[0].name}`;
    expect(rule.http.path).toEqual([
      { path: "/api", path_type: "Prefix", backend: { service: { name: svcRef("factory-api"), port: { number: FACTORY_SERVICE_PORT } } } },
      { path: "/", path_type: "Prefix", backend: { service: { name: svcRef("factory-web"), port: { number: FACTORY_SERVICE_PORT } } } },
    ]);
  });

  test("apply waits for the ALB, so the dns stack finds it", () => {
    expect(ingress.wait_for_load_balancer).toBe(true);
  });
});

describe("disruption budgets and autoscaling", () => {
  test.each(["factory-api", "factory-web"])("%s: PDB of maxUnavailable 1 (a node drain always progresses)", (name) => {
    const pdb = named(app, "kubernetes_pod_disruption_budget_v1", name);
    expect(pdb.spec.max_unavailable).toBe("1");
    expect(pdb.spec).not.toHaveProperty("min_available");
    expect(pdb.spec.selector.match_labels).toEqual(named(app, "kubernetes_deployment_v1", name).spec.selector.match_labels);
  });

  test.each(["factory-api", "factory-web"])("%s: autoscaling/v2 HPA on CPU, at least 2 replicas", (name) => {
    const hpa = named(app, "kubernetes_horizontal_pod_autoscaler_v2", name);
    expect(hpa.spec.scale_target_ref).toEqual({
      api_version: "apps/v1",
      kind: "Deployment",
      name: `\${kubernetes_deployment_v1.${key(app, "kubernetes_deployment_v1", name)}.metadata[0].name}`,
    });
    expect(hpa.spec.min_replicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.max_replicas).toBeGreaterThan(hpa.spec.min_replicas);
    expect(hpa.spec.metric).toEqual([
      { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", average_utilization: expect.any(Number) } } },
    ]);
  });

  test("FACTORY_MIN_REPLICAS / FACTORY_MAX_REPLICAS set the api and web autoscalers' range", () => {
    const scaled = synthPlatform({ FACTORY_IMAGE_TAG: TAG, FACTORY_MIN_REPLICAS: "3", FACTORY_MAX_REPLICAS: "9" }).app;
    for (const name of ["factory-api", "factory-web"]) {
      const hpa = named(scaled, "kubernetes_horizontal_pod_autoscaler_v2", name);
      expect([hpa.spec.min_replicas, hpa.spec.max_replicas]).toEqual([3, 9]);
    }
  });

  test.each(["factory-api", "factory-web"])("%s: Terraform leaves the replica count to the HPA", (name) => {
    const d = named(app, "kubernetes_deployment_v1", name);
    expect(d.lifecycle.ignore_changes).toEqual(["spec[0].replicas"]);
    expect(Number(d.spec.replicas)).toBe(named(app, "kubernetes_horizontal_pod_autoscaler_v2", name).spec.min_replicas);
  });

  test("the runner controller has no PDB or HPA (a single dispatcher)", () => {
    expect(
      resourcesOf(app, "kubernetes_pod_disruption_budget_v1")
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual(["factory-api", "factory-web"]);
    expect(named(app, "kubernetes_deployment_v1", "factory-runner-controller").spec.replicas).toBe("1");
  });
});

describe("stack order", () => {
  test("app after add-ons, dns after app (cdktf deploy '*' orders by these)", () => {
    const { platform } = withTag;
    expect(platform.app.dependencies).toContain(platform.addons);
    expect(platform.dns.dependencies).toContain(platform.app);
    expect(platform.addons.dependencies).toEqual(expect.arrayContaining([platform.eks, platform.network]));
  });
});
