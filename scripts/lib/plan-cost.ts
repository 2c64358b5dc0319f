/**
 * The monthly cost a plan adds or saves, for the verbs' plan summaries: its planned values priced
 * against its prior state with the cost estimate's table (scripts/lib/cost.ts, prices.yaml). An
 * estimate, and said so ("est."); a plan that changes no priced resource gets no figure, and one
 * whose figure would leave something out says "unavailable" instead.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { Plan } from "../engine/adopt";
import { CostResource, platformFacts, planDelta, planDeltaText, PlatformFacts, PRICED_TYPES, Pricing, synthesizedResources } from "./cost";
import { loadPriceTable, loadUsage } from "./price-table";
import { Manifest } from "../engine/synth";

/** Whether the plan changes a resource the estimate prices (then its values are worth reading). */
export function changesPricedResource(plan: Plan): boolean {
  return (plan.resource_changes ?? []).some(
    (rc) => rc.mode !== "data" && PRICED_TYPES.includes(rc.type) && !["no-op", "read"].includes(rc.change.actions.join(",")),
  );
}

/** Every resource of a synthesized platform (each stack's cdk.tf.json, found through the manifest). */
export function outdirResources(outdir: string, manifest: Manifest): CostResource[] {
  return Object.entries(manifest.stacks).flatMap(([name, s]) =>
    synthesizedResources(name, JSON.parse(readFileSync(path.join(outdir, s.workingDirectory, "cdk.tf.json"), "utf8"))),
  );
}

const factsByOutdir = new Map<string, PlatformFacts>();

/**
 * The cross-stack facts a single stack's plan needs (public subnets, data volumes), from the
 * platform the verb synthesized: read once per output directory.
 */
export function synthesizedFacts(outdir: string, manifest: Manifest): PlatformFacts {
  let facts = factsByOutdir.get(outdir);
  if (!facts) {
    facts = platformFacts(outdirResources(outdir, manifest));
    factsByOutdir.set(outdir, facts);
  }
  return facts;
}

/**
 * "est. +$32.85/month" (and the difference at max size when it is another) for a plan with values
 * (`terraform show -json`), "" when it changes nothing priced. `facts` come from the synthesized
 * platform (synthesizedFacts), or are read by the caller's `facts()` only when needed.
 */
export function costNote(stack: string, plan: Plan, facts: () => PlatformFacts): string {
  if (!changesPricedResource(plan)) return "";
  try {
    const pricing: Pricing = { table: loadPriceTable(), usage: loadUsage(), facts: facts() };
    const d = planDelta(stack, plan, pricing);
    return d ? planDeltaText(d) : "";
  } catch (e) {
    // The estimate is beside the plan, never in its way: an unreadable table or value is said, not thrown.
    return `est. unavailable: ${(e as Error).message.split("\n")[0]}`;
  }
}
