/**
 * IAM rules: every web-identity (IRSA) trust policy pins one OIDC provider, one service account
 * and the STS audience.
 */
import { isRef, items, many, parseRef } from "../resolve";
import { rule } from "../rule";
import type { Rule, SynthesizedStack } from "../types";

interface TrustStatement {
  readonly actions: string[];
  readonly federated: unknown[];
  readonly conditions: { test: string; variable: string; values: unknown[] }[];
}

/** The statements of a trust policy: an aws_iam_policy_document data source or literal JSON. */
function trustStatements(stack: SynthesizedStack, policy: unknown): TrustStatement[] | undefined {
  const ref = parseRef(stack, policy);
  if (ref?.type === "aws_iam_policy_document" && ref.kind === "data" && ref.body) {
    return many(ref.body.statement).map((s) => ({
      actions: many(s.actions).map(String),
      federated: many(s.principals)
        .filter((p) => p.type === "Federated")
        .flatMap((p) => many(p.identifiers)),
      conditions: many(s.condition).map((c) => ({ test: String(c.test), variable: String(c.variable), values: many(c.values) })),
    }));
  }
  if (typeof policy === "string" && !isRef(policy)) {
    try {
      const doc = JSON.parse(policy);
      return many(doc.Statement).map((s) => ({
        actions: many(s.Action).map(String),
        federated: many(s.Principal?.Federated),
        conditions: Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(([test, vars]) =>
          Object.entries(vars).map(([variable, values]) => ({ test, variable, values: many(values) })),
        ),
      }));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The expression an OIDC issuer is derived from, normalized (scheme and replace() stripped). */
function issuerExpression(s: string): string {
  return s
    .replace(/^\$\{replace\((.*), "https:\/\/", ""\)\}/, "$1")
    .replace(/^\$\{(.*)\}$/, "$1")
    .replace(/^https:\/\//, "")
    .trim();
}

const irsaTrustPinned = rule(
  "irsa-trust-pinned",
  "Every web-identity (IRSA) trust policy names one OIDC provider of the stack and pins, with StringEquals on that provider's issuer, exactly one service account (`sub`) and the `sts.amazonaws.com` audience (`aud`).",
  (stacks, report) => {
    for (const role of items(stacks, ["aws_iam_role"])) {
      const statements = trustStatements(role.stack, role.body.assume_role_policy);
      if (!statements) {
        if (String(role.body.assume_role_policy ?? "").includes("AssumeRoleWithWebIdentity"))
          report.add(role.stack, role.address, "web-identity trust policy cannot be read");
        continue;
      }
      for (const s of statements.filter((st) => st.actions.some((a) => a === "sts:AssumeRoleWithWebIdentity" || a === "sts:*" || a === "*"))) {
        if (s.federated.length !== 1) {
          report.add(role.stack, role.address, `web-identity trust names ${s.federated.length} federated principals, not exactly one OIDC provider`);
          continue;
        }
        const provider = parseRef(role.stack, s.federated[0]);
        let issuer: string | undefined;
        if (provider?.type === "aws_iam_openid_connect_provider" && provider.attr === "arn" && provider.body)
          issuer = issuerExpression(String(provider.body.url));
        else if (typeof s.federated[0] === "string" && /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/.+/.test(s.federated[0]))
          issuer = s.federated[0].replace(/^arn:[^/]*oidc-provider\//, "");
        if (!issuer) {
          report.add(role.stack, role.address, `federated principal ${JSON.stringify(s.federated[0])} is not an aws_iam_openid_connect_provider of the stack`);
          continue;
        }
        const pinned = (claim: "sub" | "aud", valid: (v: string) => boolean) => {
          const conds = s.conditions.filter((c) => c.variable.endsWith(`:${claim}`));
          const ok = conds.some(
            (c) =>
              c.test === "StringEquals" &&
              issuerExpression(c.variable.slice(0, -claim.length - 1)) === issuer &&
              c.values.length === 1 &&
              valid(String(c.values[0])),
          );
          if (!ok)
            report.add(
              role.stack,
              role.address,
              `trust does not pin ${claim} with StringEquals on the provider's issuer to one allowed value (found ${JSON.stringify(conds.map((c) => [c.test, c.values]))})`,
            );
        };
        pinned("sub", (v) => /^system:serviceaccount:[a-z0-9-]+:[a-z0-9.-]+$/.test(v));
        pinned("aud", (v) => v === "sts.amazonaws.com");
      }
    }
  },
);

/** In docs/guardrails.md's order; rules.ts concatenates the families in turn. */
export const IAM_RULES: readonly Rule[] = [irsaTrustPinned];
