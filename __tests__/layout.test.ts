/**
 * Tests mirror the source tree: `__tests__/<path>.test.ts` tests `<path>.ts` (or `<path>/index.ts`,
 * or the verb `<path>.sh`, or the test helper `__tests__/<path>.ts`), and a folder named after a
 * source file holds more tests of that file (`__tests__/stacks/app-stack/*.test.ts` test
 * stacks/app-stack.ts). The few tests of many files at
 * once are listed here, each with what it covers.
 */
import { existsSync, readdirSync, statSync } from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

/** Tests that cover many sources at once, by their path under __tests__/. */
const CROSS_CUTTING: Readonly<Record<string, string>> = {
  "props-docs.test.ts": "every construct's and stack's Props",
  "layout.test.ts": "this rule",
  "guardrails/platform.test.ts": "every guardrail over the synthesized platform",
  "guardrails/mini-platform.test.ts": "every guardrail over a small platform with each defect",
  "scripts/aws/deploy.test.ts": "the deploying verbs' prerequisites and calls, side by side",
  "scripts/aws/interrupt.test.ts": "every verb's handling of INT and TERM",
  "scripts/aws/shellcheck.test.ts": "shellcheck over every verb and its library",
  "terraform/validate.test.ts": "terraform validate over every synthesized stack (its own tier)",
};

/** Every *.test.ts under a folder, as a path relative to `base`. */
function testFiles(dir: string, base: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === "e2e" ? [] : testFiles(file, base);
    return name.endsWith(".test.ts") ? [path.relative(base, file)] : [];
  });
}

/** The source a test file mirrors, or undefined. `exists` is relative to the project root. */
export function mirroredSource(test: string, exists: (rel: string) => boolean): string | undefined {
  const rel = test.replace(/\.test\.ts$/, "");
  const candidates = [`${rel}.ts`, `${rel}/index.ts`, `${rel}.sh`, `${rel}.js`, `__tests__/${rel}.ts`];
  const parent = path.dirname(rel);
  if (parent !== ".") candidates.push(`${parent}.ts`, `${parent}.sh`);
  return candidates.find(exists);
}

test("every test file mirrors a source file, or is a listed cross-cutting test", () => {
  const tests = testFiles(path.join(ROOT, "__tests__"), path.join(ROOT, "__tests__"));
  const orphans = tests.filter((t) => !CROSS_CUTTING[t] && !mirroredSource(t, (rel) => existsSync(path.join(ROOT, rel))));
  expect(orphans).toEqual([]);
});

test("every listed cross-cutting test exists (the list does not outlive its tests)", () => {
  const missing = Object.keys(CROSS_CUTTING).filter((t) => !existsSync(path.join(ROOT, "__tests__", t)));
  expect(missing).toEqual([]);
});

test("a test of nothing is found, a test beside its source or in its source's folder is not", () => {
  const files = new Set(["stacks/app-stack.ts", "config/index.ts", "scripts/aws/drift.sh", "__tests__/synth-cache.ts"]);
  const exists = (rel: string) => files.has(rel);
  expect(mirroredSource("stacks/app-stack.test.ts", exists)).toBe("stacks/app-stack.ts");
  expect(mirroredSource("stacks/app-stack/ingress.test.ts", exists)).toBe("stacks/app-stack.ts");
  expect(mirroredSource("config/index.test.ts", exists)).toBe("config/index.ts");
  expect(mirroredSource("scripts/aws/drift.test.ts", exists)).toBe("scripts/aws/drift.sh");
  expect(mirroredSource("synth-cache.test.ts", exists)).toBe("__tests__/synth-cache.ts");
  expect(mirroredSource("stacks/old-name.test.ts", exists)).toBeUndefined();
});
