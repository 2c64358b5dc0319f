/**
 * The guardrails (rules.ts) over the real platform, synthesized as `cdktf synth` does with the
 * defaults and with overrides: no rule reports anything, and each rule has something to check.
 * The negative tests (a defect per rule, on a mini platform) are in mini-platform.test.ts.
 */
import { settingDocs } from "../../config";
import { synthPlatform } from "../helpers";
import { RULES, SynthesizedStack, formatViolations, readSynthesized } from "../../guardrails";

/**
 * The platform synthesized as cdktf synth does, every stack read. The output stays: it is the
 * run's shared synthesis (synth-cache.ts), which other test files read, and the run removes it.
 */
function platformStacks(env: Record<string, string>): SynthesizedStack[] {
  return readSynthesized(synthPlatform(env).outdir);
}

const PLATFORMS: [string, Record<string, string>][] = [
  ["defaults", {}],
  ["per-AZ NAT gateways and an image tag", { FACTORY_NAT_GATEWAYS: "per-az", FACTORY_IMAGE_TAG: "3f2c1ab9d0e4" }],
  [
    "restricted endpoint, other names and sizes",
    {
      FACTORY_ENDPOINT_PUBLIC_ACCESS_CIDRS: "203.0.113.0/24,198.51.100.7/32",
      FACTORY_CLUSTER_NAME: "factory-staging",
      FACTORY_STACK_PREFIX: "af-staging",
      FACTORY_NODE_INSTANCE_TYPES: "m6i.xlarge,m6a.xlarge",
      FACTORY_NODE_CAPACITY_TYPE: "SPOT",
      FACTORY_ADMIN_PRINCIPAL_ARNS: "arn:aws:iam::582719176192:role/ops",
      FACTORY_IMAGE_TAG: "v1.4.0",
    },
  ],
];

const synthesized = new Map(PLATFORMS.map(([name, env]) => [name, platformStacks(env)]));

describe.each(PLATFORMS.map(([name]) => [name]))("the platform (%s) breaks no guardrail", (name) => {
  const stacks = synthesized.get(name)!;

  test("every stack was read", () => {
    expect(stacks.length).toBe(10);
  });

  test.each(RULES.map((r) => [r.id, r] as const))("%s", (_id, rule) => {
    const violations = rule.check(stacks);
    expect(formatViolations(violations)).toBe("");
  });
});

describe("the rules have something to check in the platform (no vacuous pass)", () => {
  const stacks = synthesized.get("defaults")!;
  const count = (type: string, kind: "resource" | "data" = "resource") => stacks.reduce((n, s) => n + Object.keys(s.json[kind]?.[type] ?? {}).length, 0);

  test.each<[string, string, number]>([
    ["node groups (one per zone)", "aws_eks_node_group", 2],
    ["PriorityClasses (data stores, services, runners)", "kubernetes_priority_class_v1", 3],
    ["launch template", "aws_launch_template", 1],
    ["cluster", "aws_eks_cluster", 1],
    ["IRSA roles (EBS CSI, Load Balancer Controller, Cluster Autoscaler, CloudWatch agent) and service roles (EKS, nodes, AWS Backup)", "aws_iam_role", 7],
    ["alarms (alarms.yaml: monitoring and dns)", "aws_cloudwatch_metric_alarm", 25],
    ["the alert topic", "aws_sns_topic", 1],
    ["log groups (control plane, Container Insights)", "aws_cloudwatch_log_group", 6],
    ["Load Balancer Controller, Cluster Autoscaler and metrics-server releases", "helm_release", 3],
    ["NetworkPolicies (both namespaces)", "kubernetes_network_policy_v1", 14],
    ["state bucket", "aws_s3_bucket", 1],
    ["ECR repositories", "aws_ecr_repository", 4],
    ["certificate", "aws_acm_certificate", 1],
    ["ingress", "kubernetes_ingress_v1", 1],
    ["Deployments", "kubernetes_deployment_v1", 3],
    ["data-store StatefulSets", "kubernetes_stateful_set_v1", 3],
    ["generated Secrets", "kubernetes_secret_v1", 3],
    ["subnets", "aws_subnet", 4],
  ])("%s", (_what, type, n) => {
    expect(count(type)).toBe(n);
  });

  test("every stack has an S3 backend, the bootstrap's included", () => {
    expect(stacks.filter((s) => s.json.terraform?.backend?.s3).length).toBe(stacks.length);
  });
});

describe("the public endpoint's CIDRs are configurable, with the documented default", () => {
  const cidrs = (name: string) =>
    Object.values(
      synthesized.get(name)!.find((s) => s.json.resource?.aws_eks_cluster)!.json.resource.aws_eks_cluster as Record<
        string,
        { vpc_config: { public_access_cidrs: string[] } }
      >,
    )[0].vpc_config.public_access_cidrs;

  test("default: the one docs/configuration.md documents", () => {
    const doc = settingDocs().find((d) => d.variable === "FACTORY_ENDPOINT_PUBLIC_ACCESS_CIDRS")!;
    expect(cidrs("defaults")).toEqual(doc.default.split(","));
  });

  test("FACTORY_ENDPOINT_PUBLIC_ACCESS_CIDRS replaces it", () => {
    expect(cidrs("restricted endpoint, other names and sizes")).toEqual(["203.0.113.0/24", "198.51.100.7/32"]);
  });
});
