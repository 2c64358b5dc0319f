/**
 * The engine behind the operator verbs (scripts/aws/*.sh): synthesizes once with `cdktf synth`,
 * then drives Terraform stack by stack, so that the verb, not cdktf, owns each stack's plan, exit
 * status, lock and interruption.
 *
 *   stacks.ts apply   [--yes] [--adopt] [--allow-replace ADDRESS]... [--outdir DIR] STACK...
 *   stacks.ts plan    [--show] [--outdir DIR] [--no-refresh STACK]... STACK...
 *   stacks.ts destroy [--outdir DIR] [--no-refresh STACK]... STACK...
 *   stacks.ts unlock  [--force] STACK
 *
 * apply: stacks go in dependency order (cdktf's manifest.json), independent ones side by side
 * (with --yes; lib/schedule.ts): a stack is planned once the stacks whose outputs it reads are
 * done, applied once every stack it comes after is done. A stack whose dependency outside the list
 * has no state stops the verb before any change. Each stack: lock check, init, plan to a file, (adoption), approval unless --yes, apply of
 * that plan, then verification: Terraform's exit status, the state object present, no lock
 * object left. Anything else is a failure naming the stack. A plan that destroys or replaces a
 * protected resource (lib/plan-guard.ts) stops the stack before it changes anything, unless each
 * such address is given with --allow-replace.
 * plan: read-only (no lock taken, nothing applied): plans each deployed stack side by side and
 * reports it in sync or drifted (with --show, the whole plan); a stack with no state is "not
 * deployed". Each plan is kept as tfplan (and, with changes, tfplan.json) in the stack's directory.
 * destroy: reverse dependency order; a stack with no state is skipped without init (its providers
 * are never installed); after a verified destroy its state object is deleted.
 * unlock: removes a stack's stale lock object after checking that no Terraform holds it.
 *
 * Exit: 0 done; 1 a stack failed or was interrupted; 2 usage, a prerequisite or the guard (nothing
 * changed). plan: 0 in sync, 3 drifted, 1 anything else (bad usage included).
 * The last line on stderr is the verdict; FACTORY_RESULT_FILE (if set) receives its reason.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, readSync, rmSync, statSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, loadConfig } from "../config";
import { DEPLOYED_BY } from "./print-config";
import { AdoptionError, Adoption, findAdoptions, health, Health, IMPORTS_FILE, Plan, ResourceChange, writeImports } from "./lib/adopt";
import { AwsCli, AwsCliError } from "./lib/aws-cli";
import { LocalStackBackend, LockInfo, S3StackBackend, StackBackend, stackBackend, taintedObjects } from "./lib/stack-backend";
import { describeEnd, handleInterrupts, interruptedBy, terraform, TerraformResult } from "./lib/terraform-process";
import { Outcome, Prepared, say, schedule, scheduleApply, topological } from "./lib/schedule";
import { deletes, guardPlan, violationLines, violations } from "./lib/plan-guard";
import { addonPins, unofferedPins } from "./lib/addon-versions";

const ROOT = path.join(__dirname, "..");
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
/** plan: some deployed stack differs from the code (the verbs turn it into their exit 2). */
const EXIT_DRIFTED = 3;
/** Stacks side by side at most (with --yes). Most of an apply is the provider waiting on AWS. */
const PARALLEL = 3;
/** How long an object an interrupted apply left being created is waited for (EKS clusters take ~10 min). */
const SETTLE_MINUTES = 30;

class UsageError extends Error {}

type Verb = "apply" | "plan" | "destroy" | "unlock";
const VERBS: readonly Verb[] = ["apply", "plan", "destroy", "unlock"];

interface Options {
  verb: Verb;
  stacks: string[];
  yes: boolean;
  adopt: boolean;
  force: boolean;
  show: boolean;
  outdir: string;
  noRefresh: Set<string>;
  allowReplace: Set<string>;
}

function parseArgs(argv: string[]): Options {
  const [first, ...rest] = argv;
  const verb = VERBS.find((v) => v === first);
  if (!verb) throw new UsageError(`unknown verb ${JSON.stringify(first ?? "")} (${VERBS.join(", ")})`);
  const o: Options = {
    verb,
    stacks: [],
    yes: false,
    adopt: false,
    force: false,
    show: false,
    outdir: path.join(ROOT, "cdktf.out"),
    noRefresh: new Set(),
    allowReplace: new Set(),
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--yes" || a === "-y") o.yes = true;
    else if (a === "--adopt") o.adopt = true;
    else if (a === "--force") o.force = true;
    else if (a === "--show") o.show = true;
    else if (a === "--allow-replace") o.allowReplace.add(rest[++i] ?? "");
    else if (a === "--outdir") o.outdir = path.resolve(rest[++i] ?? "");
    else if (a === "--no-refresh") o.noRefresh.add(rest[++i] ?? "");
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else o.stacks.push(a);
  }
  if (o.stacks.length === 0) throw new UsageError("name at least one stack");
  if (verb === "unlock" && o.stacks.length !== 1) throw new UsageError("unlock takes one stack");
  return o;
}

function lockText(stack: string, backend: StackBackend, lock: LockInfo): string {
  return `its state is locked (${backend.lockLocation}, ID ${lock.ID}, ${lock.Operation ?? "?"} by ${lock.Who ?? "?"} since ${lock.Created ?? "?"}); if no Terraform is running for it: npm run unlock -- ${stack}`;
}

// ---- synth and the manifest ------------------------------------------------------------------

export interface Manifest {
  stacks: Record<string, { workingDirectory: string; dependencies: string[] }>;
}

/** What the synthesized output is made of: the app's sources and data, what npm installed (its hidden lock file), and its settings. */
const SYNTH_INPUTS = [
  "main.ts",
  "config.ts",
  "versions.ts",
  "versions.yaml",
  "cdktf.json",
  "package-lock.json",
  "node_modules/.package-lock.json",
  "scripts/ts-register.js",
  "stacks",
  "constructs",
  "helm-values",
  "iam-policies",
];

/** A digest of every synth input (file contents, and the FACTORY_* settings). */
export function synthKey(env: NodeJS.ProcessEnv = process.env, root = ROOT): string {
  const hash = createHash("sha256");
  const add = (rel: string) => {
    const file = path.join(root, rel);
    if (!existsSync(file)) return;
    if (statSync(file).isDirectory()) {
      for (const entry of readdirSync(file).sort()) add(path.join(rel, entry));
      return;
    }
    hash.update(`${rel}\0`).update(readFileSync(file)).update("\0");
  };
  SYNTH_INPUTS.forEach(add);
  for (const key of Object.keys(env)
    .filter((k) => k.startsWith("FACTORY_") && k !== "FACTORY_RESULT_FILE" && k !== "FACTORY_ELAPSED_BASE")
    .sort())
    hash.update(`${key}=${env[key]}\0`);
  return hash.digest("hex");
}

/**
 * `cdktf synth` into outdir, unless outdir holds the output of the same inputs already (its
 * synth.key): a re-run of a verb, drift, diff then skip the 4-5 s of synthesis.
 */
function synth(outdir: string): Manifest {
  const keyFile = path.join(outdir, "synth.key");
  const manifestFile = path.join(outdir, "manifest.json");
  const key = synthKey();
  if (existsSync(keyFile) && existsSync(manifestFile) && readFileSync(keyFile, "utf8") === key) {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
    if (Object.values(manifest.stacks).every((s) => existsSync(path.join(outdir, s.workingDirectory, "cdk.tf.json")))) {
      say(`${path.relative(process.cwd(), outdir) || outdir} holds the synthesized output of this code and these settings: synth skipped`);
      return manifest;
    }
  }
  rmSync(keyFile, { force: true });
  rmSync(manifestFile, { force: true });
  mkdirSync(outdir, { recursive: true });
  // The app command of cdktf.json, run the way `cdktf synth` runs it: the output directory and the
  // context in the environment (cdktf's contract between its CLI and an app; a fork that renames
  // the package keeps App's reading of them). Same files as `cdktf synth --output`, in a fifth of
  // the time: the CLI's own start-up costs about 6 s of CPU on every verb.
  const project = JSON.parse(readFileSync(path.join(ROOT, "cdktf.json"), "utf8")) as { app: string; context?: Record<string, unknown> };
  say(`synth: ${project.app} (into ${path.relative(process.cwd(), outdir) || outdir})`);
  const r = spawnSync(project.app, {
    shell: true,
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: outdir, CDKTF_CONTEXT_JSON: JSON.stringify(project.context ?? {}) },
  });
  if (r.status !== 0 || !existsSync(manifestFile)) {
    const detail = `${r.stdout}\n${r.stderr}`
      .split("\n")
      .filter((l) => /error/i.test(l))
      .slice(-3)
      .join(" / ");
    throw new UsageError(`synth failed (${r.status !== 0 ? `exit ${r.status}` : "no manifest.json written"}): ${detail.trim() || "see its output"}`);
  }
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
  // As the CLI does: a stack the app no longer has leaves no directory behind.
  const stacksDir = path.join(outdir, "stacks");
  for (const dir of existsSync(stacksDir) ? readdirSync(stacksDir) : []) {
    if (!manifest.stacks[dir]) rmSync(path.join(stacksDir, dir), { recursive: true, force: true });
  }
  writeFileSync(keyFile, key);
  return manifest;
}

// ---- one stack --------------------------------------------------------------------------------

export class Runner {
  readonly aws: AwsCli;
  readonly logDir: string;
  /**
   * The state bucket's keys as listed when the verb started (null: no bucket; undefined: not
   * listed). Objects it did not hold then are not read again: only this verb's own runs (and
   * Terraform, which refuses a locked state itself) create them meanwhile.
   */
  listed: ReadonlySet<string> | null | undefined;
  /** Resolved once the state bucket is ready for state (a new account: when the bootstrap stack's apply has versioned it). */
  readonly bucketReady = deferred();
  private approvals: Promise<void> = Promise.resolve();

  constructor(
    readonly opts: Options,
    readonly manifest: Manifest,
    region: string,
    profile: string | undefined,
    readonly stateBucket: string,
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
  private mayExist(location: string | undefined): boolean {
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
        return backend instanceof S3StackBackend ? keys.has(objectKey(backend.location)) : backend.resourceCount() !== undefined;
      }),
    );
  }

  dir(stack: string): string {
    return path.join(this.opts.outdir, this.manifest.stacks[stack].workingDirectory);
  }

  backend(stack: string): StackBackend {
    return stackBackend(this.dir(stack), this.aws);
  }

  private tf(stack: string, args: string[], stream = true, onLine?: (line: string) => void): Promise<TerraformResult> {
    return terraform(args, { cwd: this.dir(stack), prefix: `    [${stack}] `, logFile: path.join(this.logDir, `${stack}.log`), stream, onLine });
  }

  /** Initialized before (by an earlier run in this output directory). */
  private isInitialized(stack: string): boolean {
    return existsSync(path.join(this.dir(stack), ".terraform", "terraform.tfstate")) && existsSync(path.join(this.dir(stack), ".terraform.lock.hcl"));
  }

  private async init(stack: string): Promise<string | undefined> {
    say(`${stack}: terraform init`);
    const r = await this.tf(stack, ["init", "-input=false", "-no-color"], false);
    if (r.status === 0) return undefined;
    // A Ctrl-C (or TERM) that reaches init: said as for any other step, not as init's failure.
    if (interruptedBy()) return `interrupted (${interruptedBy()}) during terraform init; nothing was planned or applied in it`;
    const tail = r.output
      .trim()
      .split("\n")
      .filter((l) => l.trim())
      .slice(-3)
      .join(" / ");
    return `terraform init ${describeEnd(r)}: ${tail}`;
  }

  /** Why a finished Terraform run left the stack in a bad way, or undefined when it did not. */
  private verify(stack: string, backend: StackBackend, r: TerraformResult, expectState: "present" | "empty"): string | undefined {
    const problems: string[] = [];
    if (r.status !== 0 || r.signal) problems.push(`terraform ${describeEnd(r)}`);
    // One listing says whether the state and a lock are there; the state is read only to count.
    const present = backend.presence();
    const count = () => (present.state ? backend.resourceCount() : undefined);
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

  private async planJson(stack: string): Promise<Plan> {
    const r = await this.tf(stack, ["show", "-json", "-no-color", "tfplan"], false);
    if (r.status !== 0) throw new Error(`terraform show ${describeEnd(r)}`);
    return JSON.parse(r.stdout) as Plan;
  }

  private async approve(stack: string, summary: string): Promise<boolean> {
    const shown = await this.tf(stack, ["show", "-no-color", "tfplan"]);
    if (shown.status !== 0) return false;
    process.stderr.write(`\nApply this plan to ${stack} (${summary})? Only 'yes' is accepted: `);
    const answer = readLine();
    return answer.trim() === "yes";
  }

  /**
   * The tainted objects of the stack's state, as resource changes whose `before` is what the state
   * holds: read from the state itself (a `terraform show -json` would start the provider for it).
   */
  private taintedInState(stateText: string): ResourceChange[] {
    return taintedObjects(stateText).map((x) => ({ address: x.address, type: x.type, change: { actions: ["delete", "create"], before: x.attributes } }));
  }

  /** Untaints each object that AWS reports whole (waiting while it is still being created); a reason to stop otherwise. */
  private async untaintWhole(stack: string, tainted: ResourceChange[]): Promise<string | undefined> {
    for (const rc of tainted) {
      const settled = await this.settle(stack, rc);
      if (settled.health !== "healthy") {
        return `${rc.address} is tainted by the interrupted apply and AWS reports it ${settled.status ?? "unhealthy"}: nothing applied, so that it is not replaced; inspect it, then delete it in AWS and re-run, or import a healthy one`;
      }
      const r = await this.tf(stack, ["untaint", "-no-color", "-lock-timeout=0s", rc.address], false);
      if (r.status !== 0) return `terraform untaint ${rc.address} ${describeEnd(r)}: ${errorLines(r.output)}`;
      say(`${stack}: untainted ${rc.address}: the interrupted apply had created it and AWS reports it whole`);
    }
    return undefined;
  }

  /** An object still being created (e.g. an EKS cluster after a Ctrl-C) is waited for, up to SETTLE_MINUTES. */
  private async settle(stack: string, rc: ResourceChange): Promise<{ health: Health; status?: string }> {
    const deadline = Date.now() + SETTLE_MINUTES * 60_000;
    for (;;) {
      const h = await health(rc, this.aws);
      if (h.health !== "pending" || Date.now() > deadline || interruptedBy()) return h;
      say(`${stack}: ${rc.address} is ${h.status}: waiting for AWS to finish creating it`);
      await new Promise((r) => setTimeout(r, 15_000));
    }
  }

  /** Everything before the apply: checks, init, plan (with adoption after an interrupted apply). Changes nothing but taints. */
  async prepare(stack: string): Promise<Prepared> {
    const t0 = Date.now();
    const backend = this.backend(stack);
    const fail = (text: string): Prepared => ({ stack, done: { stack, ok: false, text } });
    if (
      backend instanceof LocalStackBackend &&
      backend.resourceCount() === undefined &&
      (this.listed === undefined ? this.bucketExists() : this.listed !== null)
    ) {
      // The bootstrap stack's state is a file in the checkout that made the bucket. Applied from
      // another checkout, it would try to create the bucket again.
      return {
        stack,
        done: { stack, ok: true, text: `the state bucket exists and ${backend.location} is not here (bootstrapped from another checkout): skipped` },
      };
    }
    const lock = this.mayExist(backend.lockLocation) ? backend.lock() : undefined;
    if (lock) return fail(lockText(stack, backend, lock));
    // Import blocks of an earlier run that did not finish would be stale: adoption writes them anew.
    rmSync(path.join(this.dir(stack), IMPORTS_FILE), { force: true });
    // An initialized directory is planned at once; if Terraform asks for init (backend or
    // providers changed), init runs and the plan is made again.
    if (!this.isInitialized(stack)) {
      const initError = await this.init(stack);
      if (initError) return fail(initError);
    }

    const marker = backend instanceof S3StackBackend && this.mayExist(backend.markerLocation) ? backend.marker() : undefined;
    const adopting = this.opts.adopt || marker !== undefined;
    if (marker) say(`${stack}: the apply started ${marker.started} by ${marker.who} did not finish: objects it created but did not record are adopted`);
    const stateText = adopting ? backend.stateText() : undefined;
    if (stateText) {
      // Untainted before the first plan, so that the plan does not replace them.
      const problem = await this.untaintWhole(stack, this.taintedInState(stateText));
      if (problem) return fail(problem);
    }
    const adoptions: Adoption[] = [];
    let planStatus: number | null; // the last plan's exit status (the loop runs at least once)
    // Terraform's machine-readable plan: its planned changes spare a `terraform show -json` (a
    // whole provider start, 4-5 s of CPU) unless something is deleted or adopted.
    const planArgs = ["plan", "-input=false", "-json", "-lock-timeout=0s", "-detailed-exitcode", "-out=tfplan"];
    let streamed: Plan | undefined;
    let shown: Plan | undefined; // `show -json` of the latest plan, when adoption needed it
    for (let pass = 1; ; pass++) {
      say(`${stack}: terraform plan${pass > 1 ? ` (pass ${pass})` : ""}`);
      shown = undefined;
      let plan = await this.tf(stack, planArgs, false);
      if (needsInit(plan)) {
        const initError = await this.init(stack);
        if (initError) return fail(initError);
        plan = await this.tf(stack, planArgs, false);
      }
      planStatus = plan.status;
      if (interruptedBy()) return fail(`interrupted (${interruptedBy()}) while planning; nothing was applied`);
      if (plan.status !== 0 && plan.status !== 2) return fail(`terraform plan ${describeEnd(plan)}: ${jsonErrorLines(plan.output)}`);
      streamed = plannedChanges(plan.stdout);
      if (!adopting || plan.status === 0 || pass > 4) break;
      const json = (shown = await this.planJson(stack));
      let found: Adoption[];
      try {
        found = (await findAdoptions(json, this.aws, stack)).filter((a) => !adoptions.some((b) => b.address === a.address));
      } catch (e) {
        if (e instanceof AdoptionError || e instanceof AwsCliError) return fail(`adoption: ${e.message}`);
        throw e;
      }
      for (const a of found) say(`${stack}: adopting ${a.address} = ${a.id} (created by the interrupted apply, not in state)`);
      if (found.length === 0) break;
      adoptions.push(...found);
      if (found.length) writeImports(this.dir(stack), adoptions);
    }
    if (planStatus === 0) {
      if (marker) backend.clearMarker();
      return { stack, done: { stack, ok: true, text: "no changes" } };
    }
    const plan = shown ?? (adopting || !streamed || streamed.resource_changes!.some(deletes) ? await this.planJson(stack) : streamed);
    const stop = this.guard(stack, plan);
    if (stop) return { stack, done: stop };
    return { stack, adoptions: adoptions.length, t0, plan };
  }

  /**
   * The destructive-plan guard: an outcome that stops the stack when its plan destroys or replaces
   * a protected resource that --allow-replace does not name (one line per resource on stderr).
   */
  private guard(stack: string, plan: Plan): Outcome | undefined {
    const { blocked: stop, allowed } = guardPlan(plan, stack, this.opts.allowReplace);
    for (const line of violationLines(stack, allowed)) say(`allowed by --allow-replace: ${line}`);
    if (stop.length === 0) return undefined;
    process.stderr.write(`\n${stack}: the plan destroys or replaces ${stop.length} protected resource(s); nothing was applied to this stack:\n`);
    for (const line of violationLines(stack, stop)) process.stderr.write(`  ${line}\n`);
    process.stderr.write(`  to apply it on purpose, add: ${stop.map((v) => `--allow-replace ${v.address}`).join(" ")}\n\n`);
    const list = stop.map((v) => v.address).join(", ");
    return {
      stack,
      ok: false,
      blocked: true,
      text: `stopped by the guard: the plan destroys or replaces ${stop.length} protected resource(s), nothing applied: ${list} (why: the lines above); to proceed on purpose: --allow-replace <address>`,
    };
  }

  /** The apply of a prepared plan (after approval, unless --yes), then its verification. */
  async commit(p: Prepared): Promise<Outcome> {
    const stack = p.stack;
    const backend = this.backend(stack);
    const fail = (text: string): Outcome => ({ stack, ok: false, text });
    const json = (p.plan as Plan | undefined) ?? (await this.planJson(stack));
    const summary = summarize(json);
    for (const line of changeLines(json)) say(`${stack}: ${line}`);
    if (!this.opts.yes) {
      // One question at a time, in dependency order.
      let approved = false;
      const turn = this.approvals.then(async () => {
        approved = await this.approve(stack, summary);
      });
      this.approvals = turn;
      await turn;
      if (!approved) return fail(`not applied: the plan (${summary}) was not approved`);
    }
    say(`${stack}: terraform apply (${summary})`);
    if (backend instanceof S3StackBackend) backend.setMarker();
    // The bootstrap stack's apply says when the state bucket is versioned (so that every state
    // written to it is kept): the other stacks may plan and apply from then on, while this one
    // still waits (about a minute) for AWS to report its lifecycle rules.
    const versioned = new RegExp(`^aws_s3_bucket_versioning\\.[^:]+: Creation complete after \\S+ \\[id=${this.stateBucket.replace(/[.]/g, "\\.")}\\]`);
    const onLine = backend instanceof LocalStackBackend ? (line: string) => versioned.test(line) && this.bucketReady.resolve() : undefined;
    const r = await this.tf(stack, ["apply", "-input=false", "-no-color", "-lock-timeout=0s", "tfplan"], true, onLine);
    const problem = this.verify(stack, backend, r, "present");
    if (problem) return fail(problem);
    backend.clearMarker();
    rmSync(path.join(this.dir(stack), IMPORTS_FILE), { force: true });
    return { stack, ok: true, changed: true, text: `applied: ${pastTense(summary)}${p.adoptions ? `, ${p.adoptions} adopted` : ""} in ${seconds(p.t0!)}` };
  }

  /** plan: read-only (no lock, no apply, no adoption): does the deployed stack match its code? */
  async plan(stack: string): Promise<PlanOutcome> {
    const fail = (text: string): PlanOutcome => ({ stack, ok: false, text });
    if (!this.isInitialized(stack)) {
      const initError = await this.init(stack);
      if (initError) return fail(initError);
    }
    say(`${stack}: terraform plan (read-only)`);
    // Without --show, Terraform's machine-readable output: its planned changes spare a
    // `terraform show -json` (which loads the provider's whole schema) unless something is deleted.
    const args = ["plan", "-input=false", this.opts.show ? "-no-color" : "-json", "-lock=false", "-detailed-exitcode", "-out=tfplan"];
    if (this.opts.noRefresh.has(stack)) args.push("-refresh=false");
    let r = await this.tf(stack, args, false);
    if (needsInit(r)) {
      const initError = await this.init(stack);
      if (initError) return fail(initError);
      r = await this.tf(stack, args, false);
    }
    if (interruptedBy()) return fail(`interrupted (${interruptedBy()}) while planning`);
    if (r.status !== 0 && r.status !== 2) return fail(`terraform plan ${describeEnd(r)}: ${this.opts.show ? errorLines(r.output) : jsonErrorLines(r.output)}`);
    rmSync(path.join(this.dir(stack), "tfplan.json"), { force: true });
    if (this.opts.show) {
      const shown = await this.tf(stack, ["show", "-no-color", "tfplan"]);
      if (shown.status !== 0) return fail(`terraform show ${describeEnd(shown)}: the plan could not be shown`);
    }
    if (r.status === 0) return { stack, ok: true, text: "in sync" };
    const streamed = this.opts.show ? undefined : plannedChanges(r.stdout);
    const plan = streamed && !streamed.resource_changes!.some(deletes) ? streamed : await this.planJson(stack);
    writeFileSync(path.join(this.dir(stack), "tfplan.json"), JSON.stringify(plan));
    for (const line of changeLines(plan)) say(`${stack}: ${line}`);
    for (const line of violationLines(stack, violations(plan))) say(`${stack}: the guard would stop this plan: ${line}`);
    return { stack, ok: true, drifted: true, text: summarize(plan) };
  }

  async destroy(stack: string): Promise<Outcome> {
    const t0 = Date.now();
    const backend = this.backend(stack);
    const fail = (text: string): Outcome => ({ stack, ok: false, text });
    const count = backend.resourceCount();
    if (count === undefined) return { stack, ok: true, text: "not deployed (no state): skipped" };
    const lock = this.mayExist(backend.lockLocation) ? backend.lock() : undefined;
    if (lock) return fail(lockText(stack, backend, lock));
    if (count === 0) {
      backend.deleteState();
      if (backend instanceof S3StackBackend && this.mayExist(backend.markerLocation)) backend.clearMarker();
      return { stack, ok: true, text: "state recorded no resources: state object removed" };
    }
    if (!this.isInitialized(stack)) {
      const initError = await this.init(stack);
      if (initError) return fail(initError);
    }
    say(`${stack}: terraform destroy (${count} resources in state)`);
    const args = ["destroy", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=0s"];
    if (this.opts.noRefresh.has(stack)) args.push("-refresh=false");
    let r = await this.tf(stack, args);
    if (needsInit(r)) {
      const initError = await this.init(stack);
      if (initError) return fail(initError);
      r = await this.tf(stack, args);
    }
    const problem = this.verify(stack, backend, r, "empty");
    if (problem) return fail(problem);
    backend.deleteState();
    if (backend instanceof S3StackBackend && this.mayExist(backend.markerLocation)) backend.clearMarker();
    if (backend.resourceCount() !== undefined) return fail(`the state object ${backend.location} is still there after it was deleted`);
    return { stack, ok: true, changed: true, text: `destroyed (${count} resources) in ${seconds(t0)}` };
  }
}

interface PlanOutcome extends Outcome {
  readonly drifted?: boolean;
}

/**
 * The plan that `terraform plan -json` streamed: its planned changes (address, type, actions),
 * without before/after values. A replacement's order (create or destroy first) and the attributes
 * forcing it are not in the stream: a plan that deletes anything is read with `show -json`.
 */
export function plannedChanges(stdout: string): Plan {
  const actions: Record<string, string[]> = {
    create: ["create"],
    update: ["update"],
    delete: ["delete"],
    replace: ["delete", "create"],
    read: ["read"],
    noop: ["no-op"],
  };
  const changes: ResourceChange[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const event = JSON.parse(line) as any;
    if (event.type !== "planned_change") continue;
    const resource = event.change.resource;
    changes.push({
      address: resource.addr,
      type: resource.resource_type,
      mode: String(resource.addr).startsWith("data.") ? "data" : "managed",
      change: { actions: actions[event.change.action] ?? [event.change.action] },
    });
  }
  return { resource_changes: changes };
}

/** The error diagnostics of `terraform ... -json` output, as errorLines gives them for text. */
function jsonErrorLines(output: string): string {
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

/** The key of an s3:// location in its bucket. */
function objectKey(location: string): string {
  return location.replace(/^s3:\/\/[^/]+\//, "");
}

/** Terraform refused to start because the directory needs `init` (backend or providers changed); it changed nothing. */
function needsInit(r: TerraformResult): boolean {
  // Under -json the messages are JSON strings: their quotes are escaped.
  return (
    r.status === 1 &&
    /Backend initialization required|Required plugins are not installed|Inconsistent dependency lock file|please run "terraform init"/i.test(
      r.output.replace(/\\"/g, '"'),
    )
  );
}

function seconds(t0: number): string {
  return `${Math.round((Date.now() - t0) / 1000)} s`;
}

function errorLines(output: string): string {
  const lines = output.split("\n").map((l) => l.replace(/^[│╷╵\s]+/, "").trim());
  const errors = lines.filter((l) => l.startsWith("Error:"));
  return (errors.length ? errors : lines.filter(Boolean).slice(-2)).slice(0, 3).join(" / ");
}

function summarize(plan: Plan): string {
  const n = { add: 0, change: 0, destroy: 0, import: 0 };
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === "data") continue;
    const a = rc.change.actions;
    if (a.includes("create")) n.add++;
    if (a.includes("delete")) n.destroy++;
    if (a.length === 1 && a[0] === "update") n.change++;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    if ((rc.change as any).importing) n.import++;
  }
  return `${n.add} to add, ${n.change} to change, ${n.destroy} to destroy${n.import ? `, ${n.import} to import` : ""}`;
}

function pastTense(summary: string): string {
  return summary.replace("to add", "added").replace("to change", "changed").replace("to destroy", "destroyed").replace("to import", "imported");
}

function changeLines(plan: Plan): string[] {
  const verbs: Record<string, string> = {
    create: "create",
    update: "update in place",
    delete: "destroy",
    "delete,create": "REPLACE (destroy first)",
    "create,delete": "replace (create first)",
  };
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode !== "data" && rc.change.actions.join(",") !== "no-op")
    .map((rc) => `  ${verbs[rc.change.actions.join(",")] ?? rc.change.actions.join(",")}: ${rc.address}`);
}

/** One line from standard input (blocking; the approval prompt). */
function readLine(): string {
  const buf = Buffer.alloc(1);
  let line = "";
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, 1, null);
    } catch {
      return line;
    }
    if (n === 0 || buf[0] === 10) return line;
    line += buf.toString("utf8");
  }
}

// ---- verbs ----------------------------------------------------------------------------------------

/**
 * The stacks whose outputs `stack` reads (its cross-stack remote state data sources). Only these
 * must have state before it is planned; a dependency that only orders (dns after app) need not.
 */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** How many resources the stack's code declares: a measure of the work its plan and apply take. */
function resourceCount(stackDir: string): number {
  const json = JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, unknown>> };
  return Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

export function remoteStateStacks(stackDir: string): string[] {
  const json = JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const sources = Object.values(json.data?.terraform_remote_state ?? {}) as { config?: { key?: string } }[];
  return [...new Set(sources.map((d) => String(d.config?.key ?? "").split("/")[0]).filter(Boolean))];
}

function requireDependencies(runner: Runner, stacks: string[], prefix: string, bucketExists: boolean): void {
  const missing: string[] = [];
  const bootstrapping = stacks.some((s) => !(runner.backend(s) instanceof S3StackBackend));
  if (!bootstrapping && !bucketExists) {
    throw new UsageError(`missing prerequisite: the state bucket does not exist (npm run deploy-infra creates it)`);
  }
  for (const s of stacks) {
    for (const dep of remoteStateStacks(runner.dir(s))) {
      if (stacks.includes(dep) || missing.some((m) => m.startsWith(`${dep} `))) continue;
      if (!runner.manifest.stacks[dep] || !((runner.backend(dep).resourceCount() ?? 0) > 0)) {
        const verb = DEPLOYED_BY[dep.slice(prefix.length + 1)] ?? "its verb";
        missing.push(`${dep} (read by ${s}; npm run ${verb})`);
      }
    }
  }
  if (missing.length) throw new UsageError(`missing prerequisite: not deployed: ${missing.join(", ")}`);
}

/** Every EKS add-on version the stacks pin is one AWS offers for their Kubernetes version (before any change). */
async function requireOfferedAddons(runner: Runner, stacks: string[]): Promise<void> {
  const pins = stacks.flatMap((s) => addonPins(s, runner.dir(s)));
  if (pins.length === 0) return;
  const problems = await unofferedPins(runner.aws, pins);
  if (problems.length) {
    for (const line of problems.slice(1)) process.stderr.write(`stacks: error: ${line}\n`);
    throw new UsageError(problems[0]);
  }
  say(`EKS add-on versions offered by AWS for Kubernetes ${pins[0].kubernetesVersion}: ${pins.map((p) => `${p.name} ${p.version}`).join(", ")}`);
}

function report(verb: string, outcomes: Outcome[]): number {
  process.stderr.write(`\n${"stack".padEnd(34)}result\n`);
  for (const o of outcomes) process.stderr.write(`${o.stack.padEnd(34)}${o.ok ? "" : "FAILED: "}${o.text}\n`);
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length === 0) return 0;
  const first = failed[0];
  const reason = `${first.stack}: ${first.text}`;
  // Under a verb, the verb's own last line carries the reason.
  if (process.env.FACTORY_RESULT_FILE) writeFileSync(process.env.FACTORY_RESULT_FILE, reason);
  else process.stderr.write(`${verb}: FAILED: ${reason}\n`);
  // Stopped by the guard with nothing changed anywhere: like a prerequisite, exit 2.
  const untouched = failed.every((o) => o.blocked || /^(not started|planned, not applied)/.test(o.text)) && !outcomes.some((o) => o.changed);
  return untouched && failed.some((o) => o.blocked) ? EXIT_USAGE : EXIT_FAILED;
}

/**
 * plan: every named stack with state planned side by side (all of them, even after a failure),
 * then the table; the summary line goes to FACTORY_RESULT_FILE in every case (the verb prints it).
 */
async function planVerb(runner: Runner, stacks: string[]): Promise<number> {
  const keys = runner.listBucket();
  if (!keys && stacks.some((s) => runner.backend(s) instanceof S3StackBackend)) {
    // Nothing deployed, or settings that point elsewhere (FACTORY_REGION, FACTORY_STATE_BUCKET): not "in sync".
    throw new UsageError(
      `the state bucket ${runner.stateBucket} does not exist: nothing is deployed with these settings (check FACTORY_REGION and FACTORY_STATE_BUCKET)`,
    );
  }
  const deployed = runner.stacksWithState(stacks, keys ?? new Set());
  const outcomes: PlanOutcome[] = new Array(stacks.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < stacks.length; i = next++) {
      const s = stacks[i];
      outcomes[i] = deployed.has(s)
        ? await runner.plan(s).catch((e: Error): PlanOutcome => ({ stack: s, ok: false, text: e.message }))
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

/**
 * One engine per output directory: a second verb there would synthesize over the first one's
 * stacks and plan over its saved plans (an apply would then run a plan nobody checked). The
 * claim is a file holding the engine's pid, released at exit; a dead holder's claim is taken over.
 */
export function holdOutdir(outdir: string): void {
  mkdirSync(outdir, { recursive: true });
  const file = path.join(outdir, "engine.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      process.on("exit", () => rmSync(file, { force: true }));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = Number(readFileSync(file, "utf8").trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new UsageError(`another verb (pid ${holder}) is working in ${outdir}; wait for it, or give this one its own --outdir`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new UsageError(`could not claim ${outdir} (${file})`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Terraform processes on this machine working in a directory of `stack` (any outdir). */
function terraformProcessesFor(stack: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const exe = path.basename(readlinkSync(`/proc/${entry}/exe`));
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (exe.startsWith("terraform") && path.basename(cwd) === stack) pids.push(Number(entry));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return pids;
}

function unlock(opts: Options, aws: AwsCli, bucket: string): number {
  const stack = opts.stacks[0];
  const backend = new S3StackBackend(aws, bucket, `${stack}/terraform.tfstate`);
  const lock = backend.lock();
  if (!lock) {
    say(`${stack}: no lock at ${backend.lockLocation}: nothing to do`);
    return 0;
  }
  say(`${stack}: lock ${lock.ID}: ${lock.Operation ?? "?"} by ${lock.Who ?? "?"} since ${lock.Created ?? "?"}`);
  const host = (lock.Who ?? "").split("@").pop();
  if (existsSync("/proc/self/cwd")) {
    const pids = terraformProcessesFor(stack);
    if (pids.length) {
      process.stderr.write(
        `unlock: error: Terraform is still running for ${stack} (pid ${pids.join(", ")}): wait for it, or stop it with kill -INT ${pids[0]}\n`,
      );
      return EXIT_FAILED;
    }
  }
  if (host !== os.hostname() && !opts.force) {
    process.stderr.write(
      `unlock: error: the lock was taken on another machine (${lock.Who}); make sure no Terraform runs there for ${stack}, then: npm run unlock -- ${stack} --force\n`,
    );
    return EXIT_FAILED;
  }
  backend.removeLock(lock.ID);
  say(`${stack}: removed lock ${lock.ID}`);
  if (backend.marker()) say(`${stack}: its last apply did not finish; the next deploy adopts what it created`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  const config = loadConfig(process.env);
  handleInterrupts();
  const aws = new AwsCli({ region: config.region, profile: config.awsProfile });
  if (opts.verb === "unlock") return unlock(opts, aws, config.stateBucket);

  holdOutdir(opts.outdir);
  const manifest = synth(opts.outdir);
  const unknown = opts.stacks.filter((s) => !manifest.stacks[s]);
  if (unknown.length) throw new UsageError(`unknown stack ${unknown.join(", ")} (stacks: ${Object.keys(manifest.stacks).join(", ")})`);
  const runner = new Runner(opts, manifest, config.region, config.awsProfile, config.stateBucket);
  if (opts.verb === "plan") return planVerb(runner, opts.stacks);
  // The add-on check's AWS calls run while the bucket is checked (before any change either way).
  const addonCheck = opts.verb === "apply" ? requireOfferedAddons(runner, opts.stacks) : Promise.resolve();
  addonCheck.catch(() => undefined); // awaited below; a lock found first is the error reported
  // A lock anywhere stops the verb before it changes anything (one listing finds them).
  const keys = runner.listBucket();
  const locked = opts.stacks.flatMap((s) => {
    const backend = runner.backend(s);
    if (backend instanceof S3StackBackend && !keys?.has(objectKey(backend.lockLocation))) return [];
    const lock = backend.lock();
    return lock ? [`${s}: ${lockText(s, backend, lock)}`] : [];
  });
  if (locked.length) {
    for (const line of locked.slice(1)) process.stderr.write(`stacks: error: ${line}\n`);
    throw new UsageError(locked[0]);
  }
  // Prompts come one at a time; destroy asks nothing (destroy-all confirmed it).
  const parallel = opts.yes || opts.verb === "destroy" ? PARALLEL : 1;
  const inSet = (list: string[]) => list.filter((s) => opts.stacks.includes(s));
  let outcomes: Outcome[];
  if (opts.verb === "apply") {
    requireDependencies(runner, opts.stacks, config.stackPrefix, keys !== undefined);
    await addonCheck;
    const order = topological(opts.stacks, (s) => inSet(manifest.stacks[s].dependencies));
    // Stacks keep their state in the bucket: none is planned ahead before it exists.
    const deps = {
      reads: (s: string) => inSet(remoteStateStacks(runner.dir(s))),
      after: (s: string) => inSet(manifest.stacks[s].dependencies),
      planAhead: keys !== undefined || runner.bucketReady.promise,
      usableEarly: (s: string) => runner.backend(s) instanceof LocalStackBackend,
      weight: (s: string) => resourceCount(runner.dir(s)),
    };
    outcomes = await scheduleApply(
      order,
      deps,
      parallel,
      (s) => runner.prepare(s),
      (p) => runner.commit(p),
    );
  } else {
    // A stack without a state object has nothing to destroy and holds nobody back (one listing).
    const withState = runner.stacksWithState(opts.stacks, keys);
    const dependents = (s: string) => opts.stacks.filter((d) => withState.has(d) && manifest.stacks[d].dependencies.includes(s));
    const order = topological(opts.stacks, dependents);
    outcomes = await schedule(
      order,
      dependents,
      parallel,
      (s) => (withState.has(s) ? runner.destroy(s) : Promise.resolve({ stack: s, ok: true, text: "not deployed (no state): skipped" })),
      (s) => (withState.has(s) ? resourceCount(runner.dir(s)) : 0),
    );
  }
  const code = report(opts.verb, outcomes);
  if (interruptedBy()) {
    process.stderr.write(`${opts.verb}: interrupted by ${interruptedBy()}: the stacks above say what was left; re-run the verb to finish\n`);
    return EXIT_FAILED;
  }
  return code;
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e: Error) => {
      const usage = e instanceof UsageError || e instanceof ConfigError;
      const message = e instanceof ConfigError ? `error: ${e.message}` : `stacks: error: ${e.message}`;
      // Under a verb, the verb's own last line carries the message.
      if (process.env.FACTORY_RESULT_FILE) writeFileSync(process.env.FACTORY_RESULT_FILE, e.message);
      else process.stderr.write(`${message}\n`);
      if (!usage && process.env.FACTORY_DEBUG === "1") process.stderr.write(`${e.stack}\n`);
      // plan's contract (0 in sync, 3 drifted, 1 otherwise) has no separate usage code.
      process.exitCode = usage && process.argv[2] !== "plan" ? EXIT_USAGE : EXIT_FAILED;
    });
}

export { parseArgs, report, summarize };
