/**
 * The engine's apply verb (scripts/engine/cli.ts apply): the checks made before any change (what the
 * stacks read is deployed, the platform's own checks), then each stack planned (adopting
 * what an interrupted apply left), judged by the destructive-plan guard, approved unless --yes,
 * applied from that plan and verified, in dependency order (schedule.ts).
 */
import { readSync, rmSync } from "fs";
import * as path from "path";
import { Adoption, AdoptionError, findAdoptions, health, Health, IMPORTS_FILE, Plan, ResourceChange, writeImports } from "./adopt";
import { AwsCliError } from "../lib/aws-cli";
import { UsageError } from "./args";
import { deletes, guardPlan, violationLines } from "./plan-guard";
import { changeLines, pastTense, plannedChanges, summarize } from "./plan-text";
import { fullPlan } from "./plan-verb";
import { Outcome, Prepared, say, scheduleApply, topological } from "./schedule";
import { chooseBootstrapBackend, localStateFile, moveIntoBucket } from "./bootstrap-state";
import { LocalStackBackend, S3StackBackend, StackBackend, taintedObjects } from "./stack-backend";
import { errorLines, jsonErrorLines, lockText, needsInit, PARALLEL, Runner, seconds } from "./stack-runner";
import { countDeclaredResources, remoteStateStacks } from "./synthesized-stack";
import { describeEnd, interruptedBy } from "./terraform-process";

/** How long an object an interrupted apply left being created is waited for (EKS clusters take ~10 min). */
const SETTLE_MINUTES = 30;

/**
 * The stacks whose apply a stack's plan waits for: those whose outputs it reads (remote state), and
 * its other dependencies except the state bucket's stack (`isBootstrap`; the bucket is usable
 * before that stack is done). A dependency without a read is there because the dependent's plan
 * sees its effects: dns looks up the load balancer the app's ingress makes, and cannot be planned
 * before the app is applied on a first deploy.
 */
export function planWaitsFor(reads: readonly string[], dependencies: readonly string[], isBootstrap: (stack: string) => boolean): string[] {
  return [...new Set([...reads, ...dependencies.filter((d) => !isBootstrap(d))])];
}

/**
 * Every stack the named ones read is deployed (and the state bucket exists, unless the bootstrap
 * stack is among them): else the verb stops before any change, naming the verb that deploys each.
 * `deployedBy`: that verb by the stack's short name; `bootstrapVerb`: the one that makes the bucket.
 */
function requireDependencies(
  runner: Runner,
  stacks: string[],
  prefix: string,
  bucketExists: boolean,
  deployedBy: Readonly<Record<string, string>>,
  bootstrapVerb: string,
): void {
  const missing: string[] = [];
  const bootstrapping = stacks.some((s) => runner.isBootstrap(s));
  if (!bootstrapping && !bucketExists) {
    throw new UsageError(`missing prerequisite: the state bucket does not exist (npm run ${bootstrapVerb} creates it)`);
  }
  for (const s of stacks) {
    for (const dep of remoteStateStacks(runner.dir(s))) {
      if (stacks.includes(dep) || missing.some((m) => m.startsWith(`${dep} `))) continue;
      if (!runner.manifest.stacks[dep] || !((runner.backend(dep).countStateResources() ?? 0) > 0)) {
        const verb = deployedBy[dep.slice(prefix.length + 1)] ?? "its verb";
        missing.push(`${dep} (read by ${s}; npm run ${verb})`);
      }
    }
  }
  if (missing.length) throw new UsageError(`missing prerequisite: not deployed: ${missing.join(", ")}`);
}

/**
 * The named stacks (runner.opts.stacks) applied in dependency order. `keys`: the state bucket's
 * listing (undefined: no bucket yet); `beforeApply`: the platform's checks, started by the caller
 * while it checked the bucket, awaited here before any change.
 */
export async function applyVerb(
  runner: Runner,
  keys: ReadonlySet<string> | undefined,
  beforeApply: Promise<void>,
  stackPrefix: string,
  deployedBy: Readonly<Record<string, string>>,
): Promise<Outcome[]> {
  const { opts, manifest } = runner;
  const bootstrapVerb = bootstrapVerbOf(runner, stackPrefix, deployedBy);
  requireDependencies(runner, opts.stacks, stackPrefix, keys !== undefined, deployedBy, bootstrapVerb);
  await beforeApply;
  // Prompts come one at a time: side by side only with --yes.
  const parallel = opts.yes ? PARALLEL : 1;
  const inSet = (list: string[]) => list.filter((s) => opts.stacks.includes(s));
  const order = topological(opts.stacks, (s) => inSet(manifest.stacks[s].dependencies));
  const apply = new StackApply(runner, bootstrapVerb);
  const isBootstrap = (s: string) => runner.isBootstrap(s);
  // Stacks keep their state in the bucket: none is planned ahead before it exists.
  const deps = {
    reads: (s: string) => inSet(planWaitsFor(remoteStateStacks(runner.dir(s)), manifest.stacks[s].dependencies, isBootstrap)),
    after: (s: string) => inSet(manifest.stacks[s].dependencies),
    planAhead: keys !== undefined || apply.bucketReady.promise,
    usableEarly: isBootstrap,
    weight: (s: string) => countDeclaredResources(runner.dir(s)),
  };
  return scheduleApply(
    order,
    deps,
    parallel,
    (s) => apply.prepare(s),
    (p) => apply.commit(p),
  );
}

/** The verb that deploys the stack making the state bucket, without its note ("deploy-infra (bootstrap)" → "deploy-infra"). */
export function bootstrapVerbOf(runner: Runner, prefix: string, deployedBy: Readonly<Record<string, string>>): string {
  const stack = Object.keys(runner.manifest.stacks).find((s) => runner.isBootstrap(s));
  const verb = stack === undefined ? undefined : deployedBy[stack.slice(prefix.length + 1)];
  return verb?.replace(/ \(.*\)$/, "") ?? "the verb that deploys the state bucket's stack";
}

/** One apply verb's work on its stacks: each stack prepared (planned), then committed (applied). */
class StackApply {
  /** Resolved once the state bucket is ready for state (a new account: when the bootstrap stack's apply has versioned it). */
  readonly bucketReady = deferred();
  private approvals: Promise<void> = Promise.resolve();
  /** Bootstrap stacks whose apply with a local state file was cut off: what it created is adopted. */
  private readonly cutOffBootstraps = new Set<string>();

  constructor(
    private readonly runner: Runner,
    /** The verb that makes the state bucket (named when its state is elsewhere). */
    private readonly bootstrapVerb: string,
  ) {}

  private async approve(stack: string, summary: string): Promise<boolean> {
    const shown = await this.runner.tf(stack, ["show", "-no-color", "tfplan"]);
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

  /** Once the bootstrap's state is whole in the bucket, the marker of its cut-off local apply goes. */
  private clearBootstrapMarker(stack: string): void {
    if (this.cutOffBootstraps.delete(stack)) new LocalStackBackend(localStateFile(this.runner.opts.outdir, stack)).clearMarker();
  }

  /** Untaints each object that AWS reports whole (waiting while it is still being created); a reason to stop otherwise. */
  private async untaintWhole(stack: string, tainted: ResourceChange[]): Promise<string | undefined> {
    for (const rc of tainted) {
      const settled = await this.settle(stack, rc);
      if (settled.health !== "healthy") {
        return `${rc.address} is tainted by the interrupted apply and AWS reports it ${settled.status ?? "unhealthy"}: nothing applied, so that it is not replaced; inspect it, then delete it in AWS and re-run, or import a healthy one`;
      }
      const r = await this.runner.tf(stack, ["untaint", "-no-color", "-lock-timeout=0s", rc.address], false);
      if (r.status !== 0) return `terraform untaint ${rc.address} ${describeEnd(r)}: ${errorLines(r.output)}`;
      say(`${stack}: untainted ${rc.address}: the interrupted apply had created it and AWS reports it whole`);
    }
    return undefined;
  }

  /** An object still being created (e.g. an EKS cluster after a Ctrl-C) is waited for, up to SETTLE_MINUTES. */
  private async settle(stack: string, rc: ResourceChange): Promise<{ health: Health; status?: string }> {
    const deadline = Date.now() + SETTLE_MINUTES * 60_000;
    for (;;) {
      const h = await health(rc, this.runner.aws);
      if (h.health !== "pending" || Date.now() > deadline || interruptedBy()) return h;
      say(`${stack}: ${rc.address} is ${h.status}: waiting for AWS to finish creating it`);
      await new Promise((r) => setTimeout(r, 15_000));
    }
  }

  /** Everything before the apply: checks, init, plan (with adoption after an interrupted apply). Changes nothing but taints. */
  async prepare(stack: string): Promise<Prepared> {
    const runner = this.runner;
    const t0 = Date.now();
    const backend = runner.backend(stack);
    const fail = (text: string): Prepared => ({ stack, done: { stack, ok: false, text } });
    if (runner.isBootstrap(stack)) {
      const { problem, cutOff } = await chooseBootstrapBackend(runner, stack);
      if (problem) return fail(problem);
      if (cutOff) this.cutOffBootstraps.add(stack);
      const chosen = runner.backend(stack);
      if (chosen instanceof S3StackBackend && chosen.countStateResources() === undefined) {
        // The bucket exists and holds no state of the stack that made it, and no local file is
        // here: applied, it would try to create the bucket again.
        const file = localStateFile(runner.opts.outdir, stack);
        return fail(
          `the state bucket exists but ${chosen.location} does not, and ${file} is not here: the state is in a local file of the checkout that made the bucket (an earlier release kept it there: run ${this.bootstrapVerb} there once, which moves it into the bucket), or it was lost (import the bucket and its settings into this stack)`,
        );
      }
      return this.plan(stack, t0, chosen);
    }
    return this.plan(stack, t0, backend);
  }

  /** The lock check, init and plan of prepare(), on the backend chosen. */
  private async plan(stack: string, t0: number, backend: StackBackend): Promise<Prepared> {
    const runner = this.runner;
    const fail = (text: string): Prepared => ({ stack, done: { stack, ok: false, text } });
    const lock = runner.mayExist(backend.lockLocation) ? backend.lock() : undefined;
    if (lock) return fail(lockText(stack, backend, lock));
    // Import blocks of an earlier run that did not finish would be stale: adoption writes them anew.
    rmSync(path.join(runner.dir(stack), IMPORTS_FILE), { force: true });
    // An initialized directory is planned at once; if Terraform asks for init (backend or
    // providers changed), init runs and the plan is made again.
    if (!runner.isInitialized(stack)) {
      const initError = await runner.init(stack);
      if (initError) return fail(initError);
    }

    const marker = backend instanceof S3StackBackend && runner.mayExist(backend.markerLocation) ? backend.marker() : undefined;
    const adopting = runner.opts.adopt || marker !== undefined || this.cutOffBootstraps.has(stack);
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
      let plan = await runner.tf(stack, planArgs, false);
      if (needsInit(plan)) {
        const initError = await runner.init(stack);
        if (initError) return fail(initError);
        plan = await runner.tf(stack, planArgs, false);
      }
      planStatus = plan.status;
      if (interruptedBy()) return fail(`interrupted (${interruptedBy()}) while planning; nothing was applied`);
      if (plan.status !== 0 && plan.status !== 2) return fail(`terraform plan ${describeEnd(plan)}: ${jsonErrorLines(plan.output)}`);
      streamed = plannedChanges(plan.stdout);
      if (!adopting || plan.status === 0 || pass > 4) break;
      const json = (shown = await runner.planJson(stack));
      let found: Adoption[];
      try {
        found = (await findAdoptions(json, runner.aws, stack)).filter((a) => !adoptions.some((b) => b.address === a.address));
      } catch (e) {
        if (e instanceof AdoptionError || e instanceof AwsCliError) return fail(`adoption: ${e.message}`);
        throw e;
      }
      for (const a of found) say(`${stack}: adopting ${a.address} = ${a.id} (created by the interrupted apply, not in state)`);
      if (found.length === 0) break;
      adoptions.push(...found);
      if (found.length) writeImports(runner.dir(stack), adoptions);
    }
    if (planStatus === 0) {
      if (marker) backend.clearMarker();
      this.clearBootstrapMarker(stack);
      return { stack, done: { stack, ok: true, text: "no changes" } };
    }
    const plan = shown ?? (adopting || !streamed || streamed.resource_changes!.some(deletes) ? await runner.planJson(stack) : streamed);
    const stop = this.guard(stack, plan);
    if (stop) return { stack, done: stop };
    return { stack, adoptions: adoptions.length, t0, plan };
  }

  /**
   * The destructive-plan guard: an outcome that stops the stack when its plan destroys or replaces
   * a protected resource that --allow-replace does not name (one line per resource on stderr).
   */
  private guard(stack: string, plan: Plan): Outcome | undefined {
    const { blocked: stop, allowed } = guardPlan(plan, stack, this.runner.opts.allowReplace);
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
    const runner = this.runner;
    const stack = p.stack;
    const backend = runner.backend(stack);
    const fail = (text: string): Outcome => ({ stack, ok: false, text });
    let json = (p.plan as Plan | undefined) ?? (await runner.planJson(stack));
    // A streamed plan has no values: the full one when the platform's note needs them (its cost).
    if (!json.planned_values && runner.planNote.wantsValues(json)) json = await fullPlan(runner, stack, json);
    const cost = runner.planNote.text(stack, json, runner.opts.outdir, runner.manifest);
    const summary = `${summarize(json)}${cost ? `; ${cost}` : ""}`;
    for (const line of changeLines(json)) say(`${stack}: ${line}`);
    if (!runner.opts.yes) {
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
    backend.setMarker();
    // The bootstrap stack's apply says when the state bucket is versioned (so that every state
    // written to it is kept): the other stacks may plan and apply from then on, while this one
    // still waits (about a minute) for AWS to report its lifecycle rules.
    const versioned = new RegExp(`^aws_s3_bucket_versioning\\.[^:]+: Creation complete after \\S+ \\[id=${runner.stateBucket.replace(/[.]/g, "\\.")}\\]`);
    const onLine = backend instanceof LocalStackBackend ? (line: string) => versioned.test(line) && this.bucketReady.resolve() : undefined;
    const r = await runner.tf(stack, ["apply", "-input=false", "-no-color", "-lock-timeout=0s", "tfplan"], true, onLine);
    const problem = runner.verify(stack, backend, r, "present");
    if (problem) return fail(problem);
    if (backend instanceof LocalStackBackend) {
      // The bucket this apply made now holds the bootstrap's state too.
      const moveProblem = await moveIntoBucket(runner, stack, backend.location);
      if (moveProblem) return fail(`applied, but its state is not in the bucket yet: ${moveProblem}`);
    }
    backend.clearMarker();
    this.clearBootstrapMarker(stack);
    rmSync(path.join(runner.dir(stack), IMPORTS_FILE), { force: true });
    return {
      stack,
      ok: true,
      changed: true,
      text: `applied: ${pastTense(summarize(json))}${p.adoptions ? `, ${p.adoptions} adopted` : ""} in ${seconds(p.t0!)}${cost ? `; ${cost}` : ""}`,
    };
  }
}

/** A promise with its resolve function, for a moment another part of the run signals. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
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
