import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { FactoryConfig } from "../config";
import { VERSIONS } from "../versions";
import { KubernetesStack } from "./kubernetes-stack";
import { NetworkStack } from "./network-stack";
import { EksStack } from "./eks-stack";
import { AwsLoadBalancerController } from "../constructs/addons/aws-load-balancer-controller/release";
import { ClusterAutoscaler } from "../constructs/addons/cluster-autoscaler/release";
import { MetricsServer } from "../constructs/addons/metrics-server/release";
import { Gp3StorageClass, STORAGE_CLASSES } from "../constructs/k8s/gp3-storage-class";
import { backupTag } from "../constructs/backup-tag";

export interface ClusterAddonsStackProps {
  /** The validated settings (config/index.ts). */
  readonly config: FactoryConfig;
  /** The VPC (the load balancer controller's). */
  readonly network: NetworkStack;
  /** The cluster and the add-ons' IRSA roles. */
  readonly eks: EksStack;
}

/**
 * The "addons" stack: cluster add-ons this project installs itself, with Helm and the kubernetes
 * provider: the AWS Load Balancer Controller, the Cluster Autoscaler, metrics-server and the gp3
 * StorageClasses. Not to be confused with the EKS managed add-ons (VPC CNI, kube-proxy, CoreDNS,
 * EBS CSI driver), which AWS installs through the EKS API (EksManagedAddons, in the eks stack).
 * The stack's id stays "addons": it names its state key and the operator verbs' argument.
 * A stack of its own so that its providers are configured from a cluster that already exists.
 * No AWS provider: the cluster, VPC and role come from the other stacks' state.
 */
export class ClusterAddonsStack extends KubernetesStack {
  constructor(scope: Construct, id: string, props: ClusterAddonsStackProps) {
    super(scope, id, { config: props.config, eks: props.eks, helm: true });
    const { config, network, eks } = props;

    const alb = new AwsLoadBalancerController(this, "aws-load-balancer-controller", {
      pin: VERSIONS.charts.awsLoadBalancerController,
      clusterName: eks.clusterName,
      region: config.region,
      vpcId: network.vpcId,
      roleArn: eks.albControllerRoleArn,
      defaultTags: this.costTags,
    });
    const autoscaler = new ClusterAutoscaler(this, "cluster-autoscaler", {
      pin: VERSIONS.charts.clusterAutoscaler,
      imageTag: VERSIONS.kubernetes.clusterAutoscaler[config.kubernetesVersion],
      kubernetesVersion: config.kubernetesVersion,
      clusterName: eks.clusterName,
      region: config.region,
      roleArn: eks.clusterAutoscalerRoleArn,
    });
    const metrics = new MetricsServer(this, "metrics-server", { pin: VERSIONS.charts.metricsServer });

    new Gp3StorageClass(this, "gp3", { name: STORAGE_CLASSES.scratch, isDefault: true, reclaimPolicy: "Delete", volumeTags: this.costTags });
    const backup = backupTag(config.stackPrefix);
    new Gp3StorageClass(this, "gp3-retain", {
      name: STORAGE_CLASSES.retained,
      reclaimPolicy: "Retain",
      volumeTags: { [backup.key]: backup.value, ...this.costTags },
    });

    new TerraformOutput(this, "AwsLoadBalancerControllerChartVersion", {
      value: alb.release.version,
      description: "The aws-load-balancer-controller chart's version",
    });
    new TerraformOutput(this, "MetricsServerChartVersion", { value: metrics.release.version, description: "The metrics-server chart's version" });
    new TerraformOutput(this, "ClusterAutoscalerChartVersion", { value: autoscaler.release.version, description: "The cluster-autoscaler chart's version" });
  }
}
