/**
 * Running an operator verb (scripts/aws/<verb>.sh) as an operator would: its output logged, its
 * verdict (last line) in the progress log, its wall time in the table at the end.
 */
import { ChildProcess, spawn } from "child_process";
import { writeFileSync } from "fs";
import * as path from "path";
import { env, logDir, outdir, root } from "./context";
import { log, recordTime, StepError } from "./report";

export interface Verb {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly seconds: number;
  /** the verdict: the last non-empty line */
  readonly last: string;
}

/**
 * Runs scripts/aws/<verb>.sh as an operator would (the real aws CLI, Terraform and cdktf), with
 * `during` called once it has started (to interrupt it).
 */
export function verb(
  name: string,
  args: string[],
  label: string,
  during?: (child: ChildProcess, output: () => string) => Promise<void>,
  extraEnv: Record<string, string> = {},
  verbOutdir = outdir,
): Promise<Verb> {
  const start = Date.now();
  const script = path.join(root, "scripts", "aws", `${name}.sh`);
  return new Promise((resolve) => {
    // unlock and restore-data-store synthesize nothing, so they take no --outdir.
    const argv = ["unlock", "restore-data-store"].includes(name) ? args : [...args, `--outdir=${verbOutdir}`];
    const child = spawn(script, argv, { cwd: root, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d) => (out += String(d)));
    child.stderr!.on("data", (d) => (out += String(d)));
    if (during) void during(child, () => out);
    child.on("close", (status, signal) => {
      const seconds = (Date.now() - start) / 1000;
      writeFileSync(path.join(logDir, `${label}.log`), `$ ${name}.sh ${args.join(" ")}\n${out}`);
      recordTime(label, seconds);
      const last =
        out
          .trim()
          .split("\n")
          .filter((l) => l.trim())
          .pop() ?? "";
      log(`${label}: exit ${status ?? signal} in ${seconds.toFixed(0)} s: ${last}`);
      resolve({ status, signal, stderr: out, seconds, last });
    });
  });
}

/** verb(), which must succeed: a StepError with the last lines of its output otherwise. */
export async function mustVerb(name: string, args: string[], label: string, extraEnv: Record<string, string> = {}): Promise<Verb> {
  const r = await verb(name, args, label, undefined, extraEnv);
  if (r.status !== 0) {
    throw new StepError(`${name} ${args.join(" ")} failed (exit ${r.status}):\n${r.stderr.trim().split("\n").slice(-30).join("\n")}`);
  }
  return r;
}
