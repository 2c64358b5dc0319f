/**
 * How the verbs' engine (scripts/engine/cli.ts) orders its work: stacks in dependency order, side by
 * side where nothing orders them, stopping after a failure or an interrupt. Kept apart from the
 * Terraform calls so that the order can be tested on its own.
 */
import { interruptedBy } from "./terraform-process";

// The verb's clock (bash's SECONDS when it started this runner), so that both print one timeline.
const started = Date.now() - Number(process.env.FACTORY_ELAPSED_BASE ?? 0) * 1000;
export function say(line: string): void {
  const s = Math.floor((Date.now() - started) / 1000);
  process.stderr.write(`    [${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}] ${line}\n`);
}

export interface Outcome {
  readonly stack: string;
  readonly ok: boolean;
  readonly text: string;
  /** stopped by the destructive-plan guard before the stack changed */
  readonly blocked?: boolean;
  /** the stack was changed (applied or destroyed) */
  readonly changed?: boolean;
}

/** A stack planned and ready to apply (or finished already: `done`). */
export interface Prepared {
  readonly stack: string;
  readonly done?: Outcome;
  readonly adoptions?: number;
  readonly t0?: number;
  /** the saved plan as `terraform show -json` gives it (inspected once, by the guard) */
  readonly plan?: unknown;
}

/**
 * Runs `work` for each stack once everything it waits for (`after`) is done, side by side up to
 * `parallel`; stops starting new ones after a failure (destroy's order: one phase per stack).
 */
export function schedule(
  stacks: string[],
  after: (s: string) => string[],
  parallel: number,
  work: (s: string) => Promise<Outcome>,
  weight?: (s: string) => number,
): Promise<Outcome[]> {
  const never = (): Promise<Outcome> => Promise.reject(new Error("internal: every stack is done after its one phase"));
  return scheduleApply(stacks, { reads: after, after, planAhead: false, weight }, parallel, async (s) => ({ stack: s, done: await work(s) }), never);
}

/**
 * The apply schedule. A stack is applied once every stack it comes after (`after`) is done, but
 * it is planned as soon as the stacks its plan needs (`reads`) are done: the state bucket's stack,
 * on which every stack depends only for ordering, does not hold a plan back when
 * the bucket is ready (`planAhead`: at once, or from the moment a new account's bucket is versioned),
 * and the bucket's own stack (`usableEarly`) holds no apply back from then on either. So a re-run
 * plans the state, network, ecr and cert stacks side by side, and a new account plans and applies
 * them while the bucket's stack still waits on its lifecycle rules. Stops starting new work after
 * a failure or an interrupt.
 */
export async function scheduleApply(
  stacks: string[],
  deps: {
    reads: (s: string) => string[];
    after: (s: string) => string[];
    /** true, or a promise of the moment from which it is true (a new account: once the bucket is ready) */
    planAhead: boolean | Promise<void>;
    /** a stack whose dependents go on once `planAhead` holds, before it is done (the state bucket's stack) */
    usableEarly?: (s: string) => boolean;
    weight?: (s: string) => number;
  },
  parallel: number,
  prepare: (s: string) => Promise<Prepared>,
  commit: (p: Prepared) => Promise<Outcome>,
): Promise<Outcome[]> {
  const done = new Map<string, Outcome>();
  const prepared = new Map<string, Prepared>();
  const running = new Map<string, Promise<void>>();
  let stop = false;
  let ahead = deps.planAhead === true;
  // usableEarly counts only from the moment a new account's bucket became ready in this run: on a
  // re-run the bucket's stack is planned (and checked by the guard) before anything is applied.
  let early = false;
  const aheadSignal = deps.planAhead instanceof Promise ? deps.planAhead.then(() => void (ahead = early = true)) : undefined;
  const ok = (d: string) => done.get(d)?.ok === true;
  const satisfied = (d: string) => ok(d) || (early && !done.has(d) && (deps.usableEarly?.(d) ?? false));
  const finish = (s: string, o: Outcome) => {
    done.set(s, o);
    say(`${s}: ${o.ok ? o.text : `FAILED: ${o.text}`}`);
    if (!o.ok) stop = true;
  };
  const start = (s: string, work: Promise<void>) =>
    running.set(
      s,
      work.catch((e: Error) => finish(s, { stack: s, ok: false, text: e.message })).finally(() => running.delete(s)),
    );
  // The longest chain of work first (a stack's weight plus its heaviest dependent's chain): on a
  // small machine a free slot goes to the eks stack's predecessors before the stacks nothing
  // waits for. Ties keep the given (dependency) order.
  const chain = new Map<string, number>();
  const chainOf = (s: string): number => {
    if (!chain.has(s)) {
      const dependents = stacks.filter((d) => d !== s && (deps.after(d).includes(s) || deps.reads(d).includes(s)));
      chain.set(s, (deps.weight?.(s) ?? 1) + Math.max(0, ...dependents.map(chainOf)));
    }
    return chain.get(s)!;
  };
  const byChain = stacks
    .map((s, i) => ({ s, i }))
    .sort((a, b) => chainOf(b.s) - chainOf(a.s) || a.i - b.i)
    .map((x) => x.s);
  // Applies what is planned and whose predecessors are done; plans what may be planned.
  const next = () => {
    for (const s of byChain) {
      if (stop || interruptedBy() || running.size >= parallel) return;
      if (done.has(s) || running.has(s)) continue;
      const p = prepared.get(s);
      if (p) {
        if (deps.after(s).every(satisfied))
          start(
            s,
            commit(p).then((o) => finish(s, o)),
          );
      } else if (deps.reads(s).every(ok) && (ahead || deps.after(s).every(satisfied))) {
        // A failed, skipped or unchanged stack is done at once (its dependents need not wait).
        start(
          s,
          prepare(s).then((q) => (q.done ? finish(s, q.done) : void prepared.set(s, q))),
        );
      }
    }
  };
  for (;;) {
    next();
    if (running.size === 0) break;
    await Promise.race([...running.values(), ...(aheadSignal && !ahead ? [aheadSignal] : [])]);
  }
  return stacks.map(
    (s) =>
      done.get(s) ?? {
        stack: s,
        ok: false,
        text: interruptedBy()
          ? "not applied (interrupted)"
          : prepared.has(s)
            ? "planned, not applied (an earlier stack failed)"
            : "not started (an earlier stack failed)",
      },
  );
}

/** The stacks in an order where each comes after what `before` names for it. */
export function topological(stacks: string[], before: (s: string) => string[]): string[] {
  const out: string[] = [];
  const visit = (s: string, seen: Set<string>) => {
    if (out.includes(s)) return;
    if (seen.has(s)) throw new Error(`dependency cycle at ${s}`);
    seen.add(s);
    for (const d of before(s)) visit(d, seen);
    out.push(s);
  };
  for (const s of stacks) visit(s, new Set());
  return out;
}
