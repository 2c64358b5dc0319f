/**
 * Stage 4's DNS half: the ALB the AWS Load Balancer Controller would create for the ingress (no
 * cluster here), the alias record publish-dns makes for it, and the dns stack planning no changes
 * afterwards.
 */
import { FACTORY_INGRESS, INGRESS_BACKENDS } from "../../lib/workloads";
import { FACTORY_SERVICE_PORT } from "../../constructs/k8s/factory-deployment";
import { aws } from "./aws-queries";
import { outputs, run, runAsync } from "./commands";
import { config, Short, stack, stackDir } from "./context";
import { check, log } from "./report";

export interface Alb {
  readonly LoadBalancerArn: string;
  readonly LoadBalancerName: string;
  readonly DNSName: string;
}

/** The ALB the controller would create for the ingress: its name and tags as the controller sets them. */
export function createIngressAlb(): Alb {
  const net = outputs("network");
  const alb = aws([
    "elbv2",
    "create-load-balancer",
    "--name",
    config.albName,
    "--type",
    "application",
    "--scheme",
    "internet-facing",
    "--subnets",
    ...net.PublicSubnetIds,
    "--tags",
    `Key=elbv2.k8s.aws/cluster,Value=${config.clusterName}`,
    `Key=ingress.k8s.aws/stack,Value=${config.ingressGroup}`,
    "Key=ingress.k8s.aws/resource,Value=LoadBalancer",
  ]).LoadBalancers[0];
  log(`created ALB ${alb.LoadBalancerName} (${alb.DNSName})`);
  // ... and a target group for each of the ingress's backends, tagged as the controller tags them.
  for (const service of INGRESS_BACKENDS) {
    aws([
      "elbv2",
      "create-target-group",
      "--name",
      `k8s-${service}`.slice(0, 32),
      "--protocol",
      "HTTP",
      "--port",
      String(FACTORY_SERVICE_PORT),
      "--target-type",
      "ip",
      "--vpc-id",
      net.VpcId,
      "--tags",
      `Key=elbv2.k8s.aws/cluster,Value=${config.clusterName}`,
      `Key=ingress.k8s.aws/stack,Value=${config.ingressGroup}`,
      `Key=ingress.k8s.aws/resource,Value=${config.namespace}/${FACTORY_INGRESS}-${service}:${FACTORY_SERVICE_PORT}`,
    ]);
  }
  return alb;
}

/** What the controller does once the ingress is gone (before destroy-all: the ALB sits in the VPC's subnets). */
export function deleteIngressAlb(alb: Alb): void {
  aws(["elbv2", "delete-load-balancer", "--load-balancer-arn", alb.LoadBalancerArn]);
  for (const tg of aws(["elbv2", "describe-target-groups"]).TargetGroups as { TargetGroupArn: string }[]) {
    aws(["elbv2", "delete-target-group", "--target-group-arn", tg.TargetGroupArn]);
  }
}

export function verifyDns(zoneId: string, alb: Alb): void {
  const records = aws(["route53", "list-resource-record-sets", "--hosted-zone-id", zoneId]).ResourceRecordSets as {
    Name: string;
    Type: string;
    AliasTarget?: { DNSName: string };
  }[];
  const alias = records.find((r) => r.Name.replace(/\.$/, "") === config.hostname && r.Type === "A");
  check(
    "alias A record for the hostname points at the ALB",
    !!alias && alias.AliasTarget!.DNSName.replace(/\.$/, "").toLowerCase().endsWith(alb.DNSName.toLowerCase()),
    JSON.stringify(alias),
  );
  check(
    "DNS validation CNAME in the zone",
    records.some((r) => r.Type === "CNAME"),
  );

  const dnsKey = `${stack("dns")}/terraform.tfstate`;
  check("the dns stack's state under its own key", run("aws", ["s3api", "head-object", "--bucket", config.stateBucket, "--key", dnsKey]).status === 0);
}

/** `terraform plan -detailed-exitcode` in the verbs' stack directory: 0 means in sync. */
export async function planIsEmpty(short: Short, label: string): Promise<void> {
  const r = await runAsync("terraform", ["plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock-timeout=0s"], {
    cwd: stackDir(short),
    logName: `plan-${label}-${short}`,
  });
  const changes = r.stdout
    .split("\n")
    .filter((l) => /^\s+# .* (will|must) be/.test(l))
    .map((l) => l.trim());
  check(`${label}: ${stack(short)} plans no changes`, r.status === 0, r.status === 2 ? changes.join("; ") : r.stderr.trim().split("\n").slice(-5).join(" "));
}
