import { Construct } from "constructs";
import { FactoryConfig } from "../config";
import { PlatformStack } from "./platform-stack";
import { EksStack } from "./eks-stack";
import { ClusterProviders } from "../constructs/k8s/cluster-providers";

export interface KubernetesStackProps {
  /** The validated settings (config/index.ts). */
  readonly config: FactoryConfig;
  /** The cluster whose outputs configure the kubernetes and helm providers. */
  readonly eks: EksStack;
  /**
   * Whether the stack also configures the helm provider.
   * @default false
   */
  readonly helm?: boolean;
  /**
   * Whether the stack also configures the AWS provider, for data sources only (the app stack
   * checks its images are in ECR): it creates nothing in AWS.
   * @default false
   */
  readonly aws?: boolean;
}

/**
 * The base of the stacks that deploy into the cluster (add-ons, app): no AWS resources, and the
 * kubernetes (and helm) providers configured from the eks stack's outputs, so that they are never
 * configured from a cluster created in the same apply.
 */
export class KubernetesStack extends PlatformStack {
  readonly providers: ClusterProviders;

  constructor(scope: Construct, id: string, props: KubernetesStackProps) {
    super(scope, id, { config: props.config, aws: props.aws ?? false });
    const { config, eks } = props;
    this.providers = new ClusterProviders(this, "cluster", {
      clusterName: eks.clusterName,
      endpoint: eks.clusterEndpoint,
      certificateAuthorityData: eks.clusterCertificateAuthorityData,
      region: config.region,
      awsProfile: config.awsProfile,
      helm: props.helm,
    });
  }
}
