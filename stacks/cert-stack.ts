import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { FactoryConfig } from "../config";
import { PlatformStack } from "./platform-stack";
import { DnsValidatedCertificate } from "../constructs/dns-validated-certificate";

export interface CertStackProps {
  /** The validated settings (config/index.ts). */
  readonly config: FactoryConfig;
}

/** The TLS certificate of the hostname, validated in its existing public hosted zone. */
export class CertStack extends PlatformStack {
  readonly certificateArn: string;
  readonly hostedZoneId: string;

  constructor(scope: Construct, id: string, props: CertStackProps) {
    super(scope, id, { config: props.config });
    const { config } = props;
    // The zone exists before this project (it is the domain's delegation), so it is looked up.
    const zone = new DataAwsRoute53Zone(this, "zone", { name: config.hostedZone, privateZone: false });
    const cert = new DnsValidatedCertificate(this, "certificate", { domainName: config.hostname, hostedZoneId: zone.zoneId });

    // The validated ARN, so that consumers wait for issuance.
    this.certificateArn = cert.validation.certificateArn;
    this.hostedZoneId = zone.zoneId;
    new TerraformOutput(this, "CertificateArn", { value: this.certificateArn, description: "The ACM certificate of the hostname (issued)" });
  }
}
