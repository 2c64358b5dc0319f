import { Construct } from "constructs";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

export interface DnsValidatedCertificateProps {
  /** The certificate's one domain name. */
  readonly domainName: string;
  /** Route53 hosted zone that holds the domain (the validation record goes there). */
  readonly hostedZoneId: string;
}

/**
 * A public ACM certificate validated through DNS: the validation CNAME goes into the hosted zone,
 * and the certificate only counts as created once ACM has issued it, so nothing downstream gets a
 * pending certificate. ACM renews it automatically while the CNAME stays.
 */
export class DnsValidatedCertificate extends Construct {
  readonly certificate: AcmCertificate;
  readonly validation: AcmCertificateValidation;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    this.certificate = new AcmCertificate(this, "certificate", {
      domainName: props.domainName,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      // A replacement is issued before the one in use is deleted.
      lifecycle: { createBeforeDestroy: true },
    });

    // One domain, so one validation option.
    const option = this.certificate.domainValidationOptions.get(0);
    const record = new Route53Record(this, "validation-record", {
      zoneId: props.hostedZoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 60,
      allowOverwrite: true,
    });

    this.validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: [record.fqdn],
    });
  }
}
