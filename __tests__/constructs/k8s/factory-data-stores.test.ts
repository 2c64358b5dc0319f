/** FactoryDataStores: the factory's in-cluster data plane, Postgres, Redis and MinIO, each a StatefulDataStore. */
import { FactoryDataStores, FactoryDataStoresProps, REDIS_AUTH_FILE } from "../../../constructs/k8s/factory-data-stores";
import { all, byKey, kubernetesStack, resolved, synth, TfJson } from "../support";

const props: FactoryDataStoresProps = {
  namespace: "factory-system",
  sizes: { postgres: "20Gi", redis: "5Gi", minio: "50Gi" },
  images: { postgres: "postgres:17.5-alpine", redis: "redis:7.4.2-alpine", minio: "minio/minio:RELEASE.2025-04-22T22-12-26Z" },
  storageClassName: "gp3-retain",
};
const STORES = ["postgres", "redis", "minio"] as const;

function build(overrides: Partial<FactoryDataStoresProps> = {}) {
  const stack = kubernetesStack();
  const stores = new FactoryDataStores(stack, "data", { ...props, ...overrides });
  const json = synth(stack);
  const named = (type: string, name: string): TfJson => {
    const found = all(json, type).filter((r) => r.metadata.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
    return found[0];
  };
  const sts = (name: string) => named("kubernetes_stateful_set_v1", name);
  const container = (name: string): TfJson => sts(name).spec.template.spec.container[0];
  return { stores, json, sts, container, secret: (name: string) => named("kubernetes_secret_v1", `${name}-credentials`) };
}
const envNames = (container: TfJson) => container.env.map((e: TfJson) => e.name);

test("FactoryDataStores: Postgres, Redis and MinIO, each a StatefulSet with a headless Service and a credentials Secret, in the namespace", () => {
  const { json } = build();
  for (const type of ["kubernetes_stateful_set_v1", "kubernetes_service_v1", "kubernetes_secret_v1"]) {
    const names = all(json, type).map((r) => `${r.metadata.namespace}/${r.metadata.name}`);
    const suffix = type === "kubernetes_secret_v1" ? "-credentials" : "";
    expect(names.sort()).toEqual(STORES.map((s) => `factory-system/${s}${suffix}`).sort());
  }
});

test("FactoryDataStores: each store runs the image it is given, on its standard port", () => {
  const { container } = build();
  expect(STORES.map((s) => [container(s).image, container(s).port])).toEqual([
    ["postgres:17.5-alpine", [{ name: "postgres", container_port: 5432 }]],
    ["redis:7.4.2-alpine", [{ name: "redis", container_port: 6379 }]],
    ["minio/minio:RELEASE.2025-04-22T22-12-26Z", [{ name: "minio", container_port: 9000 }]],
  ]);
});

test("FactoryDataStores: each store's volume is its size in the given (Retain) StorageClass", () => {
  const { sts } = build();
  for (const s of STORES) {
    expect(sts(s).spec.volume_claim_template[0].spec).toMatchObject({ storage_class_name: "gp3-retain", resources: { requests: { storage: props.sizes[s] } } });
  }
});

test("FactoryDataStores: each store runs as its image's own non-root user (postgres 70, redis 999, minio 1000)", () => {
  const { sts } = build();
  expect(STORES.map((s) => [sts(s).spec.template.spec.security_context.run_as_user, sts(s).spec.template.spec.security_context.run_as_group])).toEqual([
    ["70", "70"],
    ["999", "1000"],
    ["1000", "1000"],
  ]);
});

test("FactoryDataStores: Postgres keeps its data in a subdirectory of the volume (initdb refuses the root's lost+found)", () => {
  const { container } = build();
  expect(container("postgres").volume_mount[0]).toEqual({ name: "data", mount_path: "/var/lib/postgresql/data" });
  expect(container("postgres").env[0]).toEqual({ name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" });
});

test("FactoryDataStores: Postgres's user, password and database come from its Secret; the password is generated", () => {
  const { container, secret, json } = build();
  const secretRef = (key: string) => ({
    secret_key_ref: { name: expect.stringMatching(/^\$\{kubernetes_secret_v1\..*postgres.*\.metadata\[0\]\.name\}$/), key },
  });
  expect(container("postgres").env.slice(1)).toEqual([
    { name: "POSTGRES_USER", value_from: secretRef("username") },
    { name: "POSTGRES_PASSWORD", value_from: secretRef("password") },
    { name: "POSTGRES_DB", value_from: secretRef("database") },
  ]);
  const data = secret("postgres").data;
  expect(data).toMatchObject({ username: "factory", database: "factory" });
  expect(data.password).toMatch(/^\$\{random_password\..*postgres.*\.result\}$/);
  expect(Object.keys(byKey(json, "random_password")).length).toBe(4);
});

test("FactoryDataStores: Postgres has writable /tmp, socket directory and a 256 MiB in-memory /dev/shm (parallel queries)", () => {
  expect(build().sts("postgres").spec.template.spec.volume).toEqual([
    { name: "scratch-tmp", empty_dir: { size_limit: "1Gi", medium: "" } },
    { name: "scratch-var-run-postgresql", empty_dir: { size_limit: "16Mi", medium: "" } },
    { name: "scratch-dev-shm", empty_dir: { size_limit: "256Mi", medium: "Memory" } },
  ]);
});

test("FactoryDataStores: Redis persists (append-only) and reads its password from a config file of its Secret, never from its command line", () => {
  const { container, secret } = build();
  const redis = container("redis");
  expect(redis.args).toEqual(["redis-server", `/etc/redis/${REDIS_AUTH_FILE}`, "--appendonly", "yes", "--dir", "/data"]);
  expect(redis.volume_mount).toContainEqual({ name: "credentials", mount_path: "/etc/redis", read_only: true });
  const data = secret("redis").data;
  expect(data[REDIS_AUTH_FILE]).toBe(`requirepass ${data.password}\n`);
  expect(data.password).toMatch(/^\$\{random_password\..*redis.*\.result\}$/);
});

test("FactoryDataStores: Redis's probe authenticates from REDISCLI_AUTH, a key of its Secret, not on its command line", () => {
  const redis = build().container("redis");
  expect(envNames(redis)).toEqual(["REDISCLI_AUTH"]);
  expect(redis.env[0].value_from.secret_key_ref.key).toBe("password");
  expect(redis.readiness_probe.exec.command).toEqual(["sh", "-c", "redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG"]);
});

test("FactoryDataStores: MinIO's root user (20 characters, no punctuation) and password (40) are generated; its console is off", () => {
  const { container, secret, json } = build();
  const minio = container("minio");
  expect(minio.env).toContainEqual({ name: "MINIO_BROWSER", value: "off" });
  expect(envNames(minio)).toEqual(["MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD", "MINIO_BROWSER", "HOME"]);
  const data = secret("minio").data;
  const password = (reference: string) => byKey(json, "random_password")[/^\$\{random_password\.([^.]+)\.result\}$/.exec(reference)![1]];
  expect(password(data["root-user"])).toMatchObject({ length: 20, special: false });
  expect(password(data["root-password"])).toMatchObject({ length: 40 });
});

test("FactoryDataStores: MinIO serves /data on :9000, its certificates directory on scratch space (the root is read-only)", () => {
  const minio = build().container("minio");
  expect(minio.args).toEqual(["server", "/data", "--address", ":9000", "--certs-dir", "/tmp/certs"]);
  expect(minio.env).toContainEqual({ name: "HOME", value: "/tmp" });
  expect(minio.readiness_probe.http_get).toEqual({ path: "/minio/health/ready", port: "minio" });
  expect(minio.liveness_probe.http_get).toEqual({ path: "/minio/health/live", port: "minio" });
});

test("FactoryDataStores: clientEnv is the connection settings of all three, secrets as keys of their Secrets", () => {
  const { stores } = build();
  expect(stores.clientEnv.map((e) => e.name)).toEqual([
    "POSTGRES_HOST",
    "POSTGRES_PORT",
    "POSTGRES_DB",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "REDIS_HOST",
    "REDIS_PORT",
    "REDIS_PASSWORD",
    "MINIO_ENDPOINT",
    "MINIO_ACCESS_KEY",
    "MINIO_SECRET_KEY",
  ]);
  for (const e of stores.clientEnv) if (/PASSWORD|KEY|USER|DB/.test(e.name)) expect("secret" in e).toBe(true);
});

test("FactoryDataStores: clients reach each store at its cluster DNS name", () => {
  const { stores } = build();
  const value = (name: string) => (stores.clientEnv.find((e) => e.name === name) as { value: string }).value;
  expect(value("POSTGRES_HOST")).toBe("postgres.factory-system.svc.cluster.local");
  expect(value("POSTGRES_PORT")).toBe("5432");
  expect(value("REDIS_HOST")).toBe("redis.factory-system.svc.cluster.local");
  expect(value("REDIS_PORT")).toBe("6379");
  expect(value("MINIO_ENDPOINT")).toBe("http://minio.factory-system.svc.cluster.local:9000");
  expect(resolved(stores, stores.postgres.host)).toBe(value("POSTGRES_HOST"));
});
