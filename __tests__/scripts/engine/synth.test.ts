/** When the engine's synth is skipped (scripts/engine/synth.ts): the key of the code and the settings. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { synthKey } from "../../../scripts/engine/synth";
import { SYNTH_INPUTS } from "../../../scripts/platform-engine";
import { ROOT } from "../harness";

describe("synth reuse", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "synth-key-"));
  writeFileSync(path.join(root, "main.ts"), "app");
  writeFileSync(path.join(root, "versions.yaml"), "a: 1");

  test("the same code and settings give the same key (the synth is skipped)", () => {
    expect(synthKey(SYNTH_INPUTS, { FACTORY_NODE_MIN: "2", PATH: "/x" }, root)).toBe(
      synthKey(SYNTH_INPUTS, { FACTORY_NODE_MIN: "2", PATH: "/y", FACTORY_RESULT_FILE: "/tmp/r" }, root),
    );
  });

  test("a changed setting, an added setting or a changed file gives another key (the synth runs)", () => {
    const before = synthKey(SYNTH_INPUTS, { FACTORY_NODE_MIN: "2" }, root);
    expect(synthKey(SYNTH_INPUTS, { FACTORY_NODE_MIN: "3" }, root)).not.toBe(before);
    expect(synthKey(SYNTH_INPUTS, { FACTORY_NODE_MIN: "2", FACTORY_IMAGE_TAG: "abc" }, root)).not.toBe(before);
    writeFileSync(path.join(root, "versions.yaml"), "a: 2");
    expect(synthKey(SYNTH_INPUTS, { FACTORY_NODE_MIN: "2" }, root)).not.toBe(before);
  });
});

/** The project files main.ts loads, following relative imports and require() calls (TypeScript only). */
function loadedByMain(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(path.join(ROOT, file), "utf8");
    for (const m of source.matchAll(/(?:from |require\()"(\.{1,2}\/[^"]+)"/g)) {
      const target = path.normalize(path.join(path.dirname(file), m[1]));
      const resolved = [`${target}.ts`, path.join(target, "index.ts"), target].find((f) => existsSync(path.join(ROOT, f)) && f.endsWith(".ts"));
      if (resolved) visit(resolved);
    }
  };
  visit("main.ts");
  return [...seen].sort();
}

test("every module the app loads is a synth input (an edit to any of them synthesizes again)", () => {
  const loaded = loadedByMain();
  expect(loaded).toEqual(expect.arrayContaining(["main.ts", "config/index.ts", "lib/cidr.ts", "constructs/vpc-network.ts", "stacks/platform.ts"]));
  const covered = (file: string) => SYNTH_INPUTS.files.some((input) => file === input || file.startsWith(`${input}/`));
  expect(loaded.filter((file) => !covered(file))).toEqual([]);
});

/** The data files the loaded modules read, as `path.join(__dirname, "<segment>", ...)` names them. */
function dataFilesOf(modules: string[]): string[] {
  return modules.flatMap((file) =>
    [...readFileSync(path.join(ROOT, file), "utf8").matchAll(/path\.join\(__dirname((?:,\s*"[^"]+")+)\)/g)].map((m) => {
      const segments = [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
      return path.normalize(path.join(path.dirname(file), ...segments));
    }),
  );
}

test("every data file the app reads (values, policies, pins, alarms, capacity) is a synth input", () => {
  const data = dataFilesOf(loadedByMain());
  expect(data).toEqual(
    expect.arrayContaining([
      "versions.yaml",
      "alarms.yaml",
      "helm-values",
      "node-capacity.yaml",
      "constructs/addons/aws-load-balancer-controller/iam-policy.json",
    ]),
  );
  const covered = (file: string) => SYNTH_INPUTS.files.some((input) => file === input || file.startsWith(`${input}/`));
  expect(data.filter((file) => !covered(file))).toEqual([]);
});
