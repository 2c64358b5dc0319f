import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IrsaRole } from "../../irsa-role";

/** The autoscaler's service account; the Helm release in the add-ons stack creates it. */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "cluster-autoscaler" } as const;

export interface ClusterAutoscalerRoleProps {
  /** The cluster's name: the role is `<clusterName>-cluster-autoscaler` and resizes only groups tagged `k8s.io/cluster-autoscaler/<clusterName>`. */
  readonly clusterName: string;
  /** ARN of the cluster's IAM OIDC provider, trusted by the role. */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer URL (https://oidc.eks.<region>.amazonaws.com/id/<id>). */
  readonly oidcIssuerUrl: string;
}

/**
 * The IRSA role of the Cluster Autoscaler: upstream's recommended policy for auto-discovery
 * (kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md at cluster-autoscaler-1.35.2,
 * "Full Cluster Autoscaler Features Policy"), with the two actions that change capacity limited,
 * as that README suggests, to Auto Scaling groups tagged `k8s.io/cluster-autoscaler/<cluster>`:
 * EKS puts that tag on the groups of this cluster's managed node groups, so no other group in the
 * account can be resized or have an instance terminated.
 */
export class ClusterAutoscalerRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerRoleProps) {
    super(scope, id);
    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        {
          sid: "Discover",
          effect: "Allow",
          actions: [
            "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeAutoScalingInstances",
            "autoscaling:DescribeLaunchConfigurations",
            "autoscaling:DescribeScalingActivities",
            "ec2:DescribeImages",
            "ec2:DescribeInstanceTypes",
            "ec2:DescribeLaunchTemplateVersions",
            "ec2:GetInstanceTypesFromInstanceRequirements",
            "eks:DescribeNodegroup",
          ],
          resources: ["*"],
        },
        {
          sid: "ScaleThisClustersNodeGroups",
          effect: "Allow",
          actions: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: `aws:ResourceTag/k8s.io/cluster-autoscaler/${props.clusterName}`, values: ["owned"] }],
        },
      ],
    });
    this.role = new IrsaRole(this, "irsa", {
      roleName: `${props.clusterName}-cluster-autoscaler`,
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerUrl: props.oidcIssuerUrl,
      namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace,
      serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name,
      inlinePolicyJson: policy.json,
    }).role;
  }
}
