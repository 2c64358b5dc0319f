/**
 * The platform's monthly cost as configured (FACTORY_* settings), an estimate from the dated price
 * table (prices.yaml) and the stated usage (usage.yaml): per stack and per billable resource, the
 * node groups at min, desired and max, with totals at desired and at max.
 *
 *   npm run cost [-- --json FILE]
 *
 * Synthesizes the platform in this process (nothing is deployed or read from AWS). Exit 0; 1 when
 * a resource is unpriced (its type has no price row and no notBilled reason: the total would leave
 * it out), 2 on bad settings.
 */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, FactoryConfig, loadConfig } from "../config";
import { CostEstimate, CostResource, estimate, platformFacts, total } from "./lib/cost";
import { outdirResources } from "./lib/plan-cost";
import { synthInto } from "./plan-safety";
import { loadPriceTable, loadUsage, PriceTable } from "./lib/price-table";

/** Every synthesized stack's resources, under `config` (synthesized in this process, as plan-safety does). */
export function synthesizedPlatform(config: FactoryConfig): CostResource[] {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "factory-cost-"));
  try {
    return outdirResources(outdir, synthInto(outdir, config));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The estimate of the platform as `config` makes it. */
export function platformCost(config: FactoryConfig, table: PriceTable = loadPriceTable()): CostEstimate {
  const resources = synthesizedPlatform(config);
  return estimate(resources, { table, usage: loadUsage(), facts: platformFacts(resources) });
}

const dollars = (n: number) => `$${n.toFixed(2)}`;

export function report(cost: CostEstimate, table: PriceTable): string {
  const dates = [...new Set(Object.values(table.prices).map((r) => r.read))].sort();
  const out: string[] = [
    `Estimated monthly cost (USD, ${table.region}): an estimate from prices.yaml (read ${dates.join(", ")}) and usage.yaml, not a bill`,
    "",
  ];
  const stacks = [...new Set(cost.lines.map((l) => l.stack))];
  const width = Math.max(...cost.lines.map((l) => l.item.length), 20);
  for (const stack of stacks) {
    const lines = cost.lines.filter((l) => l.stack === stack);
    const t = total(lines);
    out.push(`${stack}  ${dollars(t.desired)} at desired, ${dollars(t.max)} at max`);
    for (const l of lines) {
      const range = l.monthly.min === l.monthly.max ? "" : `   (min ${dollars(l.monthly.min)}, max ${dollars(l.monthly.max)})`;
      out.push(`  ${l.item.padEnd(width)}  ${dollars(l.monthly.desired).padStart(10)}${range}   ${l.address}`);
    }
  }
  const t = total(cost.lines);
  out.push("", `total (estimate): ${dollars(t.desired)} a month at the node groups' desired size, ${dollars(t.max)} at max, ${dollars(t.min)} at min`);
  for (const u of cost.unpriced)
    out.push(`UNPRICED: ${u.stack} ${u.address} (${u.type}): no price row and no notBilled reason in prices.yaml; left out of the total`);
  return out.join("\n");
}

function main(argv: string[]): number {
  let json: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--json") json = path.resolve(argv[++i] ?? "");
    else throw new Error(`unknown argument ${argv[i]} (--json FILE)`);
  }
  const config = loadConfig(process.env);
  const table = loadPriceTable();
  const cost = platformCost(config, table);
  process.stdout.write(`${report(cost, table)}\n`);
  if (json) writeFileSync(json, JSON.stringify({ ...cost, total: total(cost.lines) }, null, 2));
  return cost.unpriced.length ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`cost: error: ${(e as Error).message}\n`);
    process.exitCode = e instanceof ConfigError ? 2 : 1;
  }
}
