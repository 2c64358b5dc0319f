/**
 * How the verbs' engine (scripts/engine/cli.ts) orders its work: stacks in dependency order, side by
 * side where nothing orders them, stopping after a failure or an interrupt. Kept apart from the
 * Terraform calls so that the order can be tested on its own.
 *
 * Each stack has a state (StackState) that moves only as TRANSITIONS allows. The apply schedule:
 * 1. Every stack starts `pending`. Whenever fewer than `parallel` stacks are planning or running,
 *    the stacks are visited longest chain of work first (a stack's weight plus its heaviest
 *    dependent's chain; ties in the given order) and each that may move on is started.
 * 2. A `pending` stack is planned (`planning`: prepare() runs) once every stack its plan `reads`
 *    is done and either `planAhead` holds or every stack it comes `after` is satisfied. A plan
 *    with nothing to apply, or a failed one, ends the stack at once (`done` or `failed`);
 *    otherwise it is `ready`.
 * 3. A `ready` stack is applied (`running`: commit() runs) once every stack it comes `after` is
 *    satisfied; its outcome makes it `done` or `failed`.
 * 4. A stack is satisfied when it is done. When `planAhead` is a promise (a new account) and it
 *    resolves, `planAhead` holds from then on, and a `usableEarly` stack (the state bucket's)
 *    that has not finished satisfies the stacks after it too. With `planAhead` true (a re-run)
 *    it does not: the guard sees its plan before anything is applied.
 * 5. After a failure, or once interruptedBy() names a signal, nothing new starts; the stacks
 *    planning or running finish.
 * 6. Then each stack still `pending` or `ready` ends the run `skipped` if interrupted ("not
 *    applied (interrupted)"), otherwise `blocked`: "planned, not applied (an earlier stack
 *    failed)" from `ready`, "not started (an earlier stack failed)" from `pending`.
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

/** A stack's place in the schedule; TRANSITIONS names every move it may make. */
export type StackState =
  /** waiting to be planned: for the stacks its plan reads (and, unless planned ahead, those it comes after) */
  | "pending"
  /** prepare() runs (`schedule`'s work runs here) */
  | "planning"
  /** planned with changes, waiting for the stacks it comes after */
  | "ready"
  /** commit() runs */
  | "running"
  /** finished with an ok outcome (applied, or nothing to apply) */
  | "done"
  /** finished with a failed outcome, or its prepare() or commit() threw */
  | "failed"
  /** the run ended, not interrupted, before it was applied (a stack failed, so nothing new started) */
  | "blocked"
  /** the run was interrupted before it was applied: it will not start */
  | "skipped";

export const TRANSITIONS: { readonly [from in StackState]: readonly StackState[] } = {
  pending: ["planning", "blocked", "skipped"],
  planning: ["ready", "done", "failed"],
  ready: ["running", "blocked", "skipped"],
  running: ["done", "failed"],
  done: [],
  failed: [],
  blocked: [],
  skipped: [],
};

/** Thrown for a move TRANSITIONS does not allow: a fault of the scheduler, never a stack's failure. */
export class IllegalTransition extends Error {}

/** `to`, if TRANSITIONS allows the move from `from`. */
export function transition(stack: string, from: StackState, to: StackState): StackState {
  if (!TRANSITIONS[from].includes(to)) throw new IllegalTransition(`internal: ${stack} cannot go from ${from} to ${to}`);
  return to;
}

/**
 * The apply schedule (the steps are in this file's header). A stack is applied once every stack
 * it comes after (`after`) is done, but it is planned as soon as the stacks its plan needs
 * (`reads`) are done: the state bucket's stack, on which every stack depends only for ordering,
 * does not hold a plan back when the bucket is ready (`planAhead`: at once, or from the moment a
 * new account's bucket is versioned), and the bucket's own stack (`usableEarly`) holds no apply
 * back from then on either. So a re-run plans the state, network, ecr and cert stacks side by
 * side, and a new account plans and applies them while the bucket's stack still waits on its
 * lifecycle rules. Stops starting new work after a failure or an interrupt.
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
    /** told of each stack's every move (for tests) */
    onTransition?: (stack: string, from: StackState, to: StackState) => void;
  },
  parallel: number,
  prepare: (s: string) => Promise<Prepared>,
  commit: (p: Prepared) => Promise<Outcome>,
): Promise<Outcome[]> {
  const state = new Map<string, StackState>(stacks.map((s) => [s, "pending"]));
  const move = (s: string, to: StackState) => {
    const from = state.get(s)!;
    state.set(s, transition(s, from, to));
    deps.onTransition?.(s, from, to);
  };
  const outcomes = new Map<string, Outcome>();
  const prepared = new Map<string, Prepared>();
  // The work in flight. A stack keeps its slot until its promise has settled, even once its
  // state has moved on.
  const running = new Map<string, Promise<void>>();
  let ahead = deps.planAhead === true;
  // usableEarly counts only from the moment a new account's bucket became ready in this run: on a
  // re-run the bucket's stack is planned (and checked by the guard) before anything is applied.
  let early = false;
  const aheadSignal = deps.planAhead instanceof Promise ? deps.planAhead.then(() => void (ahead = early = true)) : undefined;
  const ok = (d: string) => state.get(d) === "done";
  const finished = (d: string) => state.get(d) === "done" || state.get(d) === "failed";
  const satisfied = (d: string) => ok(d) || (early && !finished(d) && (deps.usableEarly?.(d) ?? false));
  const stopped = () => interruptedBy() !== undefined || stacks.some((s) => state.get(s) === "failed");
  const finish = (s: string, o: Outcome) => {
    say(`${s}: ${o.ok ? o.text : `FAILED: ${o.text}`}`);
    outcomes.set(s, o);
    move(s, o.ok ? "done" : "failed");
  };
  const start = (s: string, to: "planning" | "running", work: () => Promise<void>) => {
    move(s, to);
    running.set(
      s,
      work()
        .catch((e: Error) => {
          if (e instanceof IllegalTransition) throw e;
          finish(s, { stack: s, ok: false, text: e.message });
        })
        .finally(() => running.delete(s)),
    );
  };
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
  // Applies what is ready and whose predecessors are done; plans what may be planned.
  const next = () => {
    for (const s of byChain) {
      if (stopped() || running.size >= parallel) return;
      if (running.has(s)) continue;
      const now = state.get(s);
      if (now === "ready" && deps.after(s).every(satisfied)) {
        start(s, "running", () => commit(prepared.get(s)!).then((o) => finish(s, o)));
      } else if (now === "pending" && deps.reads(s).every(ok) && (ahead || deps.after(s).every(satisfied))) {
        // A plan that gives the stack's outcome (failed, unchanged, passed over) finishes it at once
        // (its dependents need not wait).
        start(s, "planning", () =>
          prepare(s).then((q) => {
            if (q.done) return finish(s, q.done);
            prepared.set(s, q);
            move(s, "ready");
          }),
        );
      }
    }
  };
  for (;;) {
    next();
    if (running.size === 0) break;
    await Promise.race([...running.values(), ...(aheadSignal && !ahead ? [aheadSignal] : [])]);
  }
  // Nothing runs and nothing more may start: what has not finished never will.
  const interrupted = interruptedBy() !== undefined;
  for (const s of stacks) if (state.get(s) === "pending" || state.get(s) === "ready") move(s, interrupted ? "skipped" : "blocked");
  return stacks.map(
    (s) =>
      outcomes.get(s) ?? {
        stack: s,
        ok: false,
        text:
          state.get(s) === "skipped"
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
