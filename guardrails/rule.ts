/**
 * How a rule is defined: an id, a docs line (docs/guardrails.md) and a check that reports through a Report, which
 * drops every violation a documented exception covers (so no rule applies exceptions itself).
 */
import { EXCEPTIONS } from "./exceptions";
import type { Rule, SynthesizedStack, Violation } from "./types";

/** Collects violations of one rule, dropping those an exception covers. */
export class Report {
  readonly violations: Violation[] = [];
  constructor(private readonly rule: string) {}
  add(stack: SynthesizedStack | string, address: string, reason: string, facts?: Record<string, unknown>): void {
    const v: Violation = { stack: typeof stack === "string" ? stack : stack.name, address, rule: this.rule, reason, facts };
    if (!EXCEPTIONS.some((e) => e.rule === this.rule && e.matches(v))) this.violations.push(v);
  }
}

export function rule(id: string, description: string, check: (stacks: readonly SynthesizedStack[], report: Report) => void): Rule {
  return {
    id,
    description,
    check(stacks) {
      const report = new Report(id);
      check(stacks, report);
      return report.violations;
    },
  };
}
