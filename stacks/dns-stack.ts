import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { FactoryConfig } from "../config";
import { PlatformStack } from "./platform-stack";
import { CertStack } from "./cert-stack";
import { AlbAliasRecord } from "../constructs/alb-alias-record";

export interface DnsStackProps {
  /** The validated settings (config.ts). */
  readonly config: FactoryConfig;
  /** The certificate's hosted zone. */
  readonly cert: CertStack;
}

/**
 * The hostname's alias record to the ingress's ALB. Deploy it after the app stack: the ALB exists
 * once the Load Balancer Controller has reconciled the ingress (named config.albName).
 */
export class DnsStack extends PlatformStack {
  constructor(scope: Construct, id: string, props: DnsStackProps) {
    super(scope, id, { config: props.config });
    const { config, cert } = props;
    const alias = new AlbAliasRecord(this, "hostname", {
      recordName: config.hostname,
      hostedZoneId: cert.hostedZoneId,
      albName: config.albName,
    });
    new TerraformOutput(this, "Hostname", { value: alias.record.fqdn, description: "The hostname the alias record publishes" });
    new TerraformOutput(this, "LoadBalancerDnsName", { value: alias.loadBalancer.dnsName, description: "The ALB the hostname points at" });
  }
}
