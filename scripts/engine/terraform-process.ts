/**
 * Runs Terraform for one stack so that an operator verb always knows how it ended.
 *
 * Terraform runs in a process group of its own: a Ctrl-C at the terminal reaches the verb only,
 * and the verb sends Terraform exactly one SIGINT, which Terraform answers by stopping gracefully
 * (it finishes the calls in flight, writes its state and releases the lock). A second SIGINT would
 * make Terraform exit at once and leave the lock behind, which is what a doubled Ctrl-C (terminal
 * plus forwarding) used to do.
 */
import { ChildProcess, spawn } from "child_process";
import { appendFileSync } from "fs";

export interface TerraformResult {
  /** exit code, or null when a signal ended the process */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly output: string;
}

const running = new Set<ChildProcess>();
let interrupted: NodeJS.Signals | undefined;
let firstInterruptAt = 0;

/** The signal the verb received (SIGINT or SIGTERM), if any. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return interrupted;
}

function forward(signal: NodeJS.Signals): void {
  const now = Date.now();
  if (!interrupted) {
    interrupted = signal;
    firstInterruptAt = now;
    process.stderr.write(`\n${signal} received: asking every running Terraform to stop gracefully (it writes its state and releases its lock)\n`);
    for (const child of running) sendInt(child);
    return;
  }
  // The same keypress can arrive twice (terminal and the calling shell); only a later one is a second request.
  if (now - firstInterruptAt < 2000) return;
  process.stderr.write(`${signal} again: stopping Terraform at once; its lock may stay behind (npm run unlock -- <stack>)\n`);
  for (const child of running) sendInt(child);
}

function sendInt(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(child.pid, "SIGINT");
  } catch {
    /* already gone */
  }
}

let installed = false;
/** Installs the SIGINT/SIGTERM handlers (once). Afterwards the process exits only when the caller returns. */
export function handleInterrupts(): void {
  if (installed) return;
  installed = true;
  process.on("SIGINT", () => forward("SIGINT"));
  process.on("SIGTERM", () => forward("SIGTERM"));
  process.on("SIGHUP", () => forward("SIGHUP")); // the terminal went away: stop as gently
}

export interface RunOptions {
  readonly cwd: string;
  /** prefix of each streamed line, e.g. "[network] " */
  readonly prefix: string;
  /** every line also goes here */
  readonly logFile: string;
  /** stream the output to stderr (default true) */
  readonly stream?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** called with each line of output as it comes */
  readonly onLine?: (line: string) => void;
}

/** Runs `terraform ARGS` in its own process group, streaming prefixed output; never throws for a failed run. */
export function terraform(args: readonly string[], opts: RunOptions): Promise<TerraformResult> {
  appendFileSync(opts.logFile, `$ terraform ${args.join(" ")}\n`);
  return new Promise((resolve) => {
    const child = spawn("terraform", [...args], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env, TF_IN_AUTOMATION: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // own process group: the terminal's Ctrl-C is forwarded once, by forward()
    });
    running.add(child);
    if (interrupted) sendInt(child);
    let stdout = "";
    let output = "";
    const pending: Record<"out" | "err", string> = { out: "", err: "" };
    const emit = (which: "out" | "err", chunk: string, flush = false) => {
      pending[which] += chunk;
      const lines = pending[which].split("\n");
      pending[which] = flush ? "" : lines.pop()!;
      for (const line of lines) {
        if (flush && line === "") continue;
        const text = readable(line);
        opts.onLine?.(text);
        appendFileSync(opts.logFile, `${text}\n`);
        if (opts.stream ?? true) process.stderr.write(`${opts.prefix}${text}\n`);
      }
    };
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      output += d;
      emit("out", d);
    });
    child.stderr!.setEncoding("utf8").on("data", (d: string) => {
      output += d;
      emit("err", d);
    });
    child.on("error", (e) => {
      output += String(e);
      emit("err", `${e.message}\n`);
    });
    child.on("close", (status, signal) => {
      running.delete(child);
      emit("out", "", true);
      emit("err", "", true);
      resolve({ status, signal, stdout, output });
    });
  });
}

/** A line of `terraform ... -json` output as its human-readable message (other lines unchanged). */
export function readable(line: string): string {
  if (!line.startsWith('{"@level"')) return line;
  try {
    const event = JSON.parse(line) as { "@message"?: string; diagnostic?: { detail?: string } };
    const detail = event.diagnostic?.detail ? `: ${event.diagnostic.detail.replace(/\s+/g, " ")}` : "";
    return `${event["@message"] ?? line}${detail}`;
  } catch {
    return line;
  }
}

/** "exit 1", "killed by SIGKILL"... */
export function describeEnd(r: TerraformResult): string {
  return r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
}
