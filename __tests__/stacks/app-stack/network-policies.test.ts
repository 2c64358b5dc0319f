/**
 * Issue "network policies, enforced": default deny in both namespaces, then exactly the flows the
 * factory needs; the VPC CNI enforces them. Each test is one allowed flow or one denial.
 */
import { resourcesOf, synthPlatform, TfJson } from "../../helpers";
import { subnetLayout } from "../../../constructs/vpc-network";
import { cidrsOverlap } from "../../../lib/cidr";
import { INSTANCE_METADATA_CIDR } from "../../../constructs/k8s/factory-network-policies";

const json = synthPlatform();
const app = json.app;
const key = (type: string, name: string) => Object.entries(app.resource[type] as Record<string, TfJson>).find(([, r]) => r.metadata.name === name)![0];
const NS = `\${kubernetes_namespace_v1.${key("kubernetes_namespace_v1", "factory-system")}.metadata[0].name}`;
const RUNS = `\${kubernetes_namespace_v1.${key("kubernetes_namespace_v1", "factory-runs")}.metadata[0].name}`;
const policy = (namespace: string, name: string): TfJson => {
  const found = resourcesOf(app, "kubernetes_network_policy_v1").filter((p) => p.metadata.namespace === namespace && p.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one NetworkPolicy ${name}, found ${found.length}`);
  return found[0].spec;
};
const pods = (...names: string[]) => ({ match_expressions: [{ key: "app.kubernetes.io/name", operator: "In", values: names }] });
const subnets = subnetLayout("10.42.0.0/16");

describe("network policies", () => {
  test.each([
    ["factory-system", () => NS],
    ["factory-runs", () => RUNS],
  ])("%s: default deny of all ingress and egress", (_name, ns) => {
    expect(policy(ns(), "default-deny")).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"], ingress: [], egress: [] });
  });

  test.each([
    ["factory-system", () => NS],
    ["factory-runs", () => RUNS],
  ])("%s: every pod may ask kube-dns (53, UDP and TCP), nothing else", (_name, ns) => {
    expect(policy(ns(), "dns")).toEqual({
      pod_selector: {},
      policy_types: ["Egress"],
      egress: [
        {
          to: [
            {
              namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "kube-system" } },
              pod_selector: { match_labels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { protocol: "UDP", port: "53" },
            { protocol: "TCP", port: "53" },
          ],
        },
      ],
    });
  });

  test("the ALB (the public subnets) reaches web on its port", () => {
    expect(policy(NS, "web-ingress")).toEqual({
      pod_selector: pods("factory-web"),
      policy_types: ["Ingress"],
      ingress: [{ from: subnets.public.map((cidr) => ({ ip_block: { cidr } })), ports: [{ protocol: "TCP", port: "8080" }] }],
    });
    expect(subnets.public).toEqual(["10.42.128.0/20", "10.42.144.0/20"]);
  });

  test("the ALB, web and the runner pods reach api on its port", () => {
    expect(policy(NS, "api-ingress").ingress).toEqual([
      {
        from: [
          ...subnets.public.map((cidr) => ({ ip_block: { cidr } })),
          { pod_selector: pods("factory-web") },
          { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": RUNS } } },
        ],
        ports: [{ protocol: "TCP", port: "8080" }],
      },
    ]);
    expect(policy(NS, "web-to-api").egress).toEqual([{ to: [{ pod_selector: pods("factory-api") }], ports: [{ protocol: "TCP", port: "8080" }] }]);
  });

  test("api, and nothing else, reaches the runner controller's Service on its port", () => {
    expect(policy(NS, "runner-controller-ingress")).toEqual({
      pod_selector: pods("factory-runner-controller"),
      policy_types: ["Ingress"],
      ingress: [{ from: [{ pod_selector: pods("factory-api") }], ports: [{ protocol: "TCP", port: "8080" }] }],
    });
    expect(policy(NS, "api-to-runner-controller").egress).toEqual([
      { to: [{ pod_selector: pods("factory-runner-controller") }], ports: [{ protocol: "TCP", port: "8080" }] },
    ]);
  });

  test.each([
    ["postgres", "5432"],
    ["redis", "6379"],
    ["minio", "9000"],
  ])("%s admits api and the runner controller on %s, nothing else", (store, port) => {
    expect(policy(NS, `${store}-ingress`)).toEqual({
      pod_selector: pods(store),
      policy_types: ["Ingress"],
      ingress: [{ from: [{ pod_selector: pods("factory-api", "factory-runner-controller") }], ports: [{ protocol: "TCP", port }] }],
    });
  });

  test("api and the runner controller reach the data stores and the Kubernetes API (443: the kubernetes Service, the control plane's subnets)", () => {
    const spec = policy(NS, "data-stores-and-kubernetes-api");
    expect(spec.pod_selector).toEqual(pods("factory-api", "factory-runner-controller"));
    expect(spec.egress).toEqual([
      { to: [{ pod_selector: pods("postgres") }], ports: [{ protocol: "TCP", port: "5432" }] },
      { to: [{ pod_selector: pods("redis") }], ports: [{ protocol: "TCP", port: "6379" }] },
      { to: [{ pod_selector: pods("minio") }], ports: [{ protocol: "TCP", port: "9000" }] },
      { to: ["172.20.0.1/32", ...subnets.private].map((cidr) => ({ ip_block: { cidr } })), ports: [{ protocol: "TCP", port: "443" }] },
    ]);
  });

  test("runner pods reach api and the internet, but not the VPC (data stores, nodes), the service network (the Kubernetes API, other Services) or the instance metadata address", () => {
    expect(policy(RUNS, "egress")).toEqual({
      pod_selector: {},
      policy_types: ["Egress"],
      egress: [
        {
          to: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": NS } }, pod_selector: pods("factory-api") }],
          ports: [{ protocol: "TCP", port: "8080" }],
        },
        { to: [{ ip_block: { cidr: "0.0.0.0/0", except: ["10.42.0.0/16", "172.20.0.0/16", INSTANCE_METADATA_CIDR] } }] },
      ],
    });
    expect(INSTANCE_METADATA_CIDR).toBe("169.254.169.254/32");
  });

  test("no policy in the runner namespace admits ingress: nothing reaches a runner pod", () => {
    for (const p of resourcesOf(app, "kubernetes_network_policy_v1").filter((x) => x.metadata.namespace === RUNS)) expect(p.spec.ingress ?? []).toEqual([]);
  });

  // The policy agent (standard mode) gives a new pod its firewall at start only when the node
  // already knows policies for its kind; a runner Job's pod is always new, so its egress is open
  // until the controller reconciles (aws-network-policy-agent pkg/rpc/rpc_handler.go). What it
  // must not reach is therefore closed on the receiving side, whose policies are long in force.
  test("a runner pod whose egress is not yet enforced still reaches no pod but api: every ingress rule of the services' namespace admits it only there", () => {
    // A peer admits runner pods by their namespace, or by an address block over the private subnets (pod addresses).
    const admitsRunners = (peer: TfJson) =>
      JSON.stringify(peer.namespace_selector ?? {}).includes(RUNS) ||
      JSON.stringify(peer.namespace_selector) === "{}" ||
      (peer.ip_block && subnets.private.some((cidr) => cidrsOverlap(cidr, peer.ip_block.cidr)));
    const opened = resourcesOf(app, "kubernetes_network_policy_v1")
      .filter((p) => p.metadata.namespace === NS)
      .filter((p) => (p.spec.ingress ?? []).some((rule: TfJson) => (rule.from ?? []).some(admitsRunners) || (rule.from ?? []).length === 0))
      .map((p) => p.metadata.name);
    expect(opened).toEqual(["api-ingress"]);
    // Nothing is open by default on the receiving side, in either namespace.
    expect(policy(NS, "default-deny").ingress).toEqual([]);
    expect(policy(RUNS, "default-deny").ingress).toEqual([]);
    // Ingress rules with no `from` would admit every source: there are none.
    for (const p of resourcesOf(app, "kubernetes_network_policy_v1")) for (const rule of p.spec.ingress ?? []) expect(rule.from?.length).toBeGreaterThan(0);
  });

  test("the VPC CNI stays in standard enforcing mode: strict mode would deny kube-system's pods, which have no policies", () => {
    const cni = Object.values(json.eks.resource.aws_eks_addon as Record<string, TfJson>).find((a) => a.addon_name === "vpc-cni")!;
    expect(JSON.parse(cni.configuration_values).env?.NETWORK_POLICY_ENFORCING_MODE).toBeUndefined();
  });

  test("another VPC CIDR moves every address block with it", () => {
    const other = synthPlatform({ FACTORY_VPC_CIDR: "10.50.0.0/16" }).app;
    const text = JSON.stringify(resourcesOf(other, "kubernetes_network_policy_v1"));
    expect(text).toContain("10.50.128.0/20");
    expect(text).not.toContain("10.42.");
  });

  test("the VPC CNI add-on enforces them (enableNetworkPolicy)", () => {
    const cni = Object.values(json.eks.resource.aws_eks_addon as Record<string, TfJson>).find((a) => a.addon_name === "vpc-cni")!;
    expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: "true" });
  });
});
