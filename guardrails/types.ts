/**
 * The guardrails' vocabulary: a synthesized stack, a rule, the violation it reports and an
 * exception that excuses one. Types only.
 */
/** A synthesized stack's Terraform JSON, as cdktf writes it (any shape: the rules read it defensively). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TfJson = Record<string, any>;

/** One stack's synthesized configuration. */
export interface SynthesizedStack {
  /** The stack's name (its directory under cdktf.out/stacks). */
  readonly name: string;
  readonly json: TfJson;
}

export interface Violation {
  readonly stack: string;
  /** `<type>.<name>`, `data.<type>.<name>`, `terraform.backend` or `provider.<name>`. */
  readonly address: string;
  readonly rule: string;
  readonly reason: string;
  /** Facts an exception may match on (e.g. the ports of a security group rule). */
  readonly facts?: Readonly<Record<string, unknown>>;
}

export interface Rule {
  /** kebab-case. */
  readonly id: string;
  /** One line, for docs/guardrails.md. */
  readonly description: string;
  check(stacks: readonly SynthesizedStack[]): Violation[];
}

export interface RuleException {
  readonly rule: string;
  /** What is exempted, one line (docs/guardrails.md). */
  readonly what: string;
  /** Why, one line (docs/guardrails.md). */
  readonly reason: string;
  matches(v: Violation): boolean;
}
