/**
 * The plan-safety rehearsal: plans each routine change (scripts/lib/routine-changes.ts) against
 * the deployed platform and judges each plan by the destructive-plan guard's rule
 * (scripts/engine/plan-guard.ts). Read-only: the engine's plan (scripts/engine/cli.ts: no lock, nothing
 * applied), without refresh (the question is what the code change does, not what drifted: that is
 * npm run drift).
 *
 *   npm run plan-safety [-- --outdir DIR] [--json FILE] [--only NAME]... [--parallel N]
 *
 * For each change: the settings that make it from the current configuration, the plan of the
 * stacks it touches, and a verdict: the plan must not be empty (else the rehearsal proves
 * nothing), no protected resource may be deleted before its successor exists, and what must
 * update in place (the Kubernetes upgrade: cluster, node group, add-ons) or roll (node group
 * replacements) must do so. Prints the table on stdout; exit 0 when every planned change is safe,
 * 1 otherwise. A stack that is not deployed is reported, not planned.
 */
import { STACK_SHORT_NAMES } from "../lib/stack-names";
import { readFileSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import { ConfigError, FactoryConfig, loadConfig, stackName } from "../config";
import { Plan, ResourceChange } from "./engine/adopt";
import { parseArgs } from "./engine/args";
import { holdOutdir } from "./engine/outdir-claim";
import { actionName, violations } from "./engine/plan-guard";
import { planStack } from "./engine/plan-verb";
import { ROUTINE_CHANGES, RoutineChange, Settings } from "./lib/routine-changes";
import { Runner } from "./engine/stack-runner";
import { NO_PLAN_NOTE } from "./engine/platform";
import { Manifest } from "./engine/synth";
import { Amount, deltaText, estimate, platformFacts, total } from "./lib/cost";
import { outdirResources } from "./lib/plan-cost";
import { loadPriceTable, loadUsage } from "./lib/price-table";
import { deployedImageTag } from "./lib/deployed-tag";

const ROOT = path.join(__dirname, "..");

export interface Row {
  readonly change: string;
  readonly settings: string;
  readonly stacks: string;
  readonly add: number;
  readonly update: number;
  readonly destroy: number;
  readonly ok: boolean;
  /** planned and judged (false: not applicable, or its stack is not deployed) */
  readonly planned: boolean;
  /** the change's estimated monthly cost, from the synthesized platform before and after ("-": not synthesized) */
  readonly cost: string;
  readonly verdict: string;
}

/** The verdict on one change's plans (by stack). */
export function judge(
  change: RoutineChange,
  plans: readonly { stack: string; plan: Plan }[],
): Omit<Row, "change" | "settings" | "stacks" | "planned" | "cost"> {
  const changes: ResourceChange[] = plans.flatMap((p) =>
    (p.plan.resource_changes ?? []).filter((rc) => rc.mode !== "data" && rc.change.actions.join(",") !== "no-op" && rc.change.actions.join(",") !== "read"),
  );
  const add = changes.filter((rc) => rc.change.actions.includes("create")).length;
  const update = changes.filter((rc) => rc.change.actions.join(",") === "update").length;
  const destroy = changes.filter((rc) => rc.change.actions.includes("delete")).length;
  const problems: string[] = [];
  if (changes.length === 0 && change.emptyIsSafe) return { add: 0, update: 0, destroy: 0, ok: true, verdict: change.emptyIsSafe };
  if (changes.length === 0) problems.push("EMPTY: the plan changes nothing, so it proves nothing");
  for (const p of plans) for (const v of violations(p.plan)) problems.push(`UNSAFE: ${v.address} ${v.action}, ${v.cause}`);
  for (const type of change.inPlace ?? []) {
    const ofType = changes.filter((rc) => rc.type === type);
    if (!ofType.some((rc) => rc.change.actions.join(",") === "update")) problems.push(`expected ${type} updated in place: not in the plan`);
    for (const rc of ofType.filter((x) => x.change.actions.includes("delete")))
      problems.push(`expected ${type} updated in place: ${rc.address} ${actionName(rc.change.actions)}`);
  }
  for (const type of change.rolled ?? []) {
    if (!changes.some((rc) => rc.type === type && rc.change.actions.join(",") === "create,delete"))
      problems.push(`expected ${type} rolled (successor created first): not in the plan`);
  }
  if (problems.length) return { add, update, destroy, ok: false, verdict: problems.join("; ") };
  const types = (actions: string) => [...new Set(changes.filter((rc) => rc.change.actions.join(",") === actions).map((rc) => rc.type))].sort();
  const parts = [
    types("update").length ? `in place (${types("update").join(", ")})` : "",
    types("create,delete").length ? `rolled, successor first (${types("create,delete").join(", ")})` : "",
    types("delete,create").length ? `replaced, not protected (${types("delete,create").join(", ")})` : "",
    types("create").length ? `added (${types("create").join(", ")})` : "",
    types("delete").length ? `removed, not protected (${types("delete").join(", ")})` : "",
  ];
  return { add, update, destroy, ok: true, verdict: `safe: ${parts.filter(Boolean).join("; ")}` };
}

function settingsText(settings: Settings): string {
  return Object.entries(settings)
    .map(([k, v]) => `${k}=${v ?? "(unset)"}`)
    .join(" ");
}

/**
 * Synthesizes the platform under `config` into `outdir`, in this process: cdktf and the provider
 * bindings load once for every change (a `cdktf synth` per change costs a Node start-up and a
 * module load each). The stacks are the ones `cdktf synth` writes: the same buildPlatform.
 */
export function synthInto(outdir: string, config: FactoryConfig): Manifest {
  const { App } = require("cdktf") as typeof import("cdktf");
  const { buildPlatform } = require("../stacks/platform") as typeof import("../stacks/platform");
  rmSync(path.join(outdir, "manifest.json"), { force: true });
  const app = new App({ outdir });
  buildPlatform(app, config);
  app.synth();
  return JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Manifest;
}

/** The whole synthesized platform's estimated monthly cost (scripts/lib/cost.ts, prices.yaml). */
export function synthesizedCost(outdir: string, manifest: Manifest): Amount {
  const all = outdirResources(outdir, manifest);
  return total(estimate(all, { table: loadPriceTable(), usage: loadUsage(), facts: platformFacts(all) }).lines);
}

async function rehearse(change: RoutineChange, config: FactoryConfig, slot: string, deployed: ReadonlySet<string>, baseCost: Amount): Promise<Row> {
  const stacks = change.stacks.map((s) => stackName(config, s));
  const base = { change: change.name, stacks: change.stacks.join(","), add: 0, update: 0, destroy: 0, cost: "-" };
  const settings = change.settings(config);
  if ("notApplicable" in settings) return { ...base, settings: "", ok: true, planned: false, verdict: `not applicable: ${settings.notApplicable}` };
  const pins = change.pins?.(config) ?? {};
  const row = {
    ...base,
    settings: [settingsText(settings), ...Object.entries(pins).map(([k, v]) => `versions.yaml ${k}=${v}`)].filter(Boolean).join(" "),
  };
  const env: NodeJS.ProcessEnv = { ...process.env, ...settings };
  for (const [k, v] of Object.entries(settings)) if (v === undefined) delete env[k];
  let changed: FactoryConfig;
  try {
    changed = { ...loadConfig(env), ...pins };
  } catch (e) {
    if (e instanceof ConfigError) return { ...row, ok: false, planned: false, verdict: `bad settings: ${e.message}` };
    throw e;
  }
  const manifest = synthInto(slot, changed);
  const after = synthesizedCost(slot, manifest);
  row.cost = deltaText({ desired: after.desired - baseCost.desired, max: after.max - baseCost.max });
  const notDeployed = stacks.filter((s) => !deployed.has(s));
  if (notDeployed.length) return { ...row, ok: true, planned: false, verdict: `not deployed (${notDeployed.join(", ")}): not planned here` };
  // Read-only plans without refresh: what the code change does to what the state records.
  const opts = parseArgs(["plan", "--outdir", slot, ...stacks.flatMap((s) => ["--no-refresh", s]), ...stacks]);
  // No note beside each plan: the table prices each change from the synthesized platform itself.
  const runner = new Runner(opts, manifest, config.region, config.awsProfile, config.stateBucket, NO_PLAN_NOTE);
  const plans: { stack: string; plan: Plan }[] = [];
  for (const stack of stacks) {
    const outcome = await planStack(runner, stack);
    if (!outcome.ok) return { ...row, ok: false, planned: false, verdict: `plan of ${stack} failed: ${outcome.text}` };
    const file = path.join(runner.dir(stack), "tfplan.json");
    plans.push({ stack, plan: (outcome.drifted ? JSON.parse(readFileSync(file, "utf8")) : {}) as Plan });
  }
  return { ...row, planned: true, ...judge(change, plans) };
}

export function table(rows: readonly Row[]): string {
  const head = ["change", "stacks", "add", "change", "destroy", "cost (estimate)", "verdict"];
  const cells = rows.map((r) => [
    r.change,
    r.stacks,
    r.planned ? String(r.add) : "-",
    r.planned ? String(r.update) : "-",
    r.planned ? String(r.destroy) : "-",
    r.cost,
    r.verdict,
  ]);
  const last = head.length - 1;
  const widths = head.map((h, i) => Math.max(h.length, ...cells.slice(0).map((c) => (i < last ? c[i].length : 0))));
  const line = (c: string[]) =>
    c
      .map((x, i) => (i < last ? x.padEnd(widths[i] + 2) : x))
      .join("")
      .trimEnd();
  return [line(head), ...cells.map(line)].join("\n");
}

async function main(argv: string[]): Promise<number> {
  let outdir = path.join(ROOT, "cdktf.out", "plan-safety");
  let json: string | undefined;
  let parallel = 2;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--outdir") outdir = path.resolve(argv[++i] ?? "");
    else if (a === "--json") json = path.resolve(argv[++i] ?? "");
    else if (a === "--only") only.push(argv[++i] ?? "");
    else if (a === "--parallel") parallel = Math.max(1, Number(argv[++i]) || 1);
    else throw new Error(`unknown argument ${a} (--outdir DIR, --json FILE, --only NAME, --parallel N)`);
  }
  let config = loadConfig(process.env);
  if (config.imageTag === undefined) {
    // The app stack plans at the tag it runs now (none deployed: it is not planned anyway).
    const tag = deployedImageTag(config);
    if (tag !== undefined) {
      process.env.FACTORY_IMAGE_TAG = tag;
      config = loadConfig(process.env);
      process.stderr.write(`plan-safety: image tag ${tag} (what ${stackName(config, "app")} runs now; FACTORY_IMAGE_TAG picks another)\n`);
    }
  }
  const changes = ROUTINE_CHANGES.filter((c) => only.length === 0 || only.includes(c.name));
  if (changes.length === 0) throw new Error(`no routine change named ${only.join(", ")} (${ROUTINE_CHANGES.map((c) => c.name).join(", ")})`);
  holdOutdir(outdir);
  // Which stacks are deployed: one listing of the state bucket.
  const first = path.join(outdir, "slot-0");
  const all = STACK_SHORT_NAMES.map((s) => stackName(config, s));
  const current = synthInto(first, config);
  const baseCost = synthesizedCost(first, current);
  const deployed = new Runner(
    parseArgs(["plan", "--outdir", first, ...all]),
    current,
    config.region,
    config.awsProfile,
    config.stateBucket,
    NO_PLAN_NOTE,
  ).stacksWithState(all);
  const rows: Row[] = new Array(changes.length);
  let next = 0;
  // Each worker plans in an output directory of its own, initialized once and reused.
  const worker = async (k: number) => {
    for (let i = next++; i < changes.length; i = next++) {
      rows[i] = await rehearse(changes[i], config, path.join(outdir, `slot-${k}`), deployed, baseCost);
      process.stderr.write(`plan-safety: ${changes[i].name}: ${rows[i].ok ? "" : "FAILED: "}${rows[i].verdict}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, changes.length) }, (_, k) => worker(k)));
  process.stdout.write(`${table(rows)}\n`);
  if (json) writeFileSync(json, JSON.stringify(rows, null, 2));
  const failed = rows.filter((r) => !r.ok);
  process.stderr.write(
    failed.length
      ? `plan-safety: FAILED: ${failed.map((r) => `${r.change}: ${r.verdict}`).join(" | ")} (logs: ${outdir}/slot-*/logs)\n`
      : `plan-safety: done: ${rows.filter((r) => r.planned).length} changes planned and safe, ${rows.filter((r) => !r.planned).length} not planned\n`,
  );
  return failed.length ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => (process.exitCode = code))
    .catch((e: Error) => {
      process.stderr.write(`plan-safety: error: ${e instanceof ConfigError ? e.message : e.message}\n`);
      process.exitCode = 1;
    });
}
