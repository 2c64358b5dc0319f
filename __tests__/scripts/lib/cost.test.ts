/**
 * The cost estimate (scripts/lib/cost.ts, npm run cost): every billable resource of the
 * synthesized platform is priced from prices.yaml, never a silent zero; the figures follow the
 * settings that make them; a plan's delta comes from the same table.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { synthPlatform, TfJson } from "../../helpers";
import {
  CostResource,
  deltaText,
  estimate,
  planDelta,
  planDeltaText,
  platformFacts,
  Pricing,
  PRICED_TYPES,
  synthesizedResources,
  total,
} from "../../../scripts/lib/cost";
import { loadPriceTable, loadUsage, PriceTable } from "../../../scripts/lib/price-table";
import { STACK_SHORT_NAMES } from "../../../lib/stack-names";

const table = loadPriceTable();
const usage = loadUsage();
const H = usage.hoursPerMonth;

function resourcesOf(env: Record<string, string> = {}): CostResource[] {
  const json = synthPlatform(env);
  return STACK_SHORT_NAMES.flatMap((s) => synthesizedResources(s, json[s]));
}
function cost(env: Record<string, string> = {}, t: PriceTable = table) {
  const all = resourcesOf(env);
  return estimate(all, { table: t, usage, facts: platformFacts(all) });
}
const sum = (env: Record<string, string> = {}) => total(cost(env).lines);
const ec2 = (type: string) => table.prices[`ec2/${type}`].price;

describe("never a silent zero", () => {
  test.each([
    ["the defaults", {}],
    [
      "NAT per AZ, spot nodes, other instance types",
      { FACTORY_NAT_GATEWAYS: "per-az", FACTORY_NODE_CAPACITY_TYPE: "SPOT", FACTORY_NODE_INSTANCE_TYPES: "m6a.xlarge" },
    ],
    ["an image tag and an extra admin", { FACTORY_IMAGE_TAG: "v1", FACTORY_ADMIN_PRINCIPAL_ARNS: "arn:aws:iam::582719176192:role/ops" }],
  ])("every resource type of the synthesized platform (%s) is priced or has a notBilled reason in prices.yaml", (_name, env) => {
    expect(cost(env).unpriced).toEqual([]);
  });

  test("a billable type the table does not price is listed as unpriced, with its address (not counted as zero)", () => {
    const withoutNat: PriceTable = { ...table, prices: Object.fromEntries(Object.entries(table.prices).filter(([id]) => id !== "nat-gateway-hour")) };
    const c = cost({}, withoutNat);
    expect(c.unpriced.map((u) => u.type)).toEqual(["aws_nat_gateway (no price row nat-gateway-hour)"]);
    expect(c.lines.some((l) => l.address.startsWith("aws_nat_gateway."))).toBe(false);
  });

  test("a resource type that is neither priced nor declared not billed is unpriced", () => {
    const { aws_subnet: _subnet, ...rest } = table.notBilled;
    const c = cost({}, { ...table, notBilled: rest });
    expect(c.unpriced.filter((u) => u.type === "aws_subnet")).toHaveLength(4);
  });

  test("every instance type the capacity table knows has a price row (a node group of any of them is priced)", () => {
    const capacity = parse(readFileSync(path.join(__dirname, "..", "..", "..", "node-capacity.yaml"), "utf8"));
    expect(Object.keys(capacity.instanceTypes).filter((t) => !table.prices[`ec2/${t}`])).toEqual([]);
  });

  test("a priced type is never also declared not billed", () => {
    expect(PRICED_TYPES.filter((t) => table.notBilled[t])).toEqual([]);
  });
});

describe("the price table and the usage file", () => {
  test("every row names its region, unit, an https source and the date it was read", () => {
    for (const [id, row] of Object.entries(table.prices)) {
      expect({ id, ok: row.unit !== "" && row.region !== "" && row.source.startsWith("https://") && /^\d{4}-\d{2}-\d{2}$/.test(row.read) }).toEqual({
        id,
        ok: true,
      });
    }
  });

  test("a row without its source or date is refused, naming the row", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "prices-"));
    const file = path.join(dir, "prices.yaml");
    writeFileSync(file, stringify({ currency: "USD", region: "us-west-2", prices: { "alb-hour": { price: 0.0225, unit: "h", region: "x" } } }));
    expect(() => loadPriceTable(file)).toThrow(/price alb-hour wants a source \(https URL\), the date it was read/);
    writeFileSync(
      file,
      stringify({ currency: "USD", region: "us-west-2", prices: { x: { price: -1, unit: "h", region: "x", source: "https://a", read: "2026-12-06" } } }),
    );
    expect(() => loadPriceTable(file)).toThrow(/price x wants a price >= 0/);
  });

  test("a usage assumption without its reason is refused", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "usage-"));
    const file = path.join(dir, "usage.yaml");
    writeFileSync(file, stringify({ hoursPerMonth: { value: 730 } }));
    expect(() => loadUsage(file)).toThrow(/hoursPerMonth wants a value >= 0 and why/);
  });
});

describe("the figures follow the settings", () => {
  const lineOf = (env: Record<string, string>, address: RegExp, item: RegExp) => cost(env).lines.filter((l) => address.test(l.address) && item.test(l.item));
  /** The lines of every zone's node group, added up (one group per private subnet). */
  const zonesOf = (env: Record<string, string>, item: RegExp) => {
    const lines = lineOf(env, /^aws_eks_node_group\./, item);
    expect(lines).toHaveLength(2);
    return { monthly: total(lines) };
  };

  test("the EKS control plane at the standard rate, a month of hours", () => {
    expect(lineOf({}, /^aws_eks_cluster\./, /control plane/)[0].monthly.desired).toBeCloseTo(0.1 * H);
  });

  test("nodes at min, desired and max size of the node groups (totals over the zones), on-demand price of its instance type", () => {
    const nodes = zonesOf({ FACTORY_NODE_MIN: "2", FACTORY_NODE_DESIRED: "4", FACTORY_NODE_MAX: "6" }, /^nodes:/);
    expect(nodes.monthly.min).toBeCloseTo(2 * ec2("m6i.large") * H);
    expect(nodes.monthly.desired).toBeCloseTo(4 * ec2("m6i.large") * H);
    expect(nodes.monthly.max).toBeCloseTo(6 * ec2("m6i.large") * H);
  });

  test("spot nodes at usage.yaml's share of the on-demand price", () => {
    const nodes = zonesOf({ FACTORY_NODE_CAPACITY_TYPE: "SPOT" }, /^nodes:/);
    expect(nodes.monthly.desired).toBeCloseTo(2 * ec2("m6i.large") * usage.spotPriceFraction * H);
  });

  test("each node's root volume, from the launch template's size (FACTORY_NODE_DISK_SIZE)", () => {
    const roots = zonesOf({ FACTORY_NODE_DISK_SIZE: "80" }, /root volumes/);
    expect(roots.monthly.desired).toBeCloseTo(2 * 80 * table.prices["ebs-gp3-gb-month"].price);
  });

  test("NAT per AZ: a second gateway and its public IPv4 address; the traffic stays the same", () => {
    const delta = sum({ FACTORY_NAT_GATEWAYS: "per-az" }).desired - sum().desired;
    expect(delta).toBeCloseTo((table.prices["nat-gateway-hour"].price + table.prices["public-ipv4-hour"].price) * H);
  });

  test("node max 12: the total at max grows by six nodes and their root volumes; at desired it does not", () => {
    const before = sum();
    const after = sum({ FACTORY_NODE_MAX: "12" });
    expect(after.desired).toBeCloseTo(before.desired);
    expect(after.max - before.max).toBeCloseTo(6 * (ec2("m6i.large") * H + 50 * table.prices["ebs-gp3-gb-month"].price));
  });

  test("the data volumes the EBS CSI driver makes, from the StatefulSets' claim sizes (FACTORY_*_STORAGE)", () => {
    const volumes = lineOf({ FACTORY_POSTGRES_STORAGE: "30Gi" }, /^kubernetes_stateful_set_v1\./, /data volume data-postgres-0: 30 GB/);
    expect(volumes).toHaveLength(1);
    expect(volumes[0].monthly.desired).toBeCloseTo(30 * table.prices["ebs-gp3-gb-month"].price);
  });

  test("one ALB for the ingress group, with a public IPv4 address per public subnet", () => {
    const alb = cost().lines.filter((l) => l.address.startsWith("kubernetes_ingress_v1."));
    expect(alb.map((l) => l.item)).toEqual([
      expect.stringMatching(/^application load balancer/),
      expect.stringMatching(/^ALB capacity/),
      "ALB public IPv4 addresses, 2 (one per public subnet)",
    ]);
  });

  test("backups of the data volumes grow with their sizes", () => {
    const backup = (env: Record<string, string>) => lineOf(env, /^aws_backup_plan\./, /EBS backups/)[0].monthly.desired;
    expect(backup({ FACTORY_POSTGRES_STORAGE: "120Gi" })).toBeGreaterThan(backup({}));
  });

  test("every stack with a billable resource has a line, and the default total is in a plausible range", () => {
    const stacks = new Set(cost().lines.map((l) => l.stack));
    expect([...stacks].sort()).toEqual(["app", "backup", "cert", "dns", "ecr", "eks", "monitoring", "network", "state"]);
    expect(sum().desired).toBeGreaterThan(200);
    expect(sum().desired).toBeLessThan(600);
  });
});

describe("the delta of a plan, from the same table", () => {
  const pricing: Pricing = { table, usage, facts: { publicSubnets: 2, dataVolumes: [{ name: "data-postgres-0", gib: 20 }] } };
  const group = (max: number): TfJson => ({
    address: "aws_eks_node_group.nodes",
    mode: "managed",
    type: "aws_eks_node_group",
    values: { instance_types: ["m6i.large"], capacity_type: "ON_DEMAND", scaling_config: [{ min_size: 2, desired_size: 2, max_size: max }], disk_size: 0 },
  });
  const nat = (n: number): TfJson[] =>
    Array.from({ length: n }, (_, i) => ({ address: `aws_nat_gateway.nat-${i}`, mode: "managed", type: "aws_nat_gateway", values: {} }));

  test("a NAT gateway added: one gateway-month more (the traffic is shared, not doubled)", () => {
    const plan = { prior_state: { values: { root_module: { resources: nat(1) } } }, planned_values: { root_module: { resources: nat(2) } } };
    expect(planDelta("network", plan, pricing)!.desired).toBeCloseTo(table.prices["nat-gateway-hour"].price * H);
  });

  test("the node group's max raised to 12: nothing more at desired size, six nodes and their root volumes more at max, both said", () => {
    const plan = { prior_state: { values: { root_module: { resources: [group(6)] } } }, planned_values: { root_module: { resources: [group(12)] } } };
    const d = planDelta("eks", plan, pricing)!;
    expect(d.desired).toBeCloseTo(0);
    expect(d.max).toBeCloseTo(6 * (ec2("m6i.large") * H + 20 * table.prices["ebs-gp3-gb-month"].price));
    expect(deltaText(d)).toBe("est. $0.00/month (+$430.08 at max)");
  });

  test("a new stack (no prior state) costs what it creates", () => {
    const plan = { planned_values: { root_module: { resources: nat(1) } } };
    expect(planDelta("network", plan, pricing)!.desired).toBeCloseTo(
      table.prices["nat-gateway-hour"].price * H + usage.natGbPerMonth * table.prices["nat-gateway-gb"].price,
    );
  });

  test("a new node group and its launch template (ids not known yet): the root volumes from the stack's only template", () => {
    const lt = {
      address: "aws_launch_template.lt",
      mode: "managed",
      type: "aws_launch_template",
      values: { block_device_mappings: [{ ebs: [{ volume_size: 50 }] }] },
    };
    const newGroup = { ...group(6), values: { ...group(6).values, launch_template: [{ name: "x" }] } };
    const d = planDelta("eks", { planned_values: { root_module: { resources: [lt, newGroup] } } }, pricing)!;
    expect(d.desired).toBeCloseTo(2 * (ec2("m6i.large") * H + 50 * table.prices["ebs-gp3-gb-month"].price));
  });

  const state = (resources: TfJson[]) => ({ values: { root_module: { resources } } });
  const res = (type: string, values: TfJson, name = "x") => ({ address: `${type}.${name}`, mode: "managed", type, values });

  test("the backup plan's retention, priced on the platform's data volumes (another stack's): not a silent zero", () => {
    const plan = (days: number) => res("aws_backup_plan", { rule: [{ lifecycle: [{ delete_after: days }] }] });
    const d = planDelta("backup", { prior_state: state([plan(35)]), planned_values: { root_module: { resources: [plan(70)] } } }, pricing)!;
    expect(d.desired).toBeCloseTo(20 * usage.backupDailyChangeFraction * 35 * table.prices["backup-ebs-gb-month"].price);
  });

  test("a value known only after apply (a node group's sizes) makes the figure unavailable, not NaN", () => {
    const unknown = res("aws_eks_node_group", { instance_types: ["m6i.large"], scaling_config: [] });
    const d = planDelta("eks", { prior_state: state([]), planned_values: { root_module: { resources: [unknown] } } }, pricing)!;
    expect(planDeltaText(d)).toBe("est. unavailable (a priced value is known only after apply)");
  });

  test("shapes plans really have do not throw: a null claim template, a claim without its size, a backup plan without rules", () => {
    const shapes = [
      res("kubernetes_stateful_set_v1", { metadata: [{ name: "db" }], spec: [{ volume_claim_template: [null] }] }),
      res(
        "kubernetes_stateful_set_v1",
        { metadata: [{ name: "db" }], spec: [{ volume_claim_template: [{ metadata: [{ name: "data" }], spec: [{ resources: [{}] }] }] }] },
        "y",
      ),
      res("aws_backup_plan", {}),
      res("aws_backup_plan", { rule: [] }, "y"),
      res("aws_route53_record", { alias: [] }),
    ];
    for (const r of shapes)
      expect(() => planDelta("app", { prior_state: state([]), planned_values: { root_module: { resources: [r] } } }, pricing)).not.toThrow();
  });

  test("a side with an unpriced resource makes the figure unavailable, naming the type", () => {
    const d = planDelta(
      "eks",
      { prior_state: state([]), planned_values: { root_module: { resources: [res("aws_eks_node_group", { instance_types: ["x9.huge"] })] } } },
      pricing,
    )!;
    expect(planDeltaText(d)).toBe("est. unavailable (unpriced: aws_eks_node_group (no price row ec2/x9.huge))");
  });

  test("the control plane at the standard rate whatever its stored support type (AWS stores EXTENDED when no policy is set)", () => {
    const cluster = (support: string) => res("aws_eks_cluster", { upgrade_policy: [{ support_type: support }] });
    const d = planDelta("eks", { prior_state: state([cluster("EXTENDED")]), planned_values: { root_module: { resources: [cluster("STANDARD")] } } }, pricing)!;
    expect(d.desired).toBeCloseTo(0);
  });

  test("the ALB's public addresses: one per subnet tagged for internet-facing load balancers", () => {
    const subnet = (role: string, i: number) => ({
      stack: "network",
      address: `aws_subnet.s${i}`,
      type: "aws_subnet",
      values: { tags: { [`kubernetes.io/role/${role}`]: "1" } },
    });
    expect(platformFacts([subnet("elb", 0), subnet("elb", 1), subnet("elb", 2), subnet("internal-elb", 3)]).publicSubnets).toBe(3);
  });

  test("a plan without values (streamed) gives no figure rather than a zero", () => {
    expect(planDelta("eks", { resource_changes: [] }, pricing)).toBeUndefined();
  });
});
