/**
 * Guardrails: security and reliability invariants of the platform, checked over the synthesized
 * `cdk.tf.json` of every stack (what Terraform would apply), never over the constructs: whatever
 * produced a resource, the rule holds.
 *
 * A rule reads only synthesized JSON. Values that are Terraform references (`${aws_kms_key.x.arn}`,
 * `${data.terraform_remote_state.<input>.outputs.<output>}`) are followed where a rule needs them:
 * within a stack to the resource, and across stacks through the remote state's backend key to the
 * producing stack's output and on to its resource.
 *
 * Documented exceptions are in EXCEPTIONS (one list, a reason each); docs/guardrails.md's "guardrails" block is
 * generated from RULES and EXCEPTIONS (scripts/docs.ts).
 *
 * This module is the index that importers use: RULES in their order, and the helpers tests need.
 * The parts: types.ts (stack, rule, violation, exception), resolve.ts (reading synthesized JSON and
 * following references), rule.ts (defining a rule, exceptions applied), exceptions.ts, and one
 * module per family of rules in rules/.
 */
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { EXCEPTIONS } from "./exceptions";
import { CLUSTER_RULES } from "./rules/cluster";
import { COST_RULES } from "./rules/cost";
import { ECR_RULES } from "./rules/ecr";
import { IAM_RULES } from "./rules/iam";
import { MONITORING_RULES } from "./rules/monitoring";
import { NETWORK_POLICY_RULES } from "./rules/network-policies";
import { NODE_RULES } from "./rules/nodes";
import { SECRET_RULES } from "./rules/secrets";
import { SECURITY_GROUP_RULES } from "./rules/security-groups";
import { STATE_RULES } from "./rules/state";
import { TLS_RULES } from "./rules/tls";
import { WORKLOAD_RULES } from "./rules/workloads";
import type { Rule, SynthesizedStack, TfJson, Violation } from "./types";

export type { Rule, RuleException, SynthesizedStack, TfJson, Violation } from "./types";
export { EXCEPTIONS };

/**
 * Every rule, one family (module of rules/) after the other. The order is docs/guardrails.md's (the generated
 * "guardrails" table) and the order in which failures are listed.
 */
export const RULES: readonly Rule[] = [
  ...SECURITY_GROUP_RULES,
  ...NODE_RULES,
  ...CLUSTER_RULES,
  ...IAM_RULES,
  ...STATE_RULES,
  ...ECR_RULES,
  ...TLS_RULES,
  ...WORKLOAD_RULES,
  ...NETWORK_POLICY_RULES,
  ...SECRET_RULES,
  ...COST_RULES,
  ...MONITORING_RULES,
];

/** Reads every stack of a synthesized app (`<outdir>/stacks/<name>/cdk.tf.json`). */
export function readSynthesized(outdir: string): SynthesizedStack[] {
  const dir = path.join(outdir, "stacks");
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, json: JSON.parse(readFileSync(path.join(dir, name, "cdk.tf.json"), "utf8")) as TfJson }));
}

/** One line per violation, for failure messages. */
export function formatViolations(vs: readonly Violation[]): string {
  return vs.map((v) => `${v.stack}: ${v.address}: [${v.rule}] ${v.reason}`).join("\n");
}

/** The rule with id `id` (throws on a typo). */
export function ruleById(id: string): Rule {
  const r = RULES.find((x) => x.id === id);
  if (!r) throw new Error(`no guardrail rule ${id}`);
  return r;
}
