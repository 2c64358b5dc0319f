/**
 * The stacks diagram is generated from the synthesized manifest.json (whether README's copy is
 * current: docs.test.ts), and the values the scripts use (scripts/print-config.ts) match the stacks
 * the app really synthesizes.
 */
import { spawnSync } from "child_process";
import { readFileSync } from "fs";
import * as path from "path";
import { Manifest, deployOrder, renderDiagram, synthManifest } from "../../scripts/diagram";
import { endMarker, replaceBlock, startMarker } from "../../scripts/docs";
import { IMAGES, STACK_SHORT_NAMES } from "../../scripts/print-config";
import { FACTORY_IMAGES } from "../../factory-images";
import { ROOT } from "./harness";

let manifest: Manifest;
beforeAll(() => {
  manifest = synthManifest();
});

test("the scripts know every synthesized stack, by its short name", () => {
  const names = Object.values(manifest.stacks)
    .map((s) => s.name)
    .sort();
  expect(names).toEqual(STACK_SHORT_NAMES.map((s) => `attractor-factory-${s}`).sort());
});

test("the scripts' image list is the ECR stack's (one list, factory-images.ts)", () => {
  expect([...IMAGES]).toEqual(Object.keys(FACTORY_IMAGES));
  expect(IMAGES).toEqual(["factory-api", "factory-web", "factory-runner-controller", "factory-runner"]);
});

test("the one-call deploy order of deploy-all is a valid dependency order", () => {
  const order = deployOrder(manifest);
  for (const s of Object.values(manifest.stacks)) {
    for (const dep of s.dependencies ?? []) expect(order.indexOf(dep)).toBeLessThan(order.indexOf(s.name));
  }
  // destroy-all's order is the reverse of a dependency order too (the state stack is never destroyed)
  const destroy = ["dns", "app", "addons", "eks", "ecr", "cert", "network"].map((s) => `attractor-factory-${s}`);
  for (const s of Object.values(manifest.stacks)) {
    for (const dep of s.dependencies ?? []) {
      if (destroy.includes(dep)) expect(destroy.indexOf(s.name)).toBeLessThan(destroy.indexOf(dep));
    }
  }
});

test("renderDiagram: nodes in dependency order, an arrow from each dependency", () => {
  const small: Manifest = {
    stacks: {
      "p-b": { name: "p-b", dependencies: ["p-a"] },
      "p-a": { name: "p-a" },
    },
  };
  expect(renderDiagram(small)).toBe(["```mermaid", "flowchart TD", '  a["p-a"]', '  b["p-b"]', "  a --> b", "```"].join("\n"));
  const [start, end] = [startMarker("stacks-diagram"), endMarker("stacks-diagram")];
  expect(() => replaceBlock("no markers", "stacks-diagram", "x")).toThrow(/no markers for block "stacks-diagram"/);
  expect(replaceBlock(`a\n${start}\nold\n${end}\nb`, "stacks-diagram", "new")).toBe(`a\n${start}\nnew\n${end}\nb`);
});

describe("print-config", () => {
  const run = (env: Record<string, string>, args: string[] = []) =>
    spawnSync("node", ["--require", "./scripts/ts-register.js", "scripts/print-config.ts", ...args], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH!, ...env },
    });

  test("prints the validated values as JSON; bad input is config/index.ts's one line and exit 2", () => {
    const ok = run({ FACTORY_AWS_PROFILE: "", FACTORY_IMAGE_TAG: "abc" }, ["--json"]);
    expect(ok.status).toBe(0);
    const values = JSON.parse(ok.stdout);
    expect(values).toMatchObject({
      AWS_PROFILE: "",
      IMAGE_TAG: "abc",
      STACK_DNS: "attractor-factory-dns",
      ECR_REGISTRY: "582719176192.dkr.ecr.us-west-2.amazonaws.com",
    });
    const bad = run({ FACTORY_NAMESPACE: "Bad Name" });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/^error: FACTORY_NAMESPACE="Bad Name" is invalid: [^\n]*\n$/);
  });

  test("the documented form of the config script prints JSON only (no npm banner before it)", () => {
    const page = readFileSync(path.join(ROOT, "docs", "configuration.md"), "utf8");
    const form = /`(npm run --silent config -- --json)`/.exec(page)?.[1];
    expect(form).toBe("npm run --silent config -- --json");
    const r = spawnSync("sh", ["-c", form!], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH!, HOME: process.env.HOME!, FACTORY_AWS_PROFILE: "" },
    });
    expect(r.status).toBe(0);
    expect(r.stdout.trimStart().startsWith("{")).toBe(true);
    expect(JSON.parse(r.stdout)).toMatchObject({ STACK_EKS: "attractor-factory-eks" });
  });
});
