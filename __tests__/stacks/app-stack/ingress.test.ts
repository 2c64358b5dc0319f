/** The app stack's ingress, disruption budgets and autoscaling, and its place in the stack order. */
import { synthPlatform, resourcesOf, onlyResource } from "../../helpers";
import { FACTORY_SERVICE_PORT } from "../../../constructs/k8s/factory-deployment";
import { ALB_SSL_POLICY } from "../../../constructs/k8s/alb-ingress";
import { TAG, withTag, app, named, key } from "./support";

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
