/** The app stack's data stores: Postgres, Redis and MinIO. */
import { resourcesOf, TfJson } from "../../helpers";
import { VERSIONS } from "../../../versions";
import { app, DATA_STORES, RESTRICTED_CONTAINER, named, key, podSpec, container, envOf, secretRef } from "./support";

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
