import { Construct } from "constructs";
import { DataAwsLbTargetGroup } from "@cdktf/provider-aws/lib/data-aws-lb-target-group";

export interface IngressTargetGroupProps {
  /** The cluster whose controller made the target group (its `elbv2.k8s.aws/cluster` tag). */
  readonly clusterName: string;
  /** The IngressGroup the ingress joins (the controller's `ingress.k8s.aws/stack` tag). */
  readonly ingressGroup: string;
  /** The ingress's namespace. */
  readonly namespace: string;
  /** The ingress's name. */
  readonly ingressName: string;
  /** The Service behind the path, and its port as the ingress names it. */
  readonly serviceName: string;
  /** The Service's port, as the ingress's backend names it. */
  readonly servicePort: number;
}

/**
 * The target group the AWS Load Balancer Controller made for one backend of an ingress, found by
 * the tags it puts on it (v2.13.3, pkg/deploy/tracking and pkg/ingress/model_build_target_group.go:
 * `ingress.k8s.aws/resource` = `<namespace>/<ingress>-<service>:<port>`). It is not in any
 * Terraform state: the controller owns it.
 */
export class IngressTargetGroup extends Construct {
  readonly targetGroup: DataAwsLbTargetGroup;

  constructor(scope: Construct, id: string, props: IngressTargetGroupProps) {
    super(scope, id);
    this.targetGroup = new DataAwsLbTargetGroup(this, "target-group", {
      tags: {
        "elbv2.k8s.aws/cluster": props.clusterName,
        "ingress.k8s.aws/stack": props.ingressGroup,
        "ingress.k8s.aws/resource": `${props.namespace}/${props.ingressName}-${props.serviceName}:${props.servicePort}`,
      },
    });
  }
}
