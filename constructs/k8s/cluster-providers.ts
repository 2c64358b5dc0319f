import { Construct } from "constructs";
import { Fn } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";

export interface ClusterProvidersProps {
  /** The eks stack's cluster name (a cross-stack reference). */
  readonly clusterName: string;
  /** The cluster's API endpoint (a cross-stack reference). */
  readonly endpoint: string;
  /** The cluster's CA certificate, base64-encoded as EKS returns it (a cross-stack reference). */
  readonly certificateAuthorityData: string;
  /** The cluster's region, for `aws eks get-token`. */
  readonly region: string;
  /** AWS CLI profile for get-token; undefined uses the default credential chain. */
  readonly awsProfile: string | undefined;
  /**
   * Whether to configure the Helm provider too.
   * @default false
   */
  readonly helm?: boolean;
}

/** The client.authentication.k8s.io exec plugin call that gets a cluster token from the AWS CLI. */
export function eksGetTokenExec(clusterName: string, region: string, awsProfile: string | undefined) {
  return {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, ...(awsProfile ? ["--profile", awsProfile] : [])],
  };
}

/**
 * The kubernetes (and optionally helm) providers of a stack that deploys into the EKS cluster of
 * the eks stack. Each plan or apply runs `aws eks get-token` for a fresh token: a token (valid for
 * 15 minutes) is never stored in state nor passed between stacks.
 */
export class ClusterProviders extends Construct {
  readonly kubernetes: KubernetesProvider;
  readonly helm?: HelmProvider;

  constructor(scope: Construct, id: string, props: ClusterProvidersProps) {
    super(scope, id);
    const connection = {
      host: props.endpoint,
      clusterCaCertificate: Fn.base64decode(props.certificateAuthorityData),
    };
    const exec = eksGetTokenExec(props.clusterName, props.region, props.awsProfile);

    this.kubernetes = new KubernetesProvider(this, "kubernetes", { ...connection, exec: [exec] });
    if (props.helm) {
      this.helm = new HelmProvider(this, "helm", { kubernetes: { ...connection, exec } });
    }
  }
}
