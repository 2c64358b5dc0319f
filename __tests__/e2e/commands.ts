/**
 * Running commands in the e2e's environment: blocking or side by side, each one's output kept in
 * the log directory, a failed one turned into a StepError; waiting on a condition; and the
 * Terraform the verbs leave behind (a stack's outputs, the processes applying in its directory).
 */
import { spawn, spawnSync } from "child_process";
import { writeFileSync } from "fs";
import * as path from "path";
import { env, logDir, root, Short, stackDir } from "./context";
import { StepError } from "./report";

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/**
 * PATH with the directory of the real aws CLI first when `aws` is a pyenv shim (a bash script that
 * runs `pyenv exec`): the verbs and this test call aws a few hundred times, and the shim adds a
 * third of a second of CPU to each call. The CLI run is the same.
 */
export function directPath(): string {
  const found = spawnSync("sh", ["-c", "command -v aws"], { encoding: "utf8" }).stdout.trim();
  if (!found.includes("/shims/")) return process.env.PATH ?? "";
  const real = spawnSync("pyenv", ["which", "aws"], { encoding: "utf8" });
  return real.status === 0 && real.stdout.trim() ? `${path.dirname(real.stdout.trim())}:${process.env.PATH}` : (process.env.PATH ?? "");
}

/** `cmd args` in the e2e's environment (plus `extraEnv`), its output logged under `logName`. */
export function run(cmd: string, args: string[], opts: { cwd?: string; logName?: string; input?: string; extraEnv?: Record<string, string> } = {}): Run {
  const start = Date.now();
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? root,
    env: { ...env, ...opts.extraEnv },
    encoding: "utf8",
    input: opts.input,
    maxBuffer: 256 * 1024 * 1024,
  });
  const result = { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", seconds: (Date.now() - start) / 1000 };
  if (opts.logName) writeFileSync(path.join(logDir, `${opts.logName}.log`), `$ ${cmd} ${args.join(" ")}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Like run, without blocking (plans of independent stacks go side by side). */
export function runAsync(cmd: string, args: string[], opts: { cwd?: string; logName: string }): Promise<Run> {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += String(d)));
    child.stderr!.on("data", (d) => (stderr += String(d)));
    child.on("close", (status) => {
      writeFileSync(path.join(logDir, `${opts.logName}.log`), `$ ${cmd} ${args.join(" ")}\n${stdout}\n${stderr}`);
      resolve({ status, stdout, stderr, seconds: (Date.now() - start) / 1000 });
    });
  });
}

/** The run's result, or a StepError with the last lines of its output when it failed. */
export function succeeded(what: string, r: Run): Run {
  if (r.status !== 0) {
    const tail = `${r.stdout}\n${r.stderr}`.trim().split("\n").slice(-40).join("\n");
    throw new StepError(`${what} failed (exit ${r.status}):\n${tail}`);
  }
  return r;
}

export function mustRun(what: string, cmd: string, args: string[], opts: { cwd?: string; logName?: string } = {}): Run {
  return succeeded(what, run(cmd, args, opts));
}

/**
 * Polls `probe` every `intervalMs`, up to `seconds`. An aws call is a Python start-up (about a
 * second of CPU): probes that call aws come after a cheap wait on the verb's own output.
 */
export async function waitUntil(what: string, probe: () => boolean, seconds: number, intervalMs = 1000): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (probe()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new StepError(`timed out after ${seconds} s waiting for ${what}`);
}

/** A deployed stack's Terraform outputs, by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function outputs(short: Short): Record<string, any> {
  const r = mustRun(`terraform output ${short}`, "terraform", ["output", "-json"], { cwd: stackDir(short) });
  return Object.fromEntries(Object.entries(JSON.parse(r.stdout)).map(([k, v]) => [k, (v as { value: unknown }).value]));
}

/** Terraform processes running `terraform <verbWord>` in a stack's directory of this run. */
export function terraformPids(short: Short, verbWord: string): number[] {
  const r = run("pgrep", ["-f", `^terraform ${verbWord}`]);
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map(Number)
    .filter((pid) => {
      const cwd = run("readlink", [`/proc/${pid}/cwd`]).stdout.trim();
      return cwd === stackDir(short);
    });
}
