/** npm run cost (scripts/cost.ts): the estimate of the platform as configured, labelled as one, and its exit codes. */
import { spawnSync } from "child_process";
import * as path from "path";
import { loadConfig } from "../../config";
import { platformCost, report } from "../../scripts/cost";
import { costNote } from "../../scripts/lib/plan-cost";
import { loadPriceTable } from "../../scripts/lib/price-table";
import { Plan } from "../../scripts/engine/adopt";
import { fullPlan } from "../../scripts/engine/plan-verb";
import { Runner } from "../../scripts/engine/stack-runner";

const ROOT = path.join(__dirname, "..", "..");

test("the report: per stack and per billable resource, totals at desired, max and min, labelled an estimate with its table's date", () => {
  const table = loadPriceTable();
  const text = report(platformCost(loadConfig({}), table), table);
  expect(text.split("\n")[0]).toBe("Estimated monthly cost (USD, us-west-2): an estimate from prices.yaml (read 2026-12-06) and usage.yaml, not a bill");
  for (const s of ["state", "network", "eks", "ecr", "cert", "app", "dns", "backup"])
    expect(text).toMatch(new RegExp(`^attractor-factory-${s}  \\$\\d+\\.\\d\\d at desired`, "m"));
  // A node group per zone, each with half the totals 2/2/6.
  expect(
    text.match(
      /^ {2}nodes: 1\/1\/3 \(min\/desired\/max\) x m6i\.large on-demand, 730 h\s+\$70\.08 {3}\(min \$70\.08, max \$210\.24\) {3}aws_eks_node_group\.nodes_node-group(-1)?_[0-9A-F]{8}$/gm,
    ),
  ).toHaveLength(2);
  expect(text).toMatch(/^total \(estimate\): \$\d+\.\d\d a month at the node groups' desired size, \$\d+\.\d\d at max, \$\d+\.\d\d at min$/m);
  expect(text).not.toMatch(/UNPRICED/);
});

test("bad settings: exit 2 with the settings' one line", () => {
  const r = spawnSync("node", ["--require", "./scripts/ts-register.js", "scripts/cost.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, FACTORY_NAT_GATEWAYS: "many" },
    encoding: "utf8",
  });
  expect(r.status).toBe(2);
  expect(r.stderr.trim()).toMatch(/^cost: error: FACTORY_NAT_GATEWAYS/);
});

describe("the verbs' plan summary note", () => {
  const facts = () => ({ publicSubnets: 2, dataVolumes: [{ name: "data-postgres-0", gib: 20 }] });
  const rc = (type: string) => ({ address: `${type}.x`, type, mode: "managed", change: { actions: ["update"] } });
  test("an estimate that cannot be made is said, never thrown into the verb", () => {
    const plan = { resource_changes: [rc("aws_nat_gateway")], planned_values: { root_module: { resources: [] } } };
    const broken = () => {
      throw new Error("cannot read the synthesized platform");
    };
    expect(costNote("network", plan as unknown as Plan, broken)).toBe("est. unavailable: cannot read the synthesized platform");
  });

  test("a plan that changes nothing priced gets no note", () => {
    expect(costNote("eks", { resource_changes: [rc("aws_iam_role")] } as Plan, facts)).toBe("");
  });
  test("a priced change with values gets the estimate, said to be one", () => {
    const nat = { address: "aws_nat_gateway.x", mode: "managed", type: "aws_nat_gateway", values: {} };
    const plan = {
      resource_changes: [rc("aws_nat_gateway")],
      prior_state: { values: { root_module: { resources: [] } } },
      planned_values: { root_module: { resources: [nat] } },
    };
    expect(costNote("network", plan as unknown as Plan, facts)).toBe("est. +$37.35/month");
  });
});

describe("the plan with values, for the estimate (fullPlan)", () => {
  const streamed = { resource_changes: [] } as Plan;
  const runner = (show: () => Promise<Plan>) => ({ planJson: show }) as unknown as Runner;

  test("a failing show wanted only for the estimate falls back to the streamed plan: the plan is given, the estimate is not", async () => {
    await expect(
      fullPlan(
        runner(() => Promise.reject(new Error("show failed"))),
        "eks",
        streamed,
      ),
    ).resolves.toBe(streamed);
  });

  test("a show the guard needs (no fallback) still fails the plan", async () => {
    await expect(
      fullPlan(
        runner(() => Promise.reject(new Error("show failed"))),
        "eks",
      ),
    ).rejects.toThrow("show failed");
  });
});
