/** DnsValidatedCertificate: a public ACM certificate validated through a CNAME in the hosted zone, created only once issued. */
import { DnsValidatedCertificate, DnsValidatedCertificateProps } from "../../constructs/dns-validated-certificate";
import { awsStack, only, ref, synth, TfJson } from "./support";

function build(overrides: Partial<DnsValidatedCertificateProps> = {}): TfJson {
  const stack = awsStack();
  new DnsValidatedCertificate(stack, "cert", { domainName: "factory.pelx.ai", hostedZoneId: "Z0123456789EXAMPLE", ...overrides });
  return synth(stack);
}
/** The certificate's first (and only) domain validation option's attribute, as Terraform reads it. */
const option = (json: TfJson, attribute: string) =>
  ref(json, "aws_acm_certificate", "domain_validation_options").replace(/^\$\{(.*)\}$/, `\${tolist($1).0.${attribute}}`);

test("DnsValidatedCertificate: a certificate for the one domainName, validated through DNS, with an RSA 2048 key", () => {
  expect(only(build(), "aws_acm_certificate")).toMatchObject({ domain_name: "factory.pelx.ai", validation_method: "DNS", key_algorithm: "RSA_2048" });
});

test("DnsValidatedCertificate: one domain only: no subject alternative names", () => {
  expect(only(build(), "aws_acm_certificate").subject_alternative_names).toBeUndefined();
});

test("DnsValidatedCertificate: a replacement certificate is issued before the one in use is deleted", () => {
  expect(only(build(), "aws_acm_certificate").lifecycle).toEqual({ create_before_destroy: true });
});

test("DnsValidatedCertificate: the validation CNAME that ACM asks for goes into hostedZoneId", () => {
  const json = build();
  expect(only(json, "aws_route53_record")).toMatchObject({
    zone_id: "Z0123456789EXAMPLE",
    name: option(json, "resource_record_name"),
    type: option(json, "resource_record_type"),
    records: [option(json, "resource_record_value")],
  });
});

test("DnsValidatedCertificate: the validation record has a short TTL and takes over a record left by an earlier certificate", () => {
  expect(only(build(), "aws_route53_record")).toMatchObject({ ttl: 60, allow_overwrite: true });
});

test("DnsValidatedCertificate: the certificate counts as created only once ACM has validated it through that record", () => {
  const json = build();
  expect(only(json, "aws_acm_certificate_validation")).toEqual({
    certificate_arn: ref(json, "aws_acm_certificate", "arn"),
    validation_record_fqdns: [ref(json, "aws_route53_record", "fqdn")],
  });
});

test("DnsValidatedCertificate: the certificate and its validation are exposed (downstream uses the validation's certificate)", () => {
  const stack = awsStack();
  const cert = new DnsValidatedCertificate(stack, "cert", { domainName: "factory.pelx.ai", hostedZoneId: "Z0123456789EXAMPLE" });
  expect(cert.certificate.node.path).toBe("t/cert/certificate");
  expect(cert.validation.node.path).toBe("t/cert/validation");
});
