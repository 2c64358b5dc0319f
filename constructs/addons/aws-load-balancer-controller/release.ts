import { Construct } from "constructs";
import { ALB_CONTROLLER_SERVICE_ACCOUNT } from "./role";
import { ChartPin, PinnedHelmRelease } from "../../k8s/pinned-helm-release";

export interface AwsLoadBalancerControllerProps {
  /** From versions.yaml; must match constructs/addons/aws-load-balancer-controller/iam-policy.json. */
  readonly pin: ChartPin;
  /** The cluster whose ingresses the controller serves (chart value clusterName). */
  readonly clusterName: string;
  /** The cluster's region (chart value region). */
  readonly region: string;
  /** The cluster's VPC (chart value vpcId). */
  readonly vpcId: string;
  /** The IRSA role (eks stack, AlbControllerRole) trusted for exactly this service account. */
  readonly roleArn: string;
  /**
   * Tags the controller puts on every AWS resource it creates (the ALB, its target groups and
   * security groups): the platform's cost allocation tags, so that the ALB's cost can be split.
   * @default none
   */
  readonly defaultTags?: Readonly<Record<string, string>>;
}

/**
 * The AWS Load Balancer Controller, which turns the app's Ingress into an ALB. Region and VPC id
 * are given explicitly: nodes allow one IMDSv2 hop, so pods cannot ask the instance metadata.
 * The chart creates the service account under the name the IRSA role's trust policy pins.
 */
export class AwsLoadBalancerController extends PinnedHelmRelease {
  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    super(scope, id, {
      pin: props.pin,
      releaseName: "aws-load-balancer-controller",
      namespace: ALB_CONTROLLER_SERVICE_ACCOUNT.namespace,
      computedValues: {
        clusterName: props.clusterName,
        region: props.region,
        vpcId: props.vpcId,
        ...(props.defaultTags ? { defaultTags: props.defaultTags } : {}),
        serviceAccount: {
          create: true,
          name: ALB_CONTROLLER_SERVICE_ACCOUNT.name,
          annotations: { "eks.amazonaws.com/role-arn": props.roleArn },
        },
      },
    });
  }
}
