import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { FactoryConfig } from "../config";
import { VERSIONS } from "../versions";
import { PlatformStack } from "./platform-stack";
import { NetworkStack } from "./network-stack";
import { EksCluster } from "../constructs/eks-cluster";
import { ClusterAdminAccess } from "../constructs/cluster-admin-access";
import { ManagedNodeGroup } from "../constructs/managed-node-group";
import { ContainerInsights, CLOUDWATCH_OBSERVABILITY, containerInsightsConfiguration } from "../constructs/addons/container-insights/addon";
import { EksManagedAddons } from "../constructs/eks-managed-addons";
import { AlbControllerRole } from "../constructs/addons/aws-load-balancer-controller/role";
import { ClusterAutoscalerRole } from "../constructs/addons/cluster-autoscaler/role";

export interface EksStackProps {
  /** The validated settings (config/index.ts). */
  readonly config: FactoryConfig;
  /** The VPC and its subnets. */
  readonly network: NetworkStack;
}

/**
 * The EKS cluster, its node groups (one a zone), the EKS managed add-ons and the IRSA roles of the add-ons that
 * the Kubernetes layer installs (load balancer controller, cluster autoscaler). Reads the VPC from the network stack.
 */
export class EksStack extends PlatformStack {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  readonly clusterCertificateAuthorityData: string;
  readonly oidcProviderArn: string;
  readonly albControllerRoleArn: string;
  readonly clusterAutoscalerRoleArn: string;

  constructor(scope: Construct, id: string, props: EksStackProps) {
    super(scope, id, { config: props.config });
    const { config, network } = props;

    const eks = new EksCluster(this, "cluster", {
      clusterName: config.clusterName,
      kubernetesVersion: config.kubernetesVersion,
      subnetIds: network.privateSubnetIds,
      serviceCidr: config.serviceCidr,
      endpointPublicAccessCidrs: config.endpointPublicAccessCidrs,
      logRetentionDays: config.logRetentionDays,
      supportType: config.eksSupportType,
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
      releaseVersion: config.nodeAmiRelease,
      tags: this.costTags,
    });

    const oidcIssuerUrl = cluster.identity.get(0).oidc.get(0).issuer;
    new EksManagedAddons(this, "addons", {
      clusterName: cluster.name,
      versions: VERSIONS.kubernetes.eksAddons[config.kubernetesVersion],
      oidcProviderArn: eks.oidcProvider.arn,
      oidcIssuerUrl,
      nodes: nodes.nodeGroups,
    });
    // Container Insights: metrics and container logs, into log groups this stack owns.
    const insights = new ContainerInsights(this, "container-insights", {
      clusterName: config.clusterName,
      accountId: config.accountId,
      region: config.region,
      addonVersion: VERSIONS.kubernetes.eksAddons[config.kubernetesVersion][CLOUDWATCH_OBSERVABILITY],
      oidcProviderArn: eks.oidcProvider.arn,
      oidcIssuerUrl,
      retentionDays: config.logRetentionDays,
      configuration: containerInsightsConfiguration(config.clusterName),
      dependsOn: nodes.nodeGroups,
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

    new TerraformOutput(this, "ClusterName", { value: cluster.name, description: "The EKS cluster's name" });
    new TerraformOutput(this, "ContainerInsightsLogGroups", {
      value: Object.values(insights.logGroups).map((g) => g.name),
      description: "The log groups Container Insights writes to (retention FACTORY_LOG_RETENTION_DAYS)",
    });
    new TerraformOutput(this, "ClusterArn", { value: cluster.arn, description: "The EKS cluster's ARN" });
    new TerraformOutput(this, "ClusterEndpoint", { value: cluster.endpoint, description: "The Kubernetes API endpoint" });
    new TerraformOutput(this, "OidcIssuer", { value: oidcIssuerUrl, description: "The cluster's OIDC issuer URL (IRSA)" });
    new TerraformOutput(this, "NodeRoleArn", { value: nodes.role.role.arn, description: "The node groups' IAM role" });
    new TerraformOutput(this, "ClusterCertificateAuthorityData", {
      value: this.clusterCertificateAuthorityData,
      description: "The cluster's CA certificate, base64",
    });
    new TerraformOutput(this, "OidcProviderArn", { value: this.oidcProviderArn, description: "The cluster's IAM OIDC provider (IRSA trust)" });
    new TerraformOutput(this, "ClusterSecurityGroupId", {
      value: cluster.vpcConfig.clusterSecurityGroupId,
      description: "The security group EKS created for the cluster and its nodes",
    });
    new TerraformOutput(this, "AlbControllerRoleArn", {
      value: this.albControllerRoleArn,
      description: "The AWS Load Balancer Controller's IRSA role (kube-system/aws-load-balancer-controller)",
    });
    new TerraformOutput(this, "ClusterAutoscalerRoleArn", {
      value: this.clusterAutoscalerRoleArn,
      description: "The Cluster Autoscaler's IRSA role (kube-system/cluster-autoscaler)",
    });
  }
}
