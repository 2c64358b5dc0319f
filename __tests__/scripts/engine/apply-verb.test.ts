/** What a stack's plan waits for in the apply verb (scripts/engine/apply-verb.ts), on the platform as synthesized. */
import { readFileSync } from "fs";
import * as path from "path";
import { bootstrapVerbOf, planWaitsFor } from "../../../scripts/engine/apply-verb";
import type { Runner } from "../../../scripts/engine/stack-runner";
import { DEPLOYED_BY } from "../../../lib/stack-names";
import { remoteStateStacks } from "../../../scripts/engine/synthesized-stack";
import { synthPlatform } from "../../helpers";

const P = "attractor-factory";
const { outdir } = synthPlatform();
const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
  stacks: Record<string, { workingDirectory: string; dependencies: string[] }>;
};
const waitsFor = (short: string) => {
  const stack = `${P}-${short}`;
  const reads = remoteStateStacks(path.join(outdir, manifest.stacks[stack].workingDirectory));
  return planWaitsFor(reads, manifest.stacks[stack].dependencies, (s) => s === `${P}-state`).sort();
};

test("dns is planned only once app is applied: it looks up the load balancer the app's ingress makes (a first deploy-all)", () => {
  expect(waitsFor("dns")).toContain(`${P}-app`);
});

test("a stack's plan waits for the stacks whose outputs it reads", () => {
  expect(waitsFor("eks")).toEqual([`${P}-network`]);
});

test("no plan waits for the state bucket's stack (the bucket is usable before it is done)", () => {
  for (const short of ["network", "ecr", "cert", "backup", "eks"]) expect(waitsFor(short)).not.toContain(`${P}-state`);
  expect(waitsFor("network")).toEqual([]);
});

describe("the verb named when the state bucket is missing comes from the platform (the engine knows no verb)", () => {
  const runner = (bootstrap: string | undefined) => ({ manifest, isBootstrap: (s: string) => s === bootstrap }) as unknown as Runner;

  test("the bucket's stack's verb, without its note: deploy-infra", () => {
    expect(DEPLOYED_BY.state).toBe("deploy-infra (bootstrap)");
    expect(bootstrapVerbOf(runner(`${P}-state`), P, DEPLOYED_BY)).toBe("deploy-infra");
  });

  test("another platform's table names another verb", () => {
    expect(bootstrapVerbOf(runner(`${P}-state`), P, { ...DEPLOYED_BY, state: "make-bucket" })).toBe("make-bucket");
  });

  test("no stack makes the bucket: said so, not a blank", () => {
    expect(bootstrapVerbOf(runner(undefined), P, DEPLOYED_BY)).toBe("the verb that deploys the state bucket's stack");
  });
});
