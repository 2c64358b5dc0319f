import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { FactoryConfig } from "../config";
import { VERSIONS } from "../versions";
import { FactoryStack } from "./factory-stack";
import { NetworkStack } from "./network-stack";
import { EksCluster } from "../constructs/eks-cluster";
import { ClusterAdminAccess } from "../constructs/cluster-admin-access";
import { ManagedNodeGroup } from "../constructs/managed-node-group";
import { EksManagedAddons } from "../constructs/eks-managed-addons";
import { AlbControllerRole } from "../constructs/alb-controller-role";
import { ClusterAutoscalerRole } from "../constructs/cluster-autoscaler-role";

/**
 * The EKS cluster, its node group, the EKS managed add-ons and the IRSA roles of the add-ons that
 * the Kubernetes layer installs (load balancer controller, cluster autoscaler). Reads the VPC from the network stack.
 */
export class EksStack extends FactoryStack {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  readonly clusterCertificateAuthorityData: string;
  readonly oidcProviderArn: string;
  readonly albControllerRoleArn: string;
  readonly clusterAutoscalerRoleArn: string;

  constructor(scope: Construct, config: FactoryConfig, network: NetworkStack) {
    super(scope, "eks", { config });

    const eks = new EksCluster(this, "cluster", {
      clusterName: config.clusterName,
      kubernetesVersion: config.kubernetesVersion,
      subnetIds: network.privateSubnetIds,
      serviceCidr: config.serviceCidr,
      endpointPublicAccessCidrs: config.endpointPublicAccessCidrs,
      logRetentionDays: config.logRetentionDays,
    });
    const cluster = eks.cluster;

    new ClusterAdminAccess(this, "admin-access", {
      clusterName: cluster.name,
      extraAdminArns: config.adminPrincipalArns,
    });

    const nodes = new ManagedNodeGroup(this, "nodes", {
      clusterName: cluster.name,
      launchTemplateNamePrefix: `${config.clusterName}-default`,
      subnetIds: network.privateSubnetIds,
      sizing: config.nodeGroup,
      kubernetesVersion: cluster.version,
    });

    const oidcIssuerUrl = cluster.identity.get(0).oidc.get(0).issuer;
    new EksManagedAddons(this, "addons", {
      clusterName: cluster.name,
      versions: VERSIONS.kubernetes.eksAddons[config.kubernetesVersion],
      oidcProviderArn: eks.oidcProvider.arn,
      oidcIssuerUrl,
      nodes: nodes.nodeGroup,
    });
    const albRole = new AlbControllerRole(this, "alb-controller-role", {
      clusterName: config.clusterName,
      oidcProviderArn: eks.oidcProvider.arn,
      oidcIssuerUrl,
    });

    const autoscalerRole = new ClusterAutoscalerRole(this, "cluster-autoscaler-role", {
      clusterName: config.clusterName,
      oidcProviderArn: eks.oidcProvider.arn,
      oidcIssuerUrl,
    });

    this.clusterName = cluster.name;
    this.clusterEndpoint = cluster.endpoint;
    this.clusterCertificateAuthorityData = cluster.certificateAuthority.get(0).data;
    this.oidcProviderArn = eks.oidcProvider.arn;
    this.albControllerRoleArn = albRole.role.arn;
    this.clusterAutoscalerRoleArn = autoscalerRole.role.arn;

    new TerraformOutput(this, "ClusterName", { value: cluster.name });
    new TerraformOutput(this, "ClusterArn", { value: cluster.arn });
    new TerraformOutput(this, "ClusterEndpoint", { value: cluster.endpoint });
    new TerraformOutput(this, "OidcIssuer", { value: oidcIssuerUrl });
    new TerraformOutput(this, "NodeRoleArn", { value: nodes.role.role.arn });
    new TerraformOutput(this, "ClusterCertificateAuthorityData", { value: this.clusterCertificateAuthorityData });
    new TerraformOutput(this, "OidcProviderArn", { value: this.oidcProviderArn });
    new TerraformOutput(this, "ClusterSecurityGroupId", { value: cluster.vpcConfig.clusterSecurityGroupId });
    new TerraformOutput(this, "AlbControllerRoleArn", { value: this.albControllerRoleArn });
    new TerraformOutput(this, "ClusterAutoscalerRoleArn", {
      value: this.clusterAutoscalerRoleArn,
      description: "The Cluster Autoscaler's IRSA role (kube-system/cluster-autoscaler)",
    });
  }
}
