/** What a stack's plan waits for in the apply verb (scripts/engine/apply-verb.ts), on the platform as synthesized. */
import { readFileSync } from "fs";
import * as path from "path";
import { planWaitsFor } from "../../../scripts/engine/apply-verb";
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
