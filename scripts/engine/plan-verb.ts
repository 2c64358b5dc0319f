/**
 * The engine's plan verb (scripts/engine/cli.ts plan, behind drift and diff): read-only (no lock taken,
 * nothing applied), it plans each deployed stack side by side and says whether it matches its
 * code; each plan is kept as tfplan (and, with changes, tfplan.json) in the stack's directory.
 */
import { rmSync, writeFileSync } from "fs";
import * as path from "path";
import { EXIT_DRIFTED, EXIT_FAILED, UsageError } from "./args";
import { deletes, violationLines, violations } from "./plan-guard";
import { changeLines, plannedChanges, summarize } from "./plan-text";
import { Outcome, say } from "./schedule";
import type { Plan } from "./adopt";
import { S3StackBackend } from "./stack-backend";
import { errorLines, jsonErrorLines, needsInit, PARALLEL, Runner } from "./stack-runner";
import { describeEnd, interruptedBy } from "./terraform-process";

export interface PlanOutcome extends Outcome {
  readonly drifted?: boolean;
}

/** One stack, read-only (no lock, no apply, no adoption): does the deployed stack match its code? */
export async function planStack(runner: Runner, stack: string): Promise<PlanOutcome> {
  const fail = (text: string): PlanOutcome => ({ stack, ok: false, text });
  runner.dropBackendOverride(stack);
  if (!runner.isInitialized(stack)) {
    const initError = await runner.init(stack);
    if (initError) return fail(initError);
  }
  say(`${stack}: terraform plan (read-only)`);
  // Without --show, Terraform's machine-readable output: its planned changes spare a
  // `terraform show -json` (which loads the provider's whole schema) unless something is deleted.
  const args = ["plan", "-input=false", runner.opts.show ? "-no-color" : "-json", "-lock=false", "-detailed-exitcode", "-out=tfplan"];
  if (runner.opts.noRefresh.has(stack)) args.push("-refresh=false");
  let r = await runner.tf(stack, args, false);
  if (needsInit(r)) {
    const initError = await runner.init(stack);
    if (initError) return fail(initError);
    r = await runner.tf(stack, args, false);
  }
  if (interruptedBy()) return fail(`interrupted (${interruptedBy()}) while planning`);
  if (r.status !== 0 && r.status !== 2) return fail(`terraform plan ${describeEnd(r)}: ${runner.opts.show ? errorLines(r.output) : jsonErrorLines(r.output)}`);
  rmSync(path.join(runner.dir(stack), "tfplan.json"), { force: true });
  if (runner.opts.show) {
    const shown = await runner.tf(stack, ["show", "-no-color", "tfplan"]);
    if (shown.status !== 0) return fail(`terraform show ${describeEnd(shown)}: the plan could not be shown`);
  }
  if (r.status === 0) return { stack, ok: true, text: "in sync" };
  const streamed = runner.opts.show ? undefined : plannedChanges(r.stdout);
  // The full plan when something is deleted (the guard needs its causes) or the platform's note
  // needs its values (the cost of a change to a priced resource).
  const guardNeedsIt = !streamed || streamed.resource_changes!.some(deletes);
  const plan = guardNeedsIt || runner.planNote.wantsValues(streamed!) ? await fullPlan(runner, stack, guardNeedsIt ? undefined : streamed) : streamed!;
  writeFileSync(path.join(runner.dir(stack), "tfplan.json"), JSON.stringify(plan));
  for (const line of changeLines(plan)) say(`${stack}: ${line}`);
  for (const line of violationLines(stack, violations(plan))) say(`${stack}: the guard would stop this plan: ${line}`);
  const cost = runner.planNote.text(stack, plan, runner.opts.outdir, runner.manifest);
  return { stack, ok: true, drifted: true, text: `${summarize(plan)}${cost ? `; ${cost}` : ""}` };
}

/**
 * The plan with its values (`terraform show -json`). When only the cost estimate wants them
 * (`fallback`, the streamed plan), a failing `show` falls back to it: the estimate is then not
 * given, the plan is.
 */
export async function fullPlan(runner: Runner, stack: string, fallback?: Plan): Promise<Plan> {
  if (!fallback) return runner.planJson(stack);
  return runner.planJson(stack).catch(() => fallback);
}

/**
 * plan: every named stack with state planned side by side (all of them, even after a failure),
 * then the table; the summary line goes to FACTORY_RESULT_FILE in every case (the verb prints it).
 * Exit 0 in sync, 3 drifted, 1 anything else. `stateSettings`: the settings that say where the
 * state is, named when the bucket is not found.
 */
export async function planVerb(runner: Runner, stacks: string[], stateSettings: string): Promise<number> {
  const keys = runner.listBucket();
  if (!keys && stacks.some((s) => runner.backend(s) instanceof S3StackBackend)) {
    // Nothing deployed, or settings that point elsewhere: not "in sync".
    throw new UsageError(`the state bucket ${runner.stateBucket} does not exist: nothing is deployed with these settings (check ${stateSettings})`);
  }
  const deployed = runner.stacksWithState(stacks, keys ?? new Set());
  const outcomes: PlanOutcome[] = new Array(stacks.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < stacks.length; i = next++) {
      const s = stacks[i];
      outcomes[i] = deployed.has(s)
        ? await planStack(runner, s).catch((e: Error): PlanOutcome => ({ stack: s, ok: false, text: e.message }))
        : { stack: s, ok: true, text: "not deployed" };
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, stacks.length) }, worker));
  process.stderr.write(`\n${"stack".padEnd(34)}plan\n`);
  for (const o of outcomes) process.stderr.write(`${o.stack.padEnd(34)}${o.ok ? "" : "FAILED: "}${o.text}\n`);
  const failed = outcomes.filter((o) => !o.ok);
  const drifted = outcomes.filter((o) => o.drifted);
  const inSync = outcomes.filter((o) => o.ok && !o.drifted && deployed.has(o.stack));
  const notDeployed = stacks.filter((s) => !deployed.has(s));
  const tail = `${inSync.length} in sync${notDeployed.length ? `, ${notDeployed.length} not deployed` : ""}`;
  let summary: string;
  let code: number;
  if (failed.length) {
    summary = `${failed.map((o) => `${o.stack}: ${o.text}`).join("; ")}`;
    code = EXIT_FAILED;
  } else if (drifted.length) {
    summary = `${drifted.map((o) => `${o.stack} (${o.text})`).join(", ")} differ from the code; ${tail}`;
    code = EXIT_DRIFTED;
  } else {
    summary = deployed.size ? `every deployed stack matches the code: ${tail}` : `nothing is deployed: ${tail}`;
    code = 0;
  }
  if (interruptedBy()) {
    summary = `interrupted (${interruptedBy()})`;
    code = EXIT_FAILED;
  }
  if (process.env.FACTORY_RESULT_FILE) writeFileSync(process.env.FACTORY_RESULT_FILE, summary);
  else process.stderr.write(`plan: ${summary}\n`);
  return code;
}
