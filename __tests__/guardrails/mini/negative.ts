/**
 * The negative tests of a set of rules (mini-platform.test.ts passes them all): for each case of NEGATIVE whose rule is in the set,
 * the mini platform with that one defect, which the rule must report at the right address while no
 * other rule fires.
 */
import { RULES, Rule, SynthesizedStack, Violation, ruleById } from "../../../guardrails";
import { NEGATIVE } from "./defects";
import { synthMini } from "./platform";

/** The ids of the rules that report anything in `stacks`. */
const firing = (stacks: readonly SynthesizedStack[]) => RULES.filter((r) => r.check(stacks).length > 0).map((r) => r.id);

/** Declares the negative tests of the rules in `family` (every rule, or one rules/ module's list). */
export function describeNegatives(family: readonly Rule[]): void {
  // What the compliant platform already trips (nothing, its own test says): a defect adds one rule.
  const compliantFiring = firing(synthMini(undefined).stacks);

  describe.each(NEGATIVE.filter(([ruleId]) => family.some((r) => r.id === ruleId)))("%s fires on %s", (ruleId, defect, role) => {
    const { stacks, at: addresses } = synthMini(defect);
    const violations: Violation[] = ruleById(ruleId).check(stacks);

    test(`reports the defect at its address (${role})`, () => {
      const expected = addresses[role];
      expect(expected.address).not.toBe("");
      expect(violations.map((v) => `${v.stack} ${v.address}`)).toContain(`${expected.stack} ${expected.address}`);
      for (const v of violations) {
        expect(v.rule).toBe(ruleId);
        expect(v.reason).not.toBe("");
      }
    });

    test("and no other rule fires", () => {
      expect(firing(stacks)).toEqual(
        [...new Set([...compliantFiring, ruleId])].sort((a, b) => RULES.findIndex((r) => r.id === a) - RULES.findIndex((r) => r.id === b)),
      );
    });
  });
}
