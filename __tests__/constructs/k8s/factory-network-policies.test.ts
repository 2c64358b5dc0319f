/**
 * FactoryNetworkPolicies on a minimal stack: the input it refuses, and the denials that do not
 * depend on the platform. The allowed flows, as the platform wires them, are in
 * __tests__/stacks/app-stack/network-policies.test.ts.
 */
import { FactoryNetworkPolicies, FactoryNetworkPoliciesProps, INSTANCE_METADATA_CIDR } from "../../../constructs/k8s/factory-network-policies";
import { all, emptyStack, kubernetesStack, synth, TfJson } from "../support";

const props: FactoryNetworkPoliciesProps = {
  namespace: "factory-system",
  runnerNamespace: "factory-runs",
  services: { api: "factory-api", web: "factory-web", controller: "runner-controller" },
  servicePort: 8080,
  dataStores: [{ name: "postgres", port: 5432 }],
  loadBalancerCidrs: ["10.0.128.0/20"],
  controlPlaneCidrs: ["10.0.0.0/18"],
  serviceCidr: "172.20.0.0/16",
  vpcCidr: "10.0.0.0/16",
};

function policies(overrides: Partial<FactoryNetworkPoliciesProps> = {}): TfJson[] {
  const stack = kubernetesStack();
  new FactoryNetworkPolicies(stack, "p", { ...props, ...overrides });
  return all(synth(stack), "kubernetes_network_policy_v1");
}
const policy = (namespace: string, name: string) => {
  const found = policies().filter((p) => p.metadata.namespace === namespace && p.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one NetworkPolicy ${name} in ${namespace}, found ${found.length}`);
  return found[0].spec;
};

test.each(["factory-system", "factory-runs"])("FactoryNetworkPolicies: %s denies all ingress and egress by default", (namespace) => {
  expect(policy(namespace, "default-deny")).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"], ingress: [], egress: [] });
});

test("FactoryNetworkPolicies: runner pods reach the internet but not the VPC, the service network or the instance metadata address", () => {
  const egress = policy("factory-runs", "egress").egress;
  expect(egress).toContainEqual({ to: [{ ip_block: { cidr: "0.0.0.0/0", except: ["10.0.0.0/16", "172.20.0.0/16", INSTANCE_METADATA_CIDR] } }] });
  expect(INSTANCE_METADATA_CIDR).toBe("169.254.169.254/32");
});

test("FactoryNetworkPolicies: the Kubernetes API is the service network's first address and the control plane's subnets, on 443", () => {
  const egress = policy("factory-system", "data-stores-and-kubernetes-api").egress;
  expect(egress).toContainEqual({
    to: [{ ip_block: { cidr: "172.20.0.1/32" } }, { ip_block: { cidr: "10.0.0.0/18" } }],
    ports: [{ protocol: "TCP", port: "443" }],
  });
});

test("FactoryNetworkPolicies: each data store admits api and the runner controller on its own port, and web not", () => {
  expect(policy("factory-system", "postgres-ingress").ingress).toEqual([
    {
      from: [{ pod_selector: { match_expressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["factory-api", "runner-controller"] }] } }],
      ports: [{ protocol: "TCP", port: "5432" }],
    },
  ]);
});

test("FactoryNetworkPolicies: the service network must be given as its network address", () => {
  expect(
    () =>
      new FactoryNetworkPolicies(emptyStack(), "p", {
        namespace: "a",
        runnerNamespace: "b",
        services: { api: "api", web: "web", controller: "c" },
        servicePort: 8080,
        dataStores: [],
        loadBalancerCidrs: [],
        controlPlaneCidrs: [],
        serviceCidr: "172.20.0.1/16",
        vpcCidr: "10.0.0.0/16",
      }),
  ).toThrow('FactoryNetworkPolicies: serviceCidr must be a network address such as 172.20.0.0/16, got "172.20.0.1/16"');
});
