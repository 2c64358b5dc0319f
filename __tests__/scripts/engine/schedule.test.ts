/**
 * How the verbs' engine orders its work (scripts/engine/schedule.ts): dependency order, stacks side by
 * side, the apply schedule (planned early, applied in order), stopping after a failure, and each
 * stack's states (a test per allowed transition).
 */
import { Outcome, Prepared, schedule, scheduleApply, topological, transition } from "../../../scripts/engine/schedule";
import * as terraformProcess from "../../../scripts/engine/terraform-process";

describe("ordering", () => {
  const deps: Record<string, string[]> = {
    network: [],
    ecr: [],
    cert: [],
    eks: ["network"],
    addons: ["eks", "network"],
    app: ["addons", "eks", "ecr", "cert"],
    dns: ["app", "cert"],
  };

  test("apply order puts every stack after the stacks it reads", async () => {
    const order = topological(["dns", "app", "addons", "eks", "ecr", "cert", "network"], (s) => deps[s]);
    for (const [stack, before] of Object.entries(deps)) for (const d of before) expect(order.indexOf(d)).toBeLessThan(order.indexOf(stack));
  });

  test("destroy order puts every stack before the stacks it reads", async () => {
    const all = Object.keys(deps);
    const dependents = (s: string) => all.filter((d) => deps[d].includes(s));
    const order = topological(all, dependents);
    for (const [stack, before] of Object.entries(deps)) for (const d of before) expect(order.indexOf(d)).toBeGreaterThan(order.indexOf(stack));
  });

  test("a dependency cycle is an error, not a hang", async () => {
    expect(() => topological(["a", "b"], (s) => (s === "a" ? ["b"] : ["a"]))).toThrow(/dependency cycle/);
  });
});

describe("schedule", () => {
  const deps: Record<string, string[]> = { network: [], ecr: [], cert: [], eks: ["network"] };

  test("independent stacks go side by side; eks starts only after network succeeded", async () => {
    const events: string[] = [];
    let running = 0;
    let most = 0;
    const outcomes = await schedule(
      ["network", "ecr", "cert", "eks"],
      (s) => deps[s],
      3,
      async (s) => {
        running++;
        most = Math.max(most, running);
        events.push(`start ${s}`);
        await new Promise((r) => setTimeout(r, s === "network" ? 30 : 5));
        events.push(`end ${s}`);
        running--;
        return { stack: s, ok: true, text: "applied" };
      },
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(most).toBe(3);
    expect(events.indexOf("start eks")).toBeGreaterThan(events.indexOf("end network"));
  });

  test("a failure starts nothing new and names what was not started", async () => {
    const started: string[] = [];
    const outcomes = await schedule(
      ["network", "eks"],
      (s) => deps[s],
      3,
      async (s) => {
        started.push(s);
        return { stack: s, ok: s !== "network", text: s === "network" ? "terraform exit 1" : "applied" };
      },
    );
    expect(started).toEqual(["network"]);
    expect(outcomes).toEqual([
      { stack: "network", ok: false, text: "terraform exit 1" },
      { stack: "eks", ok: false, text: "not started (an earlier stack failed)" },
    ]);
  });

  test("a thrown error is that stack's failure, with its message", async () => {
    const outcomes = await schedule(
      ["ecr"],
      () => [],
      1,
      async () => {
        throw new Error("aws s3api head-object failed (exit 255): could not connect");
      },
    );
    expect(outcomes).toEqual([{ stack: "ecr", ok: false, text: "aws s3api head-object failed (exit 255): could not connect" }]);
  });
});

describe("apply schedule", () => {
  // eks reads network's outputs; every stack comes after state (ordering only).
  const reads: Record<string, string[]> = { state: [], network: [], ecr: [], eks: ["network"] };
  const after: Record<string, string[]> = { state: [], network: ["state"], ecr: ["state"], eks: ["state", "network"] };
  const order = ["state", "network", "ecr", "eks"];

  async function run(planAhead: boolean, changes: Record<string, boolean>, failPlan?: string) {
    const events: string[] = [];
    const outcomes = await scheduleApply(
      order,
      { reads: (s) => reads[s], after: (s) => after[s], planAhead },
      4,
      async (s) => {
        events.push(`plan ${s}`);
        await new Promise((r) => setTimeout(r, s === "state" ? 20 : 5));
        events.push(`planned ${s}`);
        if (s === failPlan) return { stack: s, done: { stack: s, ok: false, text: "terraform plan exit 1" } };
        return changes[s] ? { stack: s, t0: 0 } : { stack: s, done: { stack: s, ok: true, text: "no changes" } };
      },
      async (p) => {
        events.push(`apply ${p.stack}`);
        return { stack: p.stack, ok: true, changed: true, text: "applied" };
      },
    );
    return { events, outcomes };
  }

  test("with the bucket in place, an ordering-only dependency does not hold a plan back: a re-run plans state, network and ecr side by side", async () => {
    const { events } = await run(true, {});
    expect(events.slice(0, 3)).toEqual(["plan state", "plan network", "plan ecr"]);
    expect(events.indexOf("plan eks")).toBeGreaterThan(events.indexOf("planned network"));
  });

  test("a stack is applied only after every stack it comes after is done, and planned only after the stacks it reads", async () => {
    const { events, outcomes } = await run(true, { state: true, network: true, eks: true });
    expect(events.indexOf("apply network")).toBeGreaterThan(events.indexOf("apply state"));
    expect(events.indexOf("plan eks")).toBeGreaterThan(events.indexOf("apply network"));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true]);
  });

  test("without the bucket (a new account) nothing is planned before the state bucket's stack is applied", async () => {
    const { events } = await run(false, { state: true, network: true, ecr: true, eks: true });
    expect(events.indexOf("plan network")).toBeGreaterThan(events.indexOf("apply state"));
    expect(events.indexOf("plan ecr")).toBeGreaterThan(events.indexOf("apply state"));
  });

  test("a new account: the other stacks are planned and applied as soon as the bucket is ready, while its own stack is still being applied", async () => {
    const events: string[] = [];
    let ready = () => {};
    const bucket = new Promise<void>((r) => (ready = r));
    await scheduleApply(
      order,
      { reads: (s) => reads[s], after: (s) => after[s], planAhead: bucket, usableEarly: (s) => s === "state" },
      4,
      async (s) => {
        events.push(`plan ${s}`);
        return { stack: s, t0: 0 };
      },
      async (p) => {
        events.push(`apply ${p.stack}`);
        if (p.stack === "state") {
          await new Promise((r) => setTimeout(r, 5));
          ready();
          await new Promise((r) => setTimeout(r, 30)); // the lifecycle rules' wait
          events.push("applied state");
        }
        return { stack: p.stack, ok: true, changed: true, text: "applied" };
      },
    );
    expect(events.slice(0, 2)).toEqual(["plan state", "apply state"]);
    expect(events.indexOf("plan network")).toBeGreaterThan(events.indexOf("apply state"));
    expect(events.indexOf("apply network")).toBeLessThan(events.indexOf("applied state"));
    expect(events.indexOf("apply eks")).toBeLessThan(events.indexOf("applied state"));
    expect(events.indexOf("plan eks")).toBeGreaterThan(events.indexOf("apply network"));
  });

  test("a re-run (the bucket exists): nothing is applied before the bucket's own stack is planned and done (the guard sees it first)", async () => {
    const events: string[] = [];
    await scheduleApply(
      order,
      { reads: (s) => reads[s], after: (s) => after[s], planAhead: true, usableEarly: (s) => s === "state" },
      4,
      async (s) => {
        events.push(`plan ${s}`);
        if (s === "state") await new Promise((r) => setTimeout(r, 20));
        return { stack: s, t0: 0 };
      },
      async (p) => {
        events.push(`apply ${p.stack}`);
        return { stack: p.stack, ok: true, changed: true, text: "applied" };
      },
    );
    expect(events.indexOf("apply network")).toBeGreaterThan(events.indexOf("apply state"));
    expect(events.indexOf("apply ecr")).toBeGreaterThan(events.indexOf("apply state"));
  });

  test("before the bucket is ready, nothing is planned or applied after its stack", async () => {
    const events: string[] = [];
    await scheduleApply(
      order,
      { reads: (s) => reads[s], after: (s) => after[s], planAhead: new Promise<void>(() => {}), usableEarly: (s) => s === "state" },
      4,
      async (s) => {
        events.push(`plan ${s}`);
        return { stack: s, t0: 0 };
      },
      async (p) => {
        events.push(`apply ${p.stack}`);
        if (p.stack === "state") await new Promise((r) => setTimeout(r, 20));
        events.push(`applied ${p.stack}`);
        return { stack: p.stack, ok: true, changed: true, text: "applied" };
      },
    );
    expect(events.slice(0, 3)).toEqual(["plan state", "apply state", "applied state"]);
  });

  test("a free slot goes to the longest chain of work: eks (the heaviest stack) is planned as soon as network is, before ecr and cert", async () => {
    const weights: Record<string, number> = { state: 7, network: 16, ecr: 8, cert: 3, eks: 25 };
    const stacks = ["state", "network", "ecr", "cert", "eks"];
    const events: string[] = [];
    await scheduleApply(
      stacks,
      {
        reads: (s) => (s === "eks" ? ["network"] : []),
        after: (s) => (s === "state" ? [] : s === "eks" ? ["state", "network"] : ["state"]),
        planAhead: true,
        weight: (s) => weights[s],
      },
      2,
      async (s) => {
        events.push(`plan ${s}`);
        await new Promise((r) => setTimeout(r, s === "state" ? 30 : 5));
        return { stack: s, done: { stack: s, ok: true, text: "no changes" } };
      },
      async () => ({ stack: "?", ok: true, text: "applied" }),
    );
    expect(events.slice(0, 3)).toEqual(["plan state", "plan network", "plan eks"]);
    expect(events.indexOf("plan ecr")).toBeGreaterThan(events.indexOf("plan eks"));
  });

  test("a failed plan stops the run: nothing is applied after it, and the outcome names it", async () => {
    const { events, outcomes } = await run(true, { state: true, network: true, eks: true }, "network");
    expect(events).not.toContain("apply network");
    expect(events).not.toContain("plan eks");
    expect(outcomes.find((o) => o.stack === "network")).toEqual({ stack: "network", ok: false, text: "terraform plan exit 1" });
    expect(outcomes.find((o) => o.stack === "eks")!.ok).toBe(false);
  });
});

describe("stack states", () => {
  type Does = "changes" | "no changes" | "plan fails" | "plan throws" | "apply fails" | "apply throws";
  interface Spec {
    readonly does: Does;
    readonly after?: string[];
    readonly reads?: string[];
    /** how long its plan takes */
    readonly ms?: number;
    /** an interrupt arrives as its last phase ends */
    readonly interrupts?: boolean;
  }

  let signal: NodeJS.Signals | undefined;
  beforeEach(() => {
    signal = undefined;
    jest.spyOn(terraformProcess, "interruptedBy").mockImplementation(() => signal);
  });
  afterEach(() => jest.restoreAllMocks());

  // Runs the stacks (planned ahead, 4 side by side); `moves` has each transition as "stack: from → to", in order.
  async function observe(specs: Record<string, Spec>) {
    const moves: string[] = [];
    const applied: string[] = [];
    const outcomes = await scheduleApply(
      Object.keys(specs),
      {
        reads: (s) => specs[s].reads ?? [],
        after: (s) => specs[s].after ?? [],
        planAhead: true,
        onTransition: (s, from, to) => moves.push(`${s}: ${from} → ${to}`),
      },
      4,
      async (s): Promise<Prepared> => {
        const { does, ms, interrupts } = specs[s];
        if (ms) await new Promise((r) => setTimeout(r, ms));
        if (does === "plan throws") throw new Error("could not connect");
        if (interrupts && does === "no changes") signal = "SIGINT";
        if (does === "plan fails") return { stack: s, done: { stack: s, ok: false, text: "terraform plan exit 1" } };
        if (does === "no changes") return { stack: s, done: { stack: s, ok: true, text: "no changes" } };
        return { stack: s, t0: 0 };
      },
      async (p): Promise<Outcome> => {
        const { does, interrupts } = specs[p.stack];
        applied.push(p.stack);
        if (does === "apply throws") throw new Error("could not connect");
        if (interrupts) signal = "SIGINT";
        return { stack: p.stack, ok: does !== "apply fails", text: does === "apply fails" ? "terraform apply exit 1" : "applied" };
      },
    );
    const outcome = (s: string) => outcomes.find((o) => o.stack === s);
    return { moves, applied, outcome };
  }

  test("pending → planning: a stack is planned once the stacks its plan reads are done", async () => {
    const { moves } = await observe({ network: { does: "no changes", ms: 20 }, eks: { does: "no changes", reads: ["network"] } });
    expect(moves).toContain("eks: pending → planning");
    expect(moves.indexOf("eks: pending → planning")).toBeGreaterThan(moves.indexOf("network: planning → done"));
  });

  test("planning → ready: a plan with changes waits, planned, for the stacks it comes after", async () => {
    const { moves } = await observe({ state: { does: "changes", ms: 20 }, network: { does: "changes", after: ["state"] } });
    expect(moves).toContain("network: planning → ready");
    expect(moves.indexOf("network: planning → ready")).toBeLessThan(moves.indexOf("state: planning → ready"));
  });

  test("planning → done: a plan with nothing to apply finishes the stack, and nothing is applied", async () => {
    const { moves, applied, outcome } = await observe({ ecr: { does: "no changes" } });
    expect(moves).toEqual(["ecr: pending → planning", "ecr: planning → done"]);
    expect(applied).toEqual([]);
    expect(outcome("ecr")).toEqual({ stack: "ecr", ok: true, text: "no changes" });
  });

  test("planning → failed: a failed or thrown plan fails the stack", async () => {
    const { moves, applied, outcome } = await observe({ ecr: { does: "plan fails" }, cert: { does: "plan throws" } });
    expect(moves).toEqual(expect.arrayContaining(["ecr: planning → failed", "cert: planning → failed"]));
    expect(applied).toEqual([]);
    expect(outcome("ecr")).toEqual({ stack: "ecr", ok: false, text: "terraform plan exit 1" });
    expect(outcome("cert")).toEqual({ stack: "cert", ok: false, text: "could not connect" });
  });

  test("ready → running: a planned stack is applied once every stack it comes after is done", async () => {
    const { moves, applied } = await observe({ state: { does: "changes", ms: 20 }, network: { does: "changes", after: ["state"] } });
    expect(moves).toContain("network: ready → running");
    expect(moves.indexOf("network: ready → running")).toBeGreaterThan(moves.indexOf("state: running → done"));
    expect(applied).toEqual(["state", "network"]);
  });

  test("running → done: an applied stack is done with its outcome", async () => {
    const { moves, outcome } = await observe({ ecr: { does: "changes" } });
    expect(moves).toEqual(["ecr: pending → planning", "ecr: planning → ready", "ecr: ready → running", "ecr: running → done"]);
    expect(outcome("ecr")).toEqual({ stack: "ecr", ok: true, text: "applied" });
  });

  test("running → failed: a failed or thrown apply fails the stack", async () => {
    const { moves, outcome } = await observe({ ecr: { does: "apply fails" }, cert: { does: "apply throws" } });
    expect(moves).toEqual(expect.arrayContaining(["ecr: running → failed", "cert: running → failed"]));
    expect(outcome("ecr")).toEqual({ stack: "ecr", ok: false, text: "terraform apply exit 1" });
    expect(outcome("cert")).toEqual({ stack: "cert", ok: false, text: "could not connect" });
  });

  test("pending → blocked: after a failure, a stack not yet planned is never started", async () => {
    const { moves, outcome } = await observe({ network: { does: "plan fails" }, eks: { does: "changes", reads: ["network"], after: ["network"] } });
    expect(moves.filter((m) => m.startsWith("eks:"))).toEqual(["eks: pending → blocked"]);
    expect(outcome("eks")).toEqual({ stack: "eks", ok: false, text: "not started (an earlier stack failed)" });
  });

  test("ready → blocked: after a failure, a planned stack is not applied", async () => {
    const { moves, applied, outcome } = await observe({ state: { does: "apply fails", ms: 20 }, network: { does: "changes", after: ["state"] } });
    expect(moves.filter((m) => m.startsWith("network:"))).toEqual(["network: pending → planning", "network: planning → ready", "network: ready → blocked"]);
    expect(applied).toEqual(["state"]);
    expect(outcome("network")).toEqual({ stack: "network", ok: false, text: "planned, not applied (an earlier stack failed)" });
  });

  test("pending → skipped: once interrupted, a stack not yet planned is never started", async () => {
    const { moves, outcome } = await observe({ network: { does: "no changes", interrupts: true }, eks: { does: "changes", reads: ["network"] } });
    expect(outcome("network")).toEqual({ stack: "network", ok: true, text: "no changes" });
    expect(moves.filter((m) => m.startsWith("eks:"))).toEqual(["eks: pending → skipped"]);
    expect(outcome("eks")).toEqual({ stack: "eks", ok: false, text: "not applied (interrupted)" });
  });

  test("ready → skipped: once interrupted, a planned stack is not applied", async () => {
    const { moves, applied, outcome } = await observe({ state: { does: "changes", ms: 20, interrupts: true }, network: { does: "changes", after: ["state"] } });
    expect(moves.filter((m) => m.startsWith("network:"))).toEqual(["network: pending → planning", "network: planning → ready", "network: ready → skipped"]);
    expect(applied).toEqual(["state"]);
    expect(outcome("network")).toEqual({ stack: "network", ok: false, text: "not applied (interrupted)" });
  });

  test("a move the table does not allow is an internal error", () => {
    expect(transition("ecr", "pending", "planning")).toBe("planning");
    expect(() => transition("ecr", "done", "running")).toThrow("internal: ecr cannot go from done to running");
    expect(() => transition("ecr", "pending", "running")).toThrow(/^internal:/);
  });
});
