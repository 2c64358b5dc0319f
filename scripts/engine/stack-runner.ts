/**
 * What every verb of the engine (scripts/engine/cli.ts) does to one stack, whatever the verb: find its
 * synthesized directory and backend, know what the state bucket held when the verb started, run
 * Terraform there (init included), check what a run left behind, and read Terraform's errors.
 * The verbs themselves are apply-verb.ts, plan-verb.ts, destroy-verb.ts and unlock-verb.ts.
 */
import { existsSync, mkdirSync, rmSync } from "fs";
import * as path from "path";
import { Plan } from "./adopt";
import { AwsCli, AwsCliError } from "../lib/aws-cli";
import { Options, UsageError } from "./args";
import { say } from "./schedule";
import {
  BACKEND_OVERRIDE_FILE,
  declaredBackend,
  initializedBackend,
  LocalStackBackend,
  LockInfo,
  S3StackBackend,
  StackBackend,
  stackBackend,
} from "./stack-backend";
import { PlanNote } from "./platform";
import { Manifest } from "./synth";
import { definesOwnStateBucket } from "./synthesized-stack";
import { describeEnd, interruptedBy, terraform, TerraformResult } from "./terraform-process";

/** Stacks side by side at most (with --yes). Most of an apply is the provider waiting on AWS. */
export const PARALLEL = 3;

export function lockText(stack: string, backend: StackBackend, lock: LockInfo): string {
  return `its state is locked (${backend.lockLocation}, ID ${lock.ID}, ${lock.Operation ?? "?"} by ${lock.Who ?? "?"} since ${lock.Created ?? "?"}); if no Terraform is running for it: npm run unlock -- ${stack}`;
}

export class Runner {
  readonly aws: AwsCli;
  readonly logDir: string;
  /**
   * The state bucket's keys as listed when the verb started (null: no bucket; undefined: not
   * listed). Objects it did not hold then are not read again: only this verb's own runs (and
   * Terraform, which refuses a locked state itself) create them meanwhile.
   */
  listed: ReadonlySet<string> | null | undefined;
  /**
   * The bootstrap stack while the state bucket does not exist: the local state file it is applied
   * with (bootstrap-state.ts), which backend() returns instead of its S3 backend.
   */
  readonly localState = new Map<string, string>();
  private readonly bootstraps = new Map<string, boolean>();

  constructor(
    readonly opts: Options,
    readonly manifest: Manifest,
    region: string,
    profile: string | undefined,
    readonly stateBucket: string,
    /** The platform's note beside each plan's summary (its cost estimate). */
    readonly planNote: PlanNote,
  ) {
    this.aws = new AwsCli({ region, profile });
    this.logDir = path.join(opts.outdir, "logs");
    mkdirSync(this.logDir, { recursive: true });
  }

  bucketExists(): boolean {
    try {
      this.aws.text(["s3api", "head-bucket", "--bucket", this.stateBucket]);
      return true;
    } catch (e) {
      if (e instanceof AwsCliError && e.notFound) return false;
      throw e;
    }
  }

  /** The state bucket's object keys, in one call (kept as `listed`); undefined when the bucket does not exist. */
  listBucket(): Set<string> | undefined {
    try {
      const listing = this.aws.json(["s3api", "list-objects-v2", "--bucket", this.stateBucket, "--query", "Contents[].Key"]) as string[] | null;
      this.listed = new Set(listing ?? []);
      return this.listed as Set<string>;
    } catch (e) {
      if (e instanceof AwsCliError && e.notFound) {
        this.listed = null;
        return undefined;
      }
      throw e;
    }
  }

  /** False when the listing at the verb's start shows that the object was not there (so reading it is pointless). */
  mayExist(location: string | undefined): boolean {
    if (location === undefined) return false;
    if (!location.startsWith("s3://")) return true;
    if (this.listed === undefined) return true;
    return this.listed !== null && this.listed.has(objectKey(location));
  }

  /** The stacks whose state object (or local state file) exists, from one listing of the bucket. */
  stacksWithState(stacks: string[], keys: ReadonlySet<string> = this.listBucket() ?? new Set()): Set<string> {
    return new Set(
      stacks.filter((s) => {
        const backend = this.backend(s);
        return backend instanceof S3StackBackend ? keys.has(objectKey(backend.location)) : backend.countStateResources() !== undefined;
      }),
    );
  }

  dir(stack: string): string {
    return path.join(this.opts.outdir, this.manifest.stacks[stack].workingDirectory);
  }

  backend(stack: string): StackBackend {
    const file = this.localState.get(stack);
    return file ? new LocalStackBackend(file) : stackBackend(this.dir(stack), this.aws);
  }

  /** The stack creates the state bucket (its state goes there once the bucket exists). */
  isBootstrap(stack: string): boolean {
    if (!this.bootstraps.has(stack)) this.bootstraps.set(stack, definesOwnStateBucket(this.dir(stack)));
    return this.bootstraps.get(stack)!;
  }

  tf(stack: string, args: string[], stream = true, onLine?: (line: string) => void): Promise<TerraformResult> {
    return terraform(args, { cwd: this.dir(stack), prefix: `    [${stack}] `, logFile: path.join(this.logDir, `${stack}.log`), stream, onLine });
  }

  /** Initialized before (by an earlier run in this output directory), for the backend its code declares now. */
  isInitialized(stack: string): boolean {
    const dir = this.dir(stack);
    return existsSync(path.join(dir, ".terraform.lock.hcl")) && initializedBackend(dir) === declaredBackend(dir);
  }

  /**
   * A backend override left by a bootstrap that did not finish is removed: the verbs that read or
   * destroy work on the bucket's state (only the apply verb uses the local file, while there is no bucket).
   */
  dropBackendOverride(stack: string): void {
    if (this.isBootstrap(stack) && !this.localState.has(stack)) rmSync(path.join(this.dir(stack), BACKEND_OVERRIDE_FILE), { force: true });
  }

  /**
   * `terraform init`; with -reconfigure when the directory was initialized with another backend
   * than its code declares now (the bootstrap stack's, local until the bucket exists): its state
   * moves by bootstrap-state.ts, never by init.
   */
  async init(stack: string): Promise<string | undefined> {
    const before = initializedBackend(this.dir(stack));
    const extra = before !== undefined && before !== declaredBackend(this.dir(stack)) ? ["-reconfigure"] : [];
    say(`${stack}: terraform init${extra.length ? ` ${extra.join(" ")}` : ""}`);
    const r = await this.tf(stack, ["init", "-input=false", "-no-color", ...extra], false);
    if (r.status === 0) return undefined;
    // A Ctrl-C (or TERM) that reaches init: said as for any other step, not as init's failure.
    if (interruptedBy()) return `interrupted (${interruptedBy()}) during terraform init; nothing was planned or applied in it`;
    return `terraform init ${describeEnd(r)}: ${initErrorText(r.output)}`;
  }

  /** Why a finished Terraform run left the stack in a bad way, or undefined when it did not. */
  verify(stack: string, backend: StackBackend, r: TerraformResult, expectState: "present" | "empty"): string | undefined {
    const problems: string[] = [];
    if (r.status !== 0 || r.signal) problems.push(`terraform ${describeEnd(r)}`);
    // One listing says whether the state and a lock are there; the state is read only to count.
    const present = backend.presence();
    const count = () => (present.state ? backend.countStateResources() : undefined);
    if (expectState === "present" && !present.state) problems.push(`no state object at ${backend.location}`);
    const left = expectState === "empty" ? count() : undefined;
    if (left) problems.push(`the state still records ${left} resource(s)`);
    if (present.lock) problems.push(`lock left at ${backend.lockLocation} (if no Terraform is running for it: npm run unlock -- ${stack})`);
    if (problems.length === 0) return undefined;
    if (interruptedBy()) {
      problems.unshift(`interrupted (${interruptedBy()})`);
      const rerun = expectState === "present" ? "re-run the verb to finish (what was created but not recorded is adopted)" : "re-run the verb to finish";
      problems.push(`left: state with ${count() ?? "no"} resource(s), lock ${present.lock ? "held" : "released"}; ${rerun}`);
    }
    return problems.join("; ");
  }

  async planJson(stack: string): Promise<Plan> {
    const r = await this.tf(stack, ["show", "-json", "-no-color", "tfplan"], false);
    if (r.status !== 0) throw new Error(`terraform show ${describeEnd(r)}`);
    return JSON.parse(r.stdout) as Plan;
  }
}

/** A lock anywhere stops the verb before it changes anything (one listing, `keys`, finds them). */
export function requireUnlocked(runner: Runner, stacks: string[], keys: ReadonlySet<string> | undefined): void {
  const locked = stacks.flatMap((s) => {
    const backend = runner.backend(s);
    if (backend instanceof S3StackBackend && !keys?.has(objectKey(backend.lockLocation))) return [];
    const lock = backend.lock();
    return lock ? [`${s}: ${lockText(s, backend, lock)}`] : [];
  });
  if (locked.length) {
    for (const line of locked.slice(1)) process.stderr.write(`stacks: error: ${line}\n`);
    throw new UsageError(locked[0]);
  }
}

/** The key of an s3:// location in its bucket. */
export function objectKey(location: string): string {
  return location.replace(/^s3:\/\/[^/]+\//, "");
}

/** Terraform refused to start because the directory needs `init` (backend or providers changed); it changed nothing. */
export function needsInit(r: TerraformResult): boolean {
  // Under -json the messages are JSON strings: their quotes are escaped.
  return (
    r.status === 1 &&
    /Backend initialization required|Required plugins are not installed|Inconsistent dependency lock file|please run "terraform init"/i.test(
      r.output.replace(/\\"/g, '"'),
    )
  );
}

/**
 * What `terraform init` failed on, in one line: the providers it could not install and why (its
 * own text spreads this over paragraphs per provider, ending with advice to run `terraform
 * providers`), else its first error with the sentence under it, else its last lines.
 */
export function initErrorText(output: string): string {
  const paragraphs = output
    .replace(/\r/g, "")
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .replace(/^[│╷╵\s]+/gm, "")
        .replace(/\s*\n\s*/g, " ")
        .trim(),
    )
    .filter(Boolean);
  const providers: string[] = [];
  let why = "";
  for (const p of paragraphs) {
    const m = /(?:for|install) provider ([\w.-]+\/[\w.-]+(?:\/[\w.-]+)?)(?: v[\d.]+)?: ([^:]+)/.exec(p);
    if (!m) continue;
    if (!providers.includes(m[1])) providers.push(m[1]);
    why ||= m[2].trim();
  }
  if (providers.length) return `cannot install provider ${providers.join(", ")}: ${why}`;
  const error = paragraphs.findIndex((p) => p.startsWith("Error:"));
  if (error >= 0) return [paragraphs[error], paragraphs[error + 1]?.split(/(?<=\.)\s/)[0]].filter(Boolean).join(": ");
  return paragraphs.slice(-2).join(" / ");
}

export function seconds(t0: number): string {
  return `${Math.round((Date.now() - t0) / 1000)} s`;
}

export function errorLines(output: string): string {
  const lines = output.split("\n").map((l) => l.replace(/^[│╷╵\s]+/, "").trim());
  const errors = lines.filter((l) => l.startsWith("Error:"));
  return (errors.length ? errors : lines.filter(Boolean).slice(-2)).slice(0, 3).join(" / ");
}

/** The error diagnostics of `terraform ... -json` output, as errorLines gives them for text. */
export function jsonErrorLines(output: string): string {
  const parse = (l: string): { "@level"?: string; "@message"?: string } => {
    try {
      return JSON.parse(l);
    } catch {
      return {}; // a line that stdout and stderr interleaved
    }
  };
  const messages = output
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map(parse)
    .filter((e) => e["@level"] === "error")
    .map((e) => String(e["@message"]));
  return messages.length ? messages.slice(0, 3).join(" / ") : errorLines(output);
}
