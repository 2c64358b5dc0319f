/** AlbIngress: an internet-facing ALB of the AWS Load Balancer Controller, HTTPS only, with a fixed name. */
import { AlbIngress, AlbIngressProps, ALB_SSL_POLICY } from "../../../constructs/k8s/alb-ingress";
import { emptyStack, kubernetesStack, only, synth, TfJson } from "../support";

const CERT = "arn:aws:acm:us-west-2:111122223333:certificate/0f0e0d0c-0000-4000-8000-000000000000";
const props: AlbIngressProps = {
  name: "factory",
  namespace: "factory-system",
  hostname: "factory.example.com",
  certificateArn: CERT,
  loadBalancerName: "attractor-factory",
  groupName: "attractor-factory",
  routes: [
    { path: "/api", serviceName: "factory-api", servicePort: 80 },
    { path: "/", serviceName: "factory-web", servicePort: 80 },
  ],
};

function build(overrides: Partial<AlbIngressProps> = {}): TfJson {
  const stack = kubernetesStack();
  new AlbIngress(stack, "ingress", { ...props, ...overrides });
  return only(synth(stack), "kubernetes_ingress_v1");
}
const annotations = (ingress: TfJson): Record<string, string> => ingress.metadata.annotations;

test("AlbIngress: an internet-facing ALB of ingress class alb, with pods as targets (target type ip)", () => {
  const ingress = build();
  expect(ingress.spec.ingress_class_name).toBe("alb");
  expect(annotations(ingress)).toMatchObject({ "alb.ingress.kubernetes.io/scheme": "internet-facing", "alb.ingress.kubernetes.io/target-type": "ip" });
});

test("AlbIngress: HTTP and HTTPS listeners, HTTP redirected to HTTPS", () => {
  const a = annotations(build());
  expect(JSON.parse(a["alb.ingress.kubernetes.io/listen-ports"])).toEqual([{ HTTP: 80 }, { HTTPS: 443 }]);
  expect(a["alb.ingress.kubernetes.io/ssl-redirect"]).toBe("443");
});

test("AlbIngress: the ACM certificate with the modern TLS policy (TLS 1.3 and 1.2, post-quantum key exchange)", () => {
  const a = annotations(build());
  expect(a["alb.ingress.kubernetes.io/certificate-arn"]).toBe(CERT);
  expect(a["alb.ingress.kubernetes.io/ssl-policy"]).toBe(ALB_SSL_POLICY);
  expect(ALB_SSL_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
});

test("AlbIngress: the ALB's fixed name and IngressGroup, for the dns stack to look it up", () => {
  const ingress = build();
  expect(ingress.metadata).toMatchObject({ name: "factory", namespace: "factory-system" });
  expect(annotations(ingress)).toMatchObject({
    "alb.ingress.kubernetes.io/load-balancer-name": "attractor-factory",
    "alb.ingress.kubernetes.io/group.name": "attractor-factory",
  });
});

test("AlbIngress: target groups check / by default, healthCheckPath otherwise; 2xx and 3xx are healthy", () => {
  expect(annotations(build())["alb.ingress.kubernetes.io/healthcheck-path"]).toBe("/");
  expect(annotations(build({ healthCheckPath: "/healthz" }))["alb.ingress.kubernetes.io/healthcheck-path"]).toBe("/healthz");
  expect(annotations(build())["alb.ingress.kubernetes.io/success-codes"]).toBe("200-399");
});

test("AlbIngress: only the hostname is routed, its routes as path prefixes in the given order", () => {
  expect(build().spec.rule).toEqual([
    {
      host: "factory.example.com",
      http: {
        path: [
          { path: "/api", path_type: "Prefix", backend: { service: { name: "factory-api", port: { number: 80 } } } },
          { path: "/", path_type: "Prefix", backend: { service: { name: "factory-web", port: { number: 80 } } } },
        ],
      },
    },
  ]);
});

test("AlbIngress: apply waits until the ALB exists, so the dns stack can find it", () => {
  expect(build().wait_for_load_balancer).toBe(true);
});

test("AlbIngress: the load balancer's name is what AWS accepts (at most 32 characters)", () => {
  const props = { name: "factory", namespace: "n", hostname: "h.example.com", certificateArn: "arn", groupName: "g", routes: [] };
  expect(() => new AlbIngress(emptyStack(), "i", { ...props, loadBalancerName: "attractor-factory-staging-eu-alb1" })).toThrow(
    'AlbIngress factory: loadBalancerName must be 1-32 letters, digits and -, not starting or ending with -, got "attractor-factory-staging-eu-alb1"',
  );
});

test("AlbIngress: a name of 32 characters is accepted; one starting or ending with - is not", () => {
  expect(annotations(build({ loadBalancerName: "a".repeat(32) }))["alb.ingress.kubernetes.io/load-balancer-name"]).toHaveLength(32);
  expect(() => build({ loadBalancerName: "-factory" })).toThrow('got "-factory"');
  expect(() => build({ loadBalancerName: "factory-" })).toThrow('got "factory-"');
});
