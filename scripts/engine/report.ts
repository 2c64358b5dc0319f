/**
 * The table an apply or destroy ends with (one line per stack), and its verdict: the exit code and
 * the reason of the first failure (to FACTORY_RESULT_FILE under a verb, else as the last line).
 * FACTORY_OUTCOME_FILE (if set) receives each stack's outcome as `<stack>\t<changed|unchanged|failed>`,
 * one per line, for a verb that says what a run did (deploy-all's phases).
 */
import { writeFileSync } from "fs";
import { EXIT_FAILED, EXIT_USAGE } from "./args";
import { Outcome } from "./schedule";

/** A stack that failed only because another did: it was not started, or planned and not applied. */
const UNTOUCHED = /^(not started|planned, not applied|not applied \(interrupted)/;

export function report(verb: string, outcomes: Outcome[]): number {
  process.stderr.write(`\n${"stack".padEnd(34)}result\n`);
  for (const o of outcomes) process.stderr.write(`${o.stack.padEnd(34)}${o.ok ? "" : "FAILED: "}${o.text}\n`);
  if (process.env.FACTORY_OUTCOME_FILE) {
    writeFileSync(process.env.FACTORY_OUTCOME_FILE, outcomes.map((o) => `${o.stack}\t${o.ok ? (o.changed ? "changed" : "unchanged") : "failed"}\n`).join(""));
  }
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length === 0) return 0;
  // The reason is the failure itself, not a stack it kept from starting or applying.
  const first = failed.find((o) => !o.blocked && !UNTOUCHED.test(o.text)) ?? failed[0];
  const reason = `${first.stack}: ${first.text}`;
  // Under a verb, the verb's own last line carries the reason.
  if (process.env.FACTORY_RESULT_FILE) writeFileSync(process.env.FACTORY_RESULT_FILE, reason);
  else process.stderr.write(`${verb}: FAILED: ${reason}\n`);
  // Stopped by the guard with nothing changed anywhere: like a prerequisite, exit 2.
  const untouched = failed.every((o) => o.blocked || UNTOUCHED.test(o.text)) && !outcomes.some((o) => o.changed);
  return untouched && failed.some((o) => o.blocked) ? EXIT_USAGE : EXIT_FAILED;
}
