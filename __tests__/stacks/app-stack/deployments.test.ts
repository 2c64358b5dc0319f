/** The app stack's Deployments and the image tag guard. */
import { resourcesOf, TfJson } from "../../helpers";
import { FACTORY_CONTAINER_PORT, FACTORY_SERVICE_PORT } from "../../../constructs/k8s/factory-deployment";
import {
  TAG,
  withTag,
  app,
  withoutTag,
  RESTRICTED_CONTAINER,
  APPS,
  REPOSITORY_REF,
  named,
  key,
  podSpec,
  container,
  envOf,
  NS,
  RUNS,
  secretRef,
} from "./support";

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
