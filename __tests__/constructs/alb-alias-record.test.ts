/** AlbAliasRecord: a Route53 alias A record pointing at the ALB that the controller created under a fixed name. */
import { AlbAliasRecord, AlbAliasRecordProps } from "../../constructs/alb-alias-record";
import { awsStack, only, ref, synth, TfJson } from "./support";

const props: AlbAliasRecordProps = { recordName: "factory.pelx.ai", hostedZoneId: "Z0123456789EXAMPLE", albName: "attractor-factory" };

function build(overrides: Partial<AlbAliasRecordProps> = {}): TfJson {
  const stack = awsStack();
  new AlbAliasRecord(stack, "dns", { ...props, ...overrides });
  return synth(stack);
}

test("AlbAliasRecord: the ALB is looked up by the name the ingress gives it (albName)", () => {
  expect(only(build(), "aws_lb", "data")).toEqual({ name: "attractor-factory" });
});

test("AlbAliasRecord: an A record named recordName in hostedZoneId", () => {
  expect(only(build(), "aws_route53_record")).toMatchObject({ zone_id: "Z0123456789EXAMPLE", name: "factory.pelx.ai", type: "A" });
});

test("AlbAliasRecord: an alias of that ALB's DNS name in its hosted zone, following its health (no TTL, no fixed address)", () => {
  const json = build();
  const record = only(json, "aws_route53_record");
  expect(record.alias).toEqual({
    name: ref(json, "aws_lb", "dns_name", "data"),
    zone_id: ref(json, "aws_lb", "zone_id", "data"),
    evaluate_target_health: true,
  });
  expect(record.ttl).toBeUndefined();
  expect(record.records).toBeUndefined();
});

test("AlbAliasRecord: another recordName, zone or ALB name", () => {
  const json = build({ recordName: "staging.factory.pelx.ai", hostedZoneId: "Z9EXAMPLE", albName: "attractor-factory-staging" });
  expect(only(json, "aws_lb", "data").name).toBe("attractor-factory-staging");
  expect(only(json, "aws_route53_record")).toMatchObject({ zone_id: "Z9EXAMPLE", name: "staging.factory.pelx.ai" });
});

test("AlbAliasRecord: the record and the load balancer are exposed", () => {
  const stack = awsStack();
  const alias = new AlbAliasRecord(stack, "dns", props);
  expect(alias.record.node.path).toBe("t/dns/alias");
  expect(alias.loadBalancer.node.path).toBe("t/dns/alb");
});
