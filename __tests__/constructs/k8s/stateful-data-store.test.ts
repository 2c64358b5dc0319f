/** StatefulDataStore: a single-replica data store as a StatefulSet with its headless Service, volume and credentials. */
import { atTerraformPath } from "../../helpers";
import { StatefulDataStore, StatefulDataStoreProps } from "../../../constructs/k8s/stateful-data-store";
import { kubernetesStack, only, ref, resolved, synth, TfJson } from "../support";

const props: StatefulDataStoreProps = {
  namespace: "factory-system",
  image: "redis:7.4.2",
  port: 6379,
  runAs: { user: 999, group: 1000 },
  dataPath: "/data",
  storageSize: "8Gi",
  storageClassName: "gp3-retain",
  credentials: { generated: { password: {} }, literals: { user: "factory" }, derived: { "redis.conf": (g) => `requirepass ${g.password}` } },
  env: [
    { name: "REDIS_USER", value: "factory" },
    { name: "REDIS_PASSWORD", secretKey: "password" },
  ],
  readiness: { exec: ["redis-cli", "ping"] },
  liveness: { tcpPort: "redis" },
  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "256Mi" } },
  clientEnv: ({ host, port, secretName }) => [
    { name: "REDIS_URL", value: `redis://${host}:${port}` },
    { name: "REDIS_PASSWORD", secret: { name: secretName, key: "password" } },
  ],
};

function build(overrides: Partial<StatefulDataStoreProps> = {}, id = "redis") {
  const stack = kubernetesStack();
  const store = new StatefulDataStore(stack, id, { ...props, ...overrides });
  const json = synth(stack);
  const sts = only(json, "kubernetes_stateful_set_v1");
  return { store, json, sts, pod: sts.spec.template.spec, container: sts.spec.template.spec.container[0] as TfJson };
}
const secretName = (json: TfJson) => ref(json, "kubernetes_secret_v1", "metadata[0].name");
const LABELS = {
  "app.kubernetes.io/name": "redis",
  "app.kubernetes.io/component": "data-store",
  "app.kubernetes.io/part-of": "attractor-factory",
  "app.kubernetes.io/managed-by": "cdktf",
};

test("StatefulDataStore: a headless Service (a stable DNS name) named after the store, its port named after the store", () => {
  const { json, sts } = build();
  const service = only(json, "kubernetes_service_v1");
  expect(service.metadata).toEqual({ name: "redis", namespace: "factory-system", labels: LABELS });
  expect(service.spec).toEqual({
    cluster_ip: "None",
    selector: { "app.kubernetes.io/name": "redis" },
    port: [{ name: "redis", port: 6379, target_port: "redis" }],
  });
  expect(sts.spec.service_name).toBe(ref(json, "kubernetes_service_v1", "metadata[0].name"));
});

test.each(["factory-postgres-main", "abcdefghijklmn-x", "store-", "1store", "my--store", "Redis"])(
  "StatefulDataStore: an id that cannot name the port (IANA service name, 15 characters) is refused: %j",
  (id) => {
    expect(() => build({}, id)).toThrow(`StatefulDataStore ${JSON.stringify(id)}: the id names the store's objects and port`);
  },
);

test("StatefulDataStore: a 15-character id names the port whole", () => {
  const { json, container } = build({}, "factory-postgre");
  expect(only(json, "kubernetes_service_v1").spec.port[0].name).toBe("factory-postgre");
  expect(container.port).toEqual([{ name: "factory-postgre", container_port: 6379 }]);
});

test("StatefulDataStore: a single replica, selected by its name label; every object carries the standard labels", () => {
  const { sts, json } = build();
  expect(sts.spec.replicas).toBe("1");
  expect(sts.spec.selector).toEqual({ match_labels: { "app.kubernetes.io/name": "redis" } });
  expect(sts.metadata.labels).toEqual(LABELS);
  expect(sts.spec.template.metadata.labels).toEqual(LABELS);
  expect(only(json, "kubernetes_secret_v1").metadata.labels).toEqual(LABELS);
});

test("StatefulDataStore: one ReadWriteOnce volume of storageSize in storageClassName from a claim template, mounted at dataPath", () => {
  const { sts, container } = build();
  expect(sts.spec.volume_claim_template).toEqual([
    {
      metadata: { name: "data", labels: LABELS },
      spec: { access_modes: ["ReadWriteOnce"], storage_class_name: "gp3-retain", resources: { requests: { storage: "8Gi" } } },
    },
  ]);
  expect(container.volume_mount[0]).toEqual({ name: "data", mount_path: "/data" });
});

test("StatefulDataStore: a size change never replaces the StatefulSet (its claim template's size is ignored; deploy-app grows the claim)", () => {
  const { sts } = build();
  expect(sts.lifecycle.ignore_changes).toHaveLength(1);
  // The ignored path names the claim template's size in the synthesized StatefulSet, and nothing more.
  expect(atTerraformPath(sts, sts.lifecycle.ignore_changes[0])).toEqual({ storage: "8Gi" });
});

test("StatefulDataStore: priorityClassName sets the pod's class; none by default", () => {
  expect(build().pod.priority_class_name).toBeUndefined();
  expect(build({ priorityClassName: "factory-data-stores" }).pod.priority_class_name).toBe("factory-data-stores");
});

test("StatefulDataStore: the claim and its EBS volume stay when the StatefulSet is deleted or scaled down", () => {
  expect(build().sts.spec.persistent_volume_claim_retention_policy).toEqual([{ when_deleted: "Retain", when_scaled: "Retain" }]);
});

test("StatefulDataStore: the cluster autoscaler may not evict the store's pod (a single replica on a zonal volume)", () => {
  expect(build().sts.spec.template.metadata.annotations).toEqual({ "cluster-autoscaler.kubernetes.io/safe-to-evict": "false" });
});

test("StatefulDataStore: credentials in a Secret <store>-credentials: generated, literal and derived keys", () => {
  const { json } = build();
  const secret = only(json, "kubernetes_secret_v1");
  const password = ref(json, "random_password", "result");
  expect(secret.metadata.name).toBe("redis-credentials");
  expect(secret.metadata.namespace).toBe("factory-system");
  expect(secret.data).toEqual({ password, user: "factory", "redis.conf": `requirepass ${password}` });
});

test("StatefulDataStore: env is literal values and keys of the credentials Secret, never the secret values", () => {
  const { json, container } = build();
  expect(container.env).toEqual([
    { name: "REDIS_USER", value: "factory" },
    { name: "REDIS_PASSWORD", value_from: { secret_key_ref: { name: secretName(json), key: "password" } } },
  ]);
});

test("StatefulDataStore: by default no credential file is mounted", () => {
  const { container, pod } = build();
  expect(container.volume_mount.map((m: TfJson) => m.name)).toEqual(["data", "scratch-tmp"]);
  expect(pod.volume.map((v: TfJson) => v.name)).toEqual(["scratch-tmp"]);
});

test("StatefulDataStore: credentialFiles mounts only the listed keys, read-only, mode 0440", () => {
  const { json, container, pod } = build({ credentialFiles: { mountPath: "/etc/redis", keys: ["redis.conf"] } });
  expect(container.volume_mount).toContainEqual({ name: "credentials", mount_path: "/etc/redis", read_only: true });
  expect(pod.volume).toContainEqual({
    name: "credentials",
    secret: { secret_name: secretName(json), default_mode: "0440", items: [{ key: "redis.conf", path: "redis.conf" }] },
  });
});

test("StatefulDataStore: the restricted security context: non-root as runAs, read-only root, no privilege escalation or capabilities, RuntimeDefault seccomp", () => {
  const { pod, container } = build();
  expect(pod.security_context).toEqual({
    run_as_non_root: true,
    run_as_user: "999",
    run_as_group: "1000",
    fs_group: "1000",
    fs_group_change_policy: "OnRootMismatch",
    seccomp_profile: { type: "RuntimeDefault" },
  });
  expect(container.security_context).toEqual({
    run_as_non_root: true,
    allow_privilege_escalation: false,
    privileged: false,
    read_only_root_filesystem: true,
    capabilities: { drop: ["ALL"] },
    seccomp_profile: { type: "RuntimeDefault" },
  });
});

test("StatefulDataStore: the data volume's group is runAs.fsGroup when given (default the run-as group)", () => {
  expect(build({ runAs: { user: 70, group: 70, fsGroup: 1001 } }).pod.security_context.fs_group).toBe("1001");
});

test("StatefulDataStore: the pods never call the Kubernetes API (no token) and get no service links", () => {
  const { pod } = build();
  expect(pod.automount_service_account_token).toBe(false);
  expect(pod.enable_service_links).toBe(false);
});

test("StatefulDataStore: a writable /tmp by default; scratchDirs replaces it", () => {
  expect(build().pod.volume).toEqual([{ name: "scratch-tmp", empty_dir: { size_limit: "1Gi", medium: "" } }]);
  const { pod, container } = build({
    scratchDirs: [
      { mountPath: "/var/run/postgresql", sizeLimit: "64Mi" },
      { mountPath: "/dev/shm", medium: "Memory" },
    ],
  });
  expect(pod.volume).toEqual([
    { name: "scratch-var-run-postgresql", empty_dir: { size_limit: "64Mi", medium: "" } },
    { name: "scratch-dev-shm", empty_dir: { size_limit: "1Gi", medium: "Memory" } },
  ]);
  expect(container.volume_mount.slice(1)).toEqual([
    { name: "scratch-var-run-postgresql", mount_path: "/var/run/postgresql" },
    { name: "scratch-dev-shm", mount_path: "/dev/shm" },
  ]);
});

test("StatefulDataStore: the image's own arguments by default; args overrides them", () => {
  expect(build().container.args).toBeUndefined();
  expect(build({ args: ["--appendonly", "yes"] }).container.args).toEqual(["--appendonly", "yes"]);
});

test("StatefulDataStore: the image, port and resources as given", () => {
  const { container } = build();
  expect(container.name).toBe("redis");
  expect(container.image).toBe("redis:7.4.2");
  expect(container.port).toEqual([{ name: "redis", container_port: 6379 }]);
  expect(container.resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "256Mi" } });
});

test("StatefulDataStore: readiness as given; liveness generous (30 s delay, 6 failures) so that a slow store is not restarted", () => {
  const { container } = build();
  expect(container.readiness_probe).toEqual({
    exec: { command: ["redis-cli", "ping"] },
    initial_delay_seconds: 5,
    period_seconds: 10,
    timeout_seconds: 3,
    failure_threshold: 3,
  });
  expect(container.liveness_probe).toEqual({
    tcp_socket: [{ port: "redis" }],
    initial_delay_seconds: 30,
    period_seconds: 20,
    timeout_seconds: 3,
    failure_threshold: 6,
  });
});

test("StatefulDataStore: host is the headless Service's cluster DNS name; clientEnv is built from host, port and the Secret", () => {
  const { store, json } = build();
  expect(store.host).toBe("redis.factory-system.svc.cluster.local");
  expect(store.name).toBe("redis");
  expect(store.port).toBe(6379);
  expect(store.clientEnv[0]).toEqual({ name: "REDIS_URL", value: "redis://redis.factory-system.svc.cluster.local:6379" });
  // The Secret's name is a reference: a client waits for the Secret to exist.
  const client = store.clientEnv[1] as { secret: { name: string } };
  expect(resolved(store, client.secret.name)).toBe(secretName(json));
});
