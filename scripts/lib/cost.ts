/**
 * The platform's monthly cost, estimated from a dated price table (prices.yaml) and stated usage
 * (usage.yaml). A pricer per billable resource type reads the resource's attributes, the same way
 * from the synthesized code (cdk.tf.json) and from a plan (prior state, planned values), so the
 * delta of a change comes from the same table. What the Load Balancer Controller and the EBS CSI
 * driver create (the ALB, the data volumes) is priced from the resources that make them (the
 * Ingress, the StatefulSets' claim templates). A resource type with neither a pricer nor a
 * "notBilled" reason is listed as unpriced, never counted as zero.
 */
import { PriceTable, Usage } from "./price-table";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Values = Record<string, any>;

export interface CostResource {
  readonly stack: string;
  /** Terraform address, type.name */
  readonly address: string;
  readonly type: string;
  readonly values: Values;
}

/** Monthly USD at the node groups' min, desired and max size (equal for everything else). */
export interface Amount {
  readonly min: number;
  readonly desired: number;
  readonly max: number;
}

export interface CostLine {
  readonly stack: string;
  readonly address: string;
  /** what is billed, with its quantity ("2 x m6i.large on-demand, 730 h") */
  readonly item: string;
  readonly monthly: Amount;
}

export interface CostEstimate {
  readonly lines: CostLine[];
  readonly unpriced: { stack: string; address: string; type: string }[];
}

/**
 * Facts one stack's pricing needs from the others: the public subnets the ALB has an address in
 * (network stack), the data volumes the backup plan copies (app stack). A plan holds one stack
 * only, so the verbs take these from the synthesized platform.
 */
export interface PlatformFacts {
  readonly publicSubnets: number;
  readonly dataVolumes: readonly { name: string; gib: number }[];
}

export interface Pricing {
  readonly table: PriceTable;
  readonly usage: Usage;
  readonly facts: PlatformFacts;
}

const same = (x: number): Amount => ({ min: x, desired: x, max: x });
const add = (a: Amount, b: Amount): Amount => ({ min: a.min + b.min, desired: a.desired + b.desired, max: a.max + b.max });
export const ZERO: Amount = same(0);

/** A block as cdk.tf.json writes it (an object) or as a plan does (a list of one). */
function block(v: unknown): Values | undefined {
  if (Array.isArray(v)) return v[0] as Values | undefined;
  return v && typeof v === "object" ? (v as Values) : undefined;
}

/** A repeated block as a list (absent: none). */
function many(v: unknown): Values[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as Values[];
}

/** Kubernetes quantity in GiB ("20Gi", "1Ti", "500Mi"). */
export function gibOf(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Mi|Gi|Ti)?$/.exec(String(quantity));
  if (!m) throw new Error(`cannot read storage quantity ${quantity}`);
  const scale: Record<string, number> = { Mi: 1 / 1024, Gi: 1, Ti: 1024 };
  return Number(m[1]) * scale[m[2] ?? "Gi"];
}

function price(p: Pricing, id: string): number {
  const row = p.table.prices[id];
  if (!row) throw new UnpricedError(id);
  return row.price;
}

/** A price row the table lacks: the resource is listed as unpriced. */
class UnpricedError extends Error {
  constructor(readonly id: string) {
    super(`no price row ${id}`);
  }
}

type Pricer = (r: CostResource, p: Pricing, all: readonly CostResource[]) => { item: string; monthly: Amount }[];

const hours = (p: Pricing) => p.usage.hoursPerMonth;
const money = (n: number) => n.toFixed(2);

/**
 * The launch template a node group uses: by reference (synthesized code), by id (a plan), or, when
 * a plan creates both (the id is not known yet), the stack's only launch template.
 */
function launchTemplateOf(group: CostResource, all: readonly CostResource[]): CostResource | undefined {
  const spec = block(group.values.launch_template);
  if (!spec) return undefined;
  const ref = String(spec.id ?? "");
  const byRef = /^\$\{aws_launch_template\.([^.]+)\.id\}$/.exec(ref);
  const templates = all.filter((r) => r.type === "aws_launch_template" && r.stack === group.stack);
  const found = templates.find((r) => (byRef ? r.address === `aws_launch_template.${byRef[1]}` : ref !== "" && r.values.id === ref));
  return found ?? (ref === "" && templates.length === 1 ? templates[0] : undefined);
}

const PRICERS: Record<string, Pricer> = {
  aws_eks_cluster: (r, p) => {
    // Priced at the standard rate: EXTENDED (AWS's default when no policy is set) only costs more
    // once the minor leaves standard support, which the estimate cannot know.
    const support = block(r.values.upgrade_policy)?.support_type;
    const note = support === "STANDARD" ? "" : `, extended support allowed (${money(price(p, "eks-cluster-extended"))}/h after standard support ends)`;
    return [{ item: `control plane, standard support, ${hours(p)} h${note}`, monthly: same(price(p, "eks-cluster-standard") * hours(p)) }];
  },
  aws_eks_node_group: (r, p, all) => {
    const scaling = block(r.values.scaling_config) ?? {};
    const type = String((r.values.instance_types ?? [])[0] ?? "");
    const spot = r.values.capacity_type === "SPOT";
    const perNode = price(p, `ec2/${type}`) * (spot ? p.usage.spotPriceFraction : 1) * hours(p);
    const lt = launchTemplateOf(r, all);
    const ebs = block(block(lt?.values.block_device_mappings)?.ebs);
    // The launch template's root volume; else the group's disk size (EKS's default: 20 GB).
    const rootGb = Number(ebs?.volume_size) || Number(r.values.disk_size) || 20;
    const rootPerNode = rootGb * price(p, "ebs-gp3-gb-month");
    const n = { min: Number(scaling.min_size), desired: Number(scaling.desired_size), max: Number(scaling.max_size) };
    const times = (x: number): Amount => ({ min: x * n.min, desired: x * n.desired, max: x * n.max });
    const kind = spot ? `spot (${p.usage.spotPriceFraction} x on-demand, usage.yaml)` : "on-demand";
    return [
      { item: `nodes: ${n.min}/${n.desired}/${n.max} (min/desired/max) x ${type} ${kind}, ${hours(p)} h`, monthly: times(perNode) },
      { item: `node root volumes: ${rootGb} GB gp3 each`, monthly: times(rootPerNode) },
    ];
  },
  aws_nat_gateway: (_r, p, all) => {
    const gateways = all.filter((x) => x.type === "aws_nat_gateway").length;
    const gb = p.usage.natGbPerMonth / gateways;
    return [
      { item: `NAT gateway, ${hours(p)} h`, monthly: same(price(p, "nat-gateway-hour") * hours(p)) },
      { item: `NAT data processed, ${money(gb)} GB (usage.yaml, shared by ${gateways})`, monthly: same(price(p, "nat-gateway-gb") * gb) },
    ];
  },
  aws_cloudwatch_metric_alarm: (r, p) => {
    // A metric-math alarm is billed per metric it reads.
    // A metric block: an object in the synthesized JSON, a one-element list in a plan.
    const metrics = Math.max(1, many(r.values.metric_query).filter((q) => many((q as { metric?: unknown }).metric).length > 0).length);
    return [{ item: `alarm, ${metrics} metric(s)`, monthly: same(price(p, "cloudwatch-alarm-metric-month") * metrics) }];
  },
  aws_eip: (_r, p) => [{ item: `public IPv4 address, ${hours(p)} h`, monthly: same(price(p, "public-ipv4-hour") * hours(p)) }],
  aws_kms_key: (_r, p) => [
    { item: "customer managed key", monthly: same(price(p, "kms-key-month")) },
    {
      item: `${p.usage.kmsRequestsPerKeyPerMonth} requests (usage.yaml)`,
      monthly: same((price(p, "kms-requests-10k") * p.usage.kmsRequestsPerKeyPerMonth) / 10_000),
    },
  ],
  aws_cloudwatch_log_group: (r, p, all) => {
    // Container Insights' groups share their usage figure; any other group is the control plane's.
    const insights = (x: { values: Record<string, unknown> }) => String(x.values.name ?? "").includes("/containerinsights/");
    const gb = insights(r) ? p.usage.containerLogGbPerMonth / all.filter((x) => x.type === r.type && insights(x)).length : p.usage.controlPlaneLogGbPerMonth;
    const retentionDays = Number(r.values.retention_in_days ?? 0);
    // Stored at steady state: a month's logs times the months kept (never expiring: a year counted).
    const months = retentionDays > 0 ? retentionDays / 30.4 : 12;
    return [
      { item: `log ingestion, ${gb} GB (usage.yaml)`, monthly: same(price(p, "logs-ingest-gb") * gb) },
      {
        item: `log storage, ${money(gb * months)} GB (${retentionDays || "no"} days retention)`,
        monthly: same(price(p, "logs-storage-gb-month") * gb * months),
      },
    ];
  },
  aws_ecr_repository: (_r, p) => [
    { item: `image storage, ${p.usage.ecrGbPerRepository} GB (usage.yaml)`, monthly: same(price(p, "ecr-storage-gb-month") * p.usage.ecrGbPerRepository) },
  ],
  aws_s3_bucket: (_r, p) => [
    { item: `storage, ${p.usage.stateBucketGb} GB (usage.yaml)`, monthly: same(price(p, "s3-standard-gb-month") * p.usage.stateBucketGb) },
  ],
  aws_route53_record: (r, p) => [
    { item: many(r.values.alias).length ? "alias record (queries to an ALB alias are free)" : "record", monthly: same(price(p, "route53-record")) },
  ],
  aws_acm_certificate: (_r, p) => [{ item: "public certificate", monthly: same(price(p, "acm-public-certificate")) }],
  aws_backup_plan: (r, p) => {
    // The plan backs up the data volumes (the app stack's claim templates): a full copy, then the
    // changes kept for the longest rule's retention.
    const daily = Math.max(0, ...many(r.values.rule).map((x: Values) => Number(block(x?.lifecycle)?.delete_after ?? 0)));
    const gb = p.facts.dataVolumes.reduce((s, v) => s + v.gib, 0);
    const stored = gb * (1 + p.usage.backupDailyChangeFraction * daily);
    return [
      {
        item: `EBS backups of the data volumes: ${money(stored)} GB (${gb} GB + ${daily} days of changes, usage.yaml)`,
        monthly: same(price(p, "backup-ebs-gb-month") * stored),
      },
    ];
  },
  kubernetes_stateful_set_v1: (r, p) =>
    claimTemplates(r).map((c) => ({
      item: `data volume ${c.name}: ${c.gib} GB gp3 (made by the EBS CSI driver)`,
      monthly: same(price(p, "ebs-gp3-gb-month") * c.gib),
    })),
  kubernetes_ingress_v1: (r, p, all) => {
    // One ALB per ingress group (the controller merges a group's Ingresses): priced on the group's first.
    const group = albGroup(r);
    if (group === undefined) return [];
    const first = all.find((x) => x.type === "kubernetes_ingress_v1" && albGroup(x) === group);
    if (first && first.address !== r.address) return [];
    const ips = p.facts.publicSubnets;
    return [
      { item: `application load balancer (made by the Load Balancer Controller), ${hours(p)} h`, monthly: same(price(p, "alb-hour") * hours(p)) },
      { item: `ALB capacity, ${p.usage.albAverageLcus} LCU average (usage.yaml)`, monthly: same(price(p, "alb-lcu-hour") * p.usage.albAverageLcus * hours(p)) },
      { item: `ALB public IPv4 addresses, ${ips} (one per public subnet)`, monthly: same(price(p, "public-ipv4-hour") * ips * hours(p)) },
    ];
  },
};

/** The resource types priced by this model (the rest must be in prices.yaml's notBilled). */
export const PRICED_TYPES: readonly string[] = Object.keys(PRICERS);

function albGroup(r: CostResource): string | undefined {
  const meta = block(r.values.metadata) ?? {};
  const spec = block(r.values.spec) ?? {};
  if (spec.ingress_class_name !== "alb") return undefined;
  return String(meta.annotations?.["alb.ingress.kubernetes.io/group.name"] ?? `${meta.namespace ?? ""}/${meta.name ?? r.address}`);
}

function claimTemplates(r: CostResource): { name: string; gib: number }[] {
  const spec = block(r.values.spec) ?? {};
  const templates = Array.isArray(spec.volume_claim_template) ? spec.volume_claim_template : spec.volume_claim_template ? [spec.volume_claim_template] : [];
  const set = String(block(r.values.metadata)?.name ?? r.address);
  return templates
    .filter((t: Values | null) => t)
    .map((t: Values) => {
      const requests = block(block(block(t.spec)?.resources)?.requests) ?? block(t.spec)?.resources?.requests;
      // A size the plan does not know yet (unknown until apply) makes the figure unavailable, not zero.
      return { name: `${block(t.metadata)?.name ?? "data"}-${set}-0`, gib: requests?.storage === undefined ? NaN : gibOf(requests.storage) };
    });
}

/** The data volumes the platform's StatefulSets claim (one replica each). */
export function dataVolumes(all: readonly CostResource[]): { name: string; gib: number }[] {
  return all.filter((r) => r.type === "kubernetes_stateful_set_v1").flatMap(claimTemplates);
}

/** Prices every resource; the ones whose type has no pricer and no notBilled reason are unpriced. */
export function estimate(resources: readonly CostResource[], pricing: Pricing, context: readonly CostResource[] = resources): CostEstimate {
  const lines: CostLine[] = [];
  const unpriced: CostEstimate["unpriced"] = [];
  for (const r of resources) {
    const pricer = PRICERS[r.type];
    if (!pricer) {
      if (!pricing.table.notBilled[r.type]) unpriced.push({ stack: r.stack, address: r.address, type: r.type });
      continue;
    }
    try {
      for (const l of pricer(r, pricing, context)) lines.push({ stack: r.stack, address: r.address, ...l });
    } catch (e) {
      if (!(e instanceof UnpricedError)) throw e;
      unpriced.push({ stack: r.stack, address: r.address, type: `${r.type} (no price row ${e.id})` });
    }
  }
  return { lines, unpriced };
}

export function total(lines: readonly CostLine[]): Amount {
  return lines.reduce((s, l) => add(s, l.monthly), ZERO);
}

/** The resources of a synthesized stack (cdk.tf.json). */
export function synthesizedResources(stack: string, json: Values): CostResource[] {
  return Object.entries((json.resource ?? {}) as Record<string, Record<string, Values>>).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, values]) => ({ stack, address: `${type}.${name}`, type, values })),
  );
}

/** The managed resources of a plan's prior state or planned values (`terraform show -json`'s module). */
export function planResources(stack: string, module: Values | undefined): CostResource[] {
  const own = ((module?.resources ?? []) as Values[])
    .filter((r) => r.mode === "managed")
    .map((r) => ({ stack, address: String(r.address), type: String(r.type), values: (r.values ?? {}) as Values }));
  return [...own, ...((module?.child_modules ?? []) as Values[]).flatMap((m) => planResources(stack, m))];
}

/**
 * The cross-stack facts of a synthesized platform: its public subnets (tagged for internet-facing
 * load balancers, kubernetes.io/role/elb: the ALB has an address in each) and its data volumes.
 */
export function platformFacts(all: readonly CostResource[]): PlatformFacts {
  const publicSubnets = all.filter((r) => r.type === "aws_subnet" && String(r.values.tags?.["kubernetes.io/role/elb"] ?? "") === "1").length;
  return { publicSubnets, dataVolumes: dataVolumes(all) };
}

/** "+$33.58" / "-$4.00" / "$0.00": a monthly difference. */
export function signedDollars(n: number): string {
  const r = Math.round(n * 100) / 100;
  return r === 0 ? "$0.00" : `${r > 0 ? "+" : "-"}$${Math.abs(r).toFixed(2)}`;
}

/**
 * The monthly difference a plan makes to one stack: its planned values priced against its prior
 * state, at the node groups' desired and max size. `undefined` when the plan carries no values (a
 * streamed plan): the caller says so rather than print a zero.
 */
export function planDelta(stack: string, plan: Values, pricing: Pricing): { desired: number; max: number; unpriced: string[] } | undefined {
  if (!plan.planned_values) return undefined;
  const before = estimate(planResources(stack, plan.prior_state?.values?.root_module), pricing);
  const after = estimate(planResources(stack, plan.planned_values?.root_module), pricing);
  const unpriced = [...new Set([...after.unpriced, ...before.unpriced].map((u) => u.type))];
  const [b, a] = [total(before.lines), total(after.lines)];
  return { desired: a.desired - b.desired, max: a.max - b.max, unpriced };
}

/**
 * What the verbs print beside a plan: the difference, or why there is none ("unavailable") when a
 * resource is unpriced or a value the price depends on is not known until apply: never a figure
 * that leaves something out.
 */
export function planDeltaText(d: { desired: number; max: number; unpriced: readonly string[] }): string {
  if (d.unpriced.length) return `est. unavailable (unpriced: ${d.unpriced.join(", ")})`;
  if (!Number.isFinite(d.desired) || !Number.isFinite(d.max)) return "est. unavailable (a priced value is known only after apply)";
  return deltaText(d);
}

/** "est. +$32.85/month", with the difference at the node groups' max size when it is another. */
export function deltaText(d: { desired: number; max: number }): string {
  const max = signedDollars(d.max) === signedDollars(d.desired) ? "" : ` (${signedDollars(d.max)} at max)`;
  return `est. ${signedDollars(d.desired)}/month${max}`;
}
