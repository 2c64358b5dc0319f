import { Construct } from "constructs";
import { CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } from "./role";
import { ChartPin, PinnedHelmRelease } from "../../k8s/pinned-helm-release";

export interface ClusterAutoscalerProps {
  /** The chart, from versions.yaml. */
  readonly pin: ChartPin;
  /** The image tag, whose minor is the cluster's (versions.yaml: kubernetes.clusterAutoscaler). */
  readonly imageTag: string;
  /** The cluster's Kubernetes version, e.g. 1.35: checked against the image tag. */
  readonly kubernetesVersion: string;
  /** The cluster whose node groups' Auto Scaling groups are auto-discovered by their tags (chart value autoDiscovery.clusterName). */
  readonly clusterName: string;
  /** The cluster's region (chart value awsRegion). */
  readonly region: string;
  /** The IRSA role (eks stack, ClusterAutoscalerRole) trusted for exactly this service account. */
  readonly roleArn: string;
}

/**
 * The Cluster Autoscaler: adds nodes to the managed node group when pods cannot be scheduled (up
 * to FACTORY_NODE_MAX) and removes underused ones, evicting only what PodDisruptionBudgets allow.
 * It finds the node group's Auto Scaling group by the tags EKS puts on it (auto-discovery), so the
 * group's min and max stay Terraform's. Chosen over Karpenter for one managed node group of
 * this size: Karpenter would replace the managed group with nodes it launches itself (its own
 * controller, node classes, interruption queue and IAM), a second way of making nodes beside the
 * eks stack's, for no gain at 2-6 nodes of one instance family.
 */
export class ClusterAutoscaler extends PinnedHelmRelease {
  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    if (!props.imageTag.startsWith(`v${props.kubernetesVersion}.`)) {
      throw new Error(`ClusterAutoscaler: image tag ${props.imageTag} does not match Kubernetes ${props.kubernetesVersion} (the minors must match)`);
    }
    super(scope, id, {
      pin: props.pin,
      releaseName: "cluster-autoscaler",
      namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace,
      computedValues: {
        cloudProvider: "aws",
        awsRegion: props.region,
        autoDiscovery: { clusterName: props.clusterName },
        image: { tag: props.imageTag },
        rbac: {
          serviceAccount: {
            create: true,
            name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name,
            annotations: { "eks.amazonaws.com/role-arn": props.roleArn },
          },
        },
      },
    });
  }
}
