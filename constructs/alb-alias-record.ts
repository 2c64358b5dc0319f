import { Construct } from "constructs";
import { DataAwsLb } from "@cdktf/provider-aws/lib/data-aws-lb";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

export interface AlbAliasRecordProps {
  /** The record's name, e.g. factory.pelx.ai. */
  readonly recordName: string;
  /** The Route53 hosted zone the record is made in. */
  readonly hostedZoneId: string;
  /** Name of the ALB, as the ingress sets it (alb.ingress.kubernetes.io/load-balancer-name). */
  readonly albName: string;
}

/**
 * A Route53 alias A record for a hostname, pointing at an ALB that the AWS Load Balancer
 * Controller created for an ingress. The ALB is found by the fixed name the ingress gives it, so
 * the record follows the ALB as long as the ingress keeps that name.
 */
export class AlbAliasRecord extends Construct {
  readonly record: Route53Record;
  readonly loadBalancer: DataAwsLb;

  constructor(scope: Construct, id: string, props: AlbAliasRecordProps) {
    super(scope, id);
    this.loadBalancer = new DataAwsLb(this, "alb", { name: props.albName });
    this.record = new Route53Record(this, "alias", {
      zoneId: props.hostedZoneId,
      name: props.recordName,
      type: "A",
      alias: { name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true },
    });
  }
}
