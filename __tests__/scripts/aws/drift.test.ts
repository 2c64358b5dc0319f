/**
 * drift and diff: the read-only plan verbs, their exit contract (0 in sync, 2 drifted, 1 anything
 * else, bad usage included) and the engine call; and --allow-replace passed through the verbs that
 * apply. The engine (scripts/platform-engine.ts plan) is a stand-in here; the e2e runs it against the local
 * AWS API.
 */
import * as path from "path";
import { ROOT, callsOf, runScript } from "../harness";
import { STACK_SHORT_NAMES } from "../../../lib/stack-names";

const OUT = path.join(ROOT, "cdktf.out");
const P = "attractor-factory";
const ALL = STACK_SHORT_NAMES.map((s) => `${P}-${s}`).join(" ");
const last = (stderr: string) => stderr.trim().split("\n").pop();

describe("drift", () => {
  test("plans every stack, read-only, in one run of the engine; in sync: exit 0", () => {
    const r = runScript("drift.sh");
    expect(r.status).toBe(0);
    expect(callsOf(r, "engine")).toEqual([`engine plan --outdir ${OUT} ${ALL}`]);
    expect(last(r.stderr)).toMatch(/^==> \[\d\d:\d\d\] drift: in sync/);
  });

  test("drifted (the engine's 3): exit 2, the last line says DRIFTED", () => {
    const r = runScript("drift.sh", { rules: [{ match: "engine plan *", exit: 3 }] });
    expect(r.status).toBe(2);
    expect(last(r.stderr)).toMatch(/^==> \[\d\d:\d\d\] drift: DRIFTED/);
  });

  test("a plan that fails: exit 1, the last line names the step", () => {
    const r = runScript("drift.sh", { rules: [{ match: "engine plan *", exit: 1 }] });
    expect(r.status).toBe(1);
    expect(last(r.stderr)).toMatch(/^drift: FAILED at step "plan every deployed stack \(read-only\)" after \d\d:\d\d \(exit 1\)$/);
  });

  test("the engine's own usage error (2) is not drift: exit 1", () => {
    const r = runScript("drift.sh", { rules: [{ match: "engine plan *", exit: 2 }] });
    expect(r.status).toBe(1);
  });

  test("bad usage and missing prerequisites exit 1, never 2 (which means drifted)", () => {
    expect(runScript("drift.sh", { args: ["--bogus"] }).status).toBe(1);
    expect(runScript("drift.sh", { args: ["--yes"] }).status).toBe(1);
    const missing = runScript("drift.sh", { missing: ["terraform"] });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/drift: missing prerequisite: terraform/);
    expect(callsOf(missing, "engine")).toEqual([]);
  });
});

describe("diff", () => {
  test("shows the whole plan of one stack, by short or full name", () => {
    for (const name of ["eks", `${P}-eks`]) {
      const r = runScript("diff.sh", { args: [name] });
      expect(r.status).toBe(0);
      expect(callsOf(r, "engine")).toEqual([`engine plan --outdir ${OUT} --show ${P}-eks`]);
    }
  });

  test("every stack of the platform can be diffed (the names come from lib/stack-names.ts)", () => {
    for (const short of STACK_SHORT_NAMES) {
      const r = runScript("diff.sh", { args: [short] });
      expect(r.status).toBe(0);
      expect(callsOf(r, "engine")).toEqual([`engine plan --outdir ${OUT} --show ${P}-${short}`]);
    }
  });

  test("changes: exit 2, the last line says CHANGES", () => {
    const r = runScript("diff.sh", { args: ["eks"], rules: [{ match: "engine plan *", exit: 3 }] });
    expect(r.status).toBe(2);
    expect(last(r.stderr)).toMatch(/^==> \[\d\d:\d\d\] diff: CHANGES/);
  });

  test("an unknown stack or no stack: exit 1, nothing planned", () => {
    for (const args of [["nope"], []]) {
      const r = runScript("diff.sh", { args });
      expect(r.status).toBe(1);
      expect(callsOf(r, "engine")).toEqual([]);
    }
    expect(runScript("diff.sh", { args: ["nope"] }).stderr).toContain(`unknown stack nope (${STACK_SHORT_NAMES.join(", ")}, or their full names)`);
  });
});

describe("--allow-replace", () => {
  test("is passed on to the engine by the verbs that apply, once per address", () => {
    const r = runScript("deploy-infra.sh", {
      args: ["--yes", "--allow-replace", "aws_vpc.network_vpc_1", `--allow-replace=${P}-eks:aws_eks_cluster.eks_cluster_2`],
    });
    expect(r.status).toBe(0);
    expect(callsOf(r, "engine")[0]).toBe(
      `engine apply --outdir ${OUT} --yes --allow-replace aws_vpc.network_vpc_1 --allow-replace ${P}-eks:aws_eks_cluster.eks_cluster_2 ${P}-state ${P}-network ${P}-eks ${P}-ecr ${P}-cert ${P}-backup ${P}-monitoring`,
    );
  });

  test("refuses what is not a resource address, before any call", () => {
    const r = runScript("deploy-infra.sh", { args: ["--yes", "--allow-replace", "everything"] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--allow-replace wants a Terraform resource address (as the guard printed it), got 'everything'");
    expect(r.calls).toEqual([]);
  });

  test("is refused by destroy-all (it destroys every stack anyway)", () => {
    const r = runScript("destroy-all.sh", { args: ["--yes", "--allow-replace", "aws_vpc.a"] });
    expect(r.status).toBe(2);
    expect(r.calls).toEqual([]);
  });
});
