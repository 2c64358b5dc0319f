/**
 * The mini platform the negative tests break (mini/platform.ts): compliant as built, with a
 * cross-stack reference for the rules to follow; every rule has a negative test (mini/defects.ts),
 * and each of them runs here (one file: the mini platform's synthesis is shared, not repeated per family).
 */
import { EXCEPTIONS, RULES, formatViolations } from "../../guardrails";
import { NEGATIVE } from "./mini/defects";
import { synthMini } from "./mini/platform";
import { describeNegatives } from "./mini/negative";

describe("the compliant mini platform", () => {
  const { stacks } = synthMini(undefined);
  test("passes every rule (so each negative test below differs from it by its one defect)", () => {
    expect(formatViolations(RULES.flatMap((r) => r.check(stacks)))).toBe("");
  });
  test("has a cross-stack reference the rules follow (nodes' subnet, the controller's VPC id)", () => {
    const eks = stacks.find((s) => s.name === "mini-eks")!;
    expect(JSON.stringify(eks.json.resource.aws_eks_node_group)).toContain("data.terraform_remote_state.");
  });
});

test("every rule has a negative test, every exception names a rule", () => {
  const tested = new Set(NEGATIVE.map(([r]) => r));
  expect(RULES.map((r) => r.id).filter((id) => !tested.has(id))).toEqual([]);
  for (const e of EXCEPTIONS) expect(RULES.map((r) => r.id)).toContain(e.rule);
  for (const r of RULES) expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
});

describeNegatives(RULES);
