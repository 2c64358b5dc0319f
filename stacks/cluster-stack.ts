import { Construct } from "constructs";
import { FactoryConfig } from "../config";
import { FactoryStack } from "./factory-stack";
import { EksStack } from "./eks-stack";
import { ClusterProviders } from "../constructs/k8s/cluster-providers";

/**
 * The base of the stacks that deploy into the cluster (add-ons, app): no AWS provider, and the
 * kubernetes (and helm) providers configured from the eks stack's outputs, so that they are never
 * configured from a cluster created in the same apply.
 */
export class ClusterStack extends FactoryStack {
  readonly providers: ClusterProviders;

  constructor(scope: Construct, shortName: string, config: FactoryConfig, eks: EksStack, options: { readonly helm?: boolean } = {}) {
    super(scope, shortName, { config, aws: false });
    this.providers = new ClusterProviders(this, "cluster", {
      clusterName: eks.clusterName,
      endpoint: eks.clusterEndpoint,
      certificateAuthorityData: eks.clusterCertificateAuthorityData,
      region: config.region,
      awsProfile: config.awsProfile,
      helm: options.helm,
    });
  }
}
