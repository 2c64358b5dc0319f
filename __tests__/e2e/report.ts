/**
 * The e2e's output: timestamped progress lines, one `ok`/`FAIL` line per check, and at the end the
 * plan-safety and drift tables, each verb run's wall time and the "e2e: N passed, N failed" line.
 */

const t0 = Date.now();
let passed = 0;
let failed = 0;

/** A step that cannot go on: main stops, and its message is the one FAIL line. */
export class StepError extends Error {}

export function log(message: string): void {
  console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${message}`);
}

export function check(name: string, ok: boolean, detail = ""): void {
  if (ok) passed++;
  else failed++;
  console.log(`  ${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
}

export function checkEqual(name: string, actual: unknown, expected: unknown): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(name, a === e, `expected ${e}, got ${a}`);
}

/** The run stopped on `e` (a StepError's message, anything else's stack): one failure. */
export function stoppedBy(e: unknown, logDir: string): void {
  failed++;
  console.log(`  FAIL ${e instanceof StepError ? e.message : (e as Error).stack}`);
  console.log(`  logs of every command: ${logDir}`);
}

export function allPassed(): boolean {
  return failed === 0;
}

// ---- the tables at the end --------------------------------------------------------------------

const verbTimes: Array<[string, number]> = [];
let driftTable = "";
let planSafetyTable = "";

export function recordTime(label: string, seconds: number): void {
  verbTimes.push([label, seconds]);
}

/** drift's output after the out-of-band change (its table is printed at the end). */
export function recordDriftTable(output: string): void {
  driftTable = output;
}

/** The plan-safety rehearsal's table (printed at the end). */
export function recordPlanSafetyTable(output: string): void {
  planSafetyTable = output;
}

export function printSummary(): void {
  if (planSafetyTable) console.log(`\nplan-safety rehearsal on the deployed platform:\n${planSafetyTable}`);
  const drift = driftTable.split("\n").filter((l) => /^(stack\s+plan|attractor-factory-\S+\s)|drift: /.test(l));
  if (drift.length) console.log(`\ndrift after the out-of-band change:\n${drift.join("\n")}`);

  console.log(`\n${"verb run".padEnd(40)}${"wall s".padStart(8)}`);
  for (const [label, seconds] of verbTimes) console.log(`${label.padEnd(40)}${seconds.toFixed(1).padStart(8)}`);

  console.log(`\ntotal ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
}
