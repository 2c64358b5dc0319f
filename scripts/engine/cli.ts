/**
 * The engine behind the operator verbs (scripts/aws/*.sh): synthesizes once with `cdktf synth`,
 * then drives Terraform stack by stack, so that the verb, not cdktf, owns each stack's plan, exit
 * status, lock and interruption. This file is the command line and the dispatch; each verb is
 * scripts/engine/<verb>-verb.ts, on the per-stack plumbing of scripts/engine/stack-runner.ts.
 *
 * The platform's entry (scripts/platform-engine.ts) runs it with what the engine needs to know of
 * the platform (platform.ts: settings, synth inputs, the verb that deploys each stack, the checks
 * before an apply, the note beside a plan):
 *
 *   platform-engine.ts apply   [--yes] [--adopt] [--allow-replace ADDRESS]... [--outdir DIR] STACK...
 *   platform-engine.ts plan    [--show] [--outdir DIR] [--no-refresh STACK]... STACK...
 *   platform-engine.ts destroy [--outdir DIR] [--no-refresh STACK]... STACK...
 *   platform-engine.ts unlock  [--force] STACK
 *
 * apply: stacks go in dependency order (cdktf's manifest.json), independent ones side by side
 * (with --yes; schedule.ts): a stack is planned once the stacks whose outputs it reads are
 * done, applied once every stack it comes after is done. A stack whose dependency outside the list
 * has no state stops the verb before any change. Each stack: lock check, init, plan to a file, (adoption), approval unless --yes, apply of
 * that plan, then verification: Terraform's exit status, the state object present, no lock
 * object left. Anything else is a failure naming the stack. A plan that destroys or replaces a
 *  protected resource (plan-guard.ts) stops the stack before it changes anything, unless each
 * such address is given with --allow-replace.
 * plan: read-only (no lock taken, nothing applied): plans each deployed stack side by side and
 * reports it in sync or drifted (with --show, the whole plan); a stack with no state is "not
 * deployed". Each plan is kept as tfplan (and, with changes, tfplan.json) in the stack's directory.
 * destroy: reverse dependency order; a stack with no state is skipped without init (its providers
 * are never installed); after a verified destroy its state object is deleted.
 * unlock: removes a stack's stale lock object after checking that no Terraform holds it.
 *
 * Exit (the table: scripts/exit-codes.ts): 0 done; 1 a stack failed or was interrupted; 2 usage, a
 * prerequisite or the guard (nothing changed). plan: 0 in sync, 3 drifted, 1 anything else.
 * The last line on stderr is the verdict; FACTORY_RESULT_FILE (if set) receives its reason.
 */
import { writeFileSync } from "fs";
import { applyVerb } from "./apply-verb";
import { AwsCli } from "../lib/aws-cli";
import { destroyVerb } from "./destroy-verb";
import { EXIT_FAILED, EXIT_USAGE, parseArgs, UsageError } from "./args";
import { report } from "./report";
import { holdOutdir } from "./outdir-claim";
import { EnginePlatform } from "./platform";
import { planVerb } from "./plan-verb";
import { requireUnlocked, Runner } from "./stack-runner";
import { synth } from "./synth";
import { handleInterrupts, interruptedBy } from "./terraform-process";
import { unlockVerb } from "./unlock-verb";

async function main(argv: string[], platform: EnginePlatform): Promise<number> {
  const opts = parseArgs(argv);
  const config = platform.settings(process.env);
  handleInterrupts();
  const aws = new AwsCli({ region: config.region, profile: config.awsProfile });
  if (opts.verb === "unlock") return unlockVerb(opts, aws, config.stateBucket);

  holdOutdir(opts.outdir);
  const manifest = synth(opts.outdir, platform.synthInputs);
  const unknown = opts.stacks.filter((s) => !manifest.stacks[s]);
  if (unknown.length) throw new UsageError(`unknown stack ${unknown.join(", ")} (stacks: ${Object.keys(manifest.stacks).join(", ")})`);
  const runner = new Runner(opts, manifest, config.region, config.awsProfile, config.stateBucket, platform.planNote);
  if (opts.verb === "plan") return planVerb(runner, opts.stacks, platform.stateSettings);
  // The platform's checks (their AWS calls) run while the bucket is checked (before any change either way).
  const beforeApply = opts.verb === "apply" ? platform.beforeApply(runner, opts.stacks) : Promise.resolve();
  beforeApply.catch(() => undefined); // awaited by applyVerb; a lock found first is the error reported
  const keys = runner.listBucket();
  requireUnlocked(runner, opts.stacks, keys);
  const outcomes =
    opts.verb === "apply" ? await applyVerb(runner, keys, beforeApply, config.stackPrefix, platform.deployedBy) : await destroyVerb(runner, keys);
  const code = report(opts.verb, outcomes);
  if (interruptedBy()) {
    process.stderr.write(`${opts.verb}: interrupted by ${interruptedBy()}: the stacks above say what was left; re-run the verb to finish\n`);
    return EXIT_FAILED;
  }
  return code;
}

/** Runs the engine on this process's command line for `platform`; sets the exit code. */
export function runEngine(platform: EnginePlatform): void {
  main(process.argv.slice(2), platform)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e: Error) => {
      const usage = e instanceof UsageError || platform.isSettingsError(e);
      const message = platform.isSettingsError(e) ? `error: ${e.message}` : `stacks: error: ${e.message}`;
      // Under a verb, the verb's own last line carries the message.
      if (process.env.FACTORY_RESULT_FILE) writeFileSync(process.env.FACTORY_RESULT_FILE, e.message);
      else process.stderr.write(`${message}\n`);
      if (!usage && process.env.FACTORY_DEBUG === "1") process.stderr.write(`${e.stack}\n`);
      // plan's contract (0 in sync, 3 drifted, 1 otherwise) has no separate usage code.
      process.exitCode = usage && process.argv[2] !== "plan" ? EXIT_USAGE : EXIT_FAILED;
    });
}

// Run directly, the engine would not know the platform: say which file to run instead of doing nothing.
if (require.main === module) {
  process.stderr.write("stacks: error: the engine runs through its platform's entry: node --require ./scripts/ts-register.js scripts/platform-engine.ts\n");
  process.exitCode = EXIT_USAGE;
}
