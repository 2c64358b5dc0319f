import { Construct } from "constructs";
import { NetworkPolicyV1, NetworkPolicyV1SpecEgress, NetworkPolicyV1SpecIngress } from "@cdktf/provider-kubernetes/lib/network-policy-v1";

export interface DataStorePort {
  /** The store's pod name label (app.kubernetes.io/name). */
  readonly name: string;
  readonly port: number;
}

export interface FactoryNetworkPoliciesProps {
  /** The services' and data stores' namespace. */
  readonly namespace: string;
  /** The runner Jobs' namespace. */
  readonly runnerNamespace: string;
  /** Pod name labels (app.kubernetes.io/name) of the three services. */
  readonly services: { readonly api: string; readonly web: string; readonly controller: string };
  /** The port api and web pods serve on (the ALB targets pod addresses: target type ip). */
  readonly servicePort: number;
  /** The data stores' pod name labels and ports: api and the runner controller may reach each on its port. */
  readonly dataStores: readonly DataStorePort[];
  /** Where the load balancer's addresses are: the VPC's public subnets. */
  readonly loadBalancerCidrs: readonly string[];
  /** Where the control plane's network interfaces are: the cluster's (private) subnets. */
  readonly controlPlaneCidrs: readonly string[];
  /** The service network (its first address is the `kubernetes` Service). */
  readonly serviceCidr: string;
  /** The VPC: runner pods reach none of it but the api. */
  readonly vpcCidr: string;
}

/** The instance metadata service (IMDSv2 would hand a pod the node's role credentials). */
export const INSTANCE_METADATA_CIDR = "169.254.169.254/32";
const NAME = "app.kubernetes.io/name";

/**
 * The factory's network policies (enforced by the VPC CNI's network policy agent, turned on in the
 * eks stack). Both namespaces deny all ingress and egress by default; then exactly this is allowed:
 * - every pod: DNS to kube-dns;
 * - the ALB (from the public subnets) to api and web on their port; web to api; runner pods to api;
 *   api to the runner controller;
 * - api and the runner controller to the data stores on each store's port, and to the Kubernetes
 *   API (443: the `kubernetes` Service and the control plane's interfaces);
 * - runner pods to the internet, except the VPC (the data stores, other nodes and every other
 *   address in it), the service network (the Kubernetes API and every other Service) and the
 *   instance metadata address. (The agent always admits a pod's own node.)
 * web never opens a data store (it has no data store settings), so it is not let in. The kubelet's
 * probes need no rule: the agent always admits the node's own address.
 */
export class FactoryNetworkPolicies extends Construct {
  readonly policies: NetworkPolicyV1[] = [];

  constructor(scope: Construct, id: string, props: FactoryNetworkPoliciesProps) {
    super(scope, id);
    const ns = props.namespace;
    const runs = props.runnerNamespace;
    const s = props.services;
    const pods = (...names: string[]) => ({ matchExpressions: [{ key: NAME, operator: "In", values: names }] });
    const inNamespace = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });
    const tcp = (port: number) => ({ protocol: "TCP", port: String(port) });
    const policy = (
      policyId: string,
      namespace: string,
      spec: { podSelector: object; ingress?: NetworkPolicyV1SpecIngress[]; egress?: NetworkPolicyV1SpecEgress[] },
    ) => {
      const types = [...(spec.ingress ? ["Ingress"] : []), ...(spec.egress ? ["Egress"] : [])];
      const p = new NetworkPolicyV1(this, policyId, {
        metadata: { name: policyId.replace(/^runs-/, ""), namespace },
        spec: { podSelector: spec.podSelector, policyTypes: types, ingress: spec.ingress, egress: spec.egress },
      });
      this.policies.push(p);
      return p;
    };
    const kubeApi = [props.serviceCidr.replace(/\.\d+\/\d+$/, ".1/32"), ...props.controlPlaneCidrs];
    const dns: NetworkPolicyV1SpecEgress = {
      to: [{ namespaceSelector: inNamespace("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
      ports: [
        { protocol: "UDP", port: "53" },
        { protocol: "TCP", port: "53" },
      ],
    };
    if (!/\.0\/\d+$/.test(props.serviceCidr))
      throw new Error(`FactoryNetworkPolicies: serviceCidr must be a network address such as 172.20.0.0/16, got "${props.serviceCidr}"`);

    for (const [prefix, namespace] of [
      ["", ns],
      ["runs-", runs],
    ] as const) {
      // Nothing in or out unless a policy below allows it (policies add up).
      policy(`${prefix}default-deny`, namespace, { podSelector: {}, ingress: [], egress: [] });
      policy(`${prefix}dns`, namespace, { podSelector: {}, egress: [dns] });
    }

    policy("api-ingress", ns, {
      podSelector: pods(s.api),
      ingress: [
        {
          from: [...props.loadBalancerCidrs.map((cidr) => ({ ipBlock: { cidr } })), { podSelector: pods(s.web) }, { namespaceSelector: inNamespace(runs) }],
          ports: [tcp(props.servicePort)],
        },
      ],
    });
    policy("web-ingress", ns, {
      podSelector: pods(s.web),
      ingress: [{ from: props.loadBalancerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(props.servicePort)] }],
    });
    policy("web-to-api", ns, { podSelector: pods(s.web), egress: [{ to: [{ podSelector: pods(s.api) }], ports: [tcp(props.servicePort)] }] });
    // The runner controller's Service: the api is its one client (to dispatch and cancel runs).
    policy("runner-controller-ingress", ns, {
      podSelector: pods(s.controller),
      ingress: [{ from: [{ podSelector: pods(s.api) }], ports: [tcp(props.servicePort)] }],
    });
    policy("api-to-runner-controller", ns, {
      podSelector: pods(s.api),
      egress: [{ to: [{ podSelector: pods(s.controller) }], ports: [tcp(props.servicePort)] }],
    });

    for (const store of props.dataStores) {
      policy(`${store.name}-ingress`, ns, {
        podSelector: pods(store.name),
        ingress: [{ from: [{ podSelector: pods(s.api, s.controller) }], ports: [tcp(store.port)] }],
      });
    }
    policy("data-stores-and-kubernetes-api", ns, {
      podSelector: pods(s.api, s.controller),
      egress: [
        ...props.dataStores.map((store) => ({ to: [{ podSelector: pods(store.name) }], ports: [tcp(store.port)] })),
        { to: kubeApi.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(443)] },
      ],
    });

    policy("runs-egress", runs, {
      podSelector: {},
      egress: [
        { to: [{ namespaceSelector: inNamespace(ns), podSelector: pods(s.api) }], ports: [tcp(props.servicePort)] },
        // The service network too: the policy agent sees a Service's ClusterIP before kube-proxy
        // rewrites it, so without it a runner would reach the Kubernetes API and every Service.
        { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [props.vpcCidr, props.serviceCidr, INSTANCE_METADATA_CIDR] } }] },
      ],
    });
  }
}
