/** ClusterProviders: the kubernetes (and optionally helm) providers of a stack that deploys into the EKS cluster. */
import { TerraformVariable } from "cdktf";
import { ClusterProviders, ClusterProvidersProps, eksGetTokenExec } from "../../../constructs/k8s/cluster-providers";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { emptyStack, synth, TfJson } from "../support";

const props: ClusterProvidersProps = {
  clusterName: "attractor-factory",
  endpoint: "https://ABCDEF.gr7.us-west-2.eks.amazonaws.com",
  certificateAuthorityData: "Q0EgY2VydGlmaWNhdGU=",
  region: "us-west-2",
  awsProfile: "sandbox",
};

function build(overrides: Partial<ClusterProvidersProps> = {}) {
  const stack = emptyStack();
  const providers = new ClusterProviders(stack, "cluster", { ...props, ...overrides });
  const json = synth(stack);
  return { providers, json, kubernetes: json.provider.kubernetes[0] as TfJson, helm: json.provider.helm?.[0]?.kubernetes as TfJson | undefined };
}
const TOKEN_ARGS = ["eks", "get-token", "--cluster-name", "attractor-factory", "--region", "us-west-2", "--profile", "sandbox"];

test("ClusterProviders: the kubernetes provider connects to the endpoint, trusting the cluster's CA (base64-decoded, as EKS returns it encoded)", () => {
  const { kubernetes } = build();
  expect(kubernetes.host).toBe("https://ABCDEF.gr7.us-west-2.eks.amazonaws.com");
  expect(kubernetes.cluster_ca_certificate).toBe('${base64decode("Q0EgY2VydGlmaWNhdGU=")}');
});

test("ClusterProviders: each plan or apply gets a fresh token from aws eks get-token for the cluster, region and profile", () => {
  expect(build().kubernetes.exec).toEqual([{ api_version: "client.authentication.k8s.io/v1beta1", command: "aws", args: TOKEN_ARGS }]);
});

test("ClusterProviders: without a profile, get-token uses the default credential chain (no --profile)", () => {
  expect(build({ awsProfile: undefined }).kubernetes.exec[0].args).toEqual(TOKEN_ARGS.slice(0, 6));
});

test("ClusterProviders: no token or static credential is configured: a token (valid 15 minutes) is never stored in state", () => {
  const { kubernetes, helm } = build({ helm: true });
  for (const connection of [kubernetes, helm]) expect(Object.keys(connection ?? {}).sort()).toEqual(["cluster_ca_certificate", "exec", "host"]);
});

test("ClusterProviders: no helm provider by default", () => {
  const { providers, json } = build();
  expect(Object.keys(json.provider)).toEqual(["kubernetes"]);
  expect(providers.helm).toBeUndefined();
});

test("ClusterProviders: helm: true configures the helm provider with the same connection and get-token call", () => {
  const { helm, kubernetes, json } = build({ helm: true });
  expect(helm).toEqual({ host: kubernetes.host, cluster_ca_certificate: kubernetes.cluster_ca_certificate, exec: kubernetes.exec[0] });
  expect(Object.keys(json.provider.helm[0])).toEqual(["kubernetes"]);
});

test("ClusterProviders: cross-stack references in the props become Terraform interpolations", () => {
  const stack = emptyStack();
  const v = (name: string) => new TerraformVariable(stack, name, { type: "string" }).stringValue;
  new ClusterProviders(stack, "cluster", { ...props, clusterName: v("name"), endpoint: v("endpoint"), certificateAuthorityData: v("ca"), helm: true });
  const { kubernetes, helm } = synth(stack).provider;
  expect(kubernetes[0].host).toBe("${var.endpoint}");
  expect(kubernetes[0].cluster_ca_certificate).toBe("${base64decode(var.ca)}");
  expect(kubernetes[0].exec[0].args[3]).toBe("${var.name}");
  expect(helm[0].kubernetes.exec.args[3]).toBe("${var.name}");
});

test("ClusterProviders: the providers are exposed (for resources that name their provider)", () => {
  const { providers } = build({ helm: true });
  expect(providers.kubernetes).toBeInstanceOf(KubernetesProvider);
  expect(providers.helm).toBeInstanceOf(HelmProvider);
});

test("eksGetTokenExec: the client.authentication.k8s.io/v1beta1 exec plugin call of the AWS CLI", () => {
  expect(eksGetTokenExec("c", "eu-west-1", "p")).toEqual({
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", "c", "--region", "eu-west-1", "--profile", "p"],
  });
  expect(eksGetTokenExec("c", "eu-west-1", undefined).args).toEqual(["eks", "get-token", "--cluster-name", "c", "--region", "eu-west-1"]);
});
