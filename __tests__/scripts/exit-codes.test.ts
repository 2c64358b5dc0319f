/** The one exit-code table (scripts/exit-codes.ts) is the engine's and the verbs' own. */
import { readFileSync } from "fs";
import * as path from "path";
import { EXIT_CODES } from "../../scripts/exit-codes";
import { EXIT_DRIFTED, EXIT_FAILED, EXIT_USAGE } from "../../scripts/engine/args";

const ROOT = path.join(__dirname, "..", "..");

test("each code appears once, in order, and every code the engine uses is in the table", () => {
  const codes = EXIT_CODES.map((c) => c.code);
  expect(codes).toEqual([...new Set(codes)].sort());
  expect(codes).toEqual(expect.arrayContaining([0, EXIT_FAILED, EXIT_USAGE, EXIT_DRIFTED]));
});

test("the verbs' shell constants are the engine's (scripts/aws/lib/common.sh)", () => {
  const common = readFileSync(path.join(ROOT, "scripts", "aws", "lib", "common.sh"), "utf8");
  expect(common).toContain(`readonly EXIT_FAILED=${EXIT_FAILED} EXIT_USAGE=${EXIT_USAGE}`);
});

test("the looking verbs' 2 is the engine's drifted (plan_verb_exit turns 3 into 2)", () => {
  const engine = readFileSync(path.join(ROOT, "scripts", "aws", "lib", "engine.sh"), "utf8");
  expect(engine).toContain(`0 | ${EXIT_DRIFTED})`);
  expect(EXIT_CODES.find((c) => c.code === EXIT_USAGE)?.lookingVerbs).toMatch(/drifted/);
});
