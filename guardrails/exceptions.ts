/**
 * The documented exceptions to the guardrails: the one list docs/guardrails.md's "guardrails" block renders
 * (scripts/docs.ts), each with the rule it excuses and why.
 */
import type { RuleException } from "./types";

/**
 * The one list of documented exceptions. A violation that one of these matches is not reported.
 * Keep each narrow: it names the rule and matches on the violation's facts, not on a whole resource.
 */
export const EXCEPTIONS: readonly RuleException[] = [
  {
    rule: "sg-no-world-ingress",
    what: "HTTP and HTTPS (ports 80 and 443, TCP) from 0.0.0.0/0 or ::/0 on a load balancer's own security group (one listed in an `aws_lb`'s `security_groups`)",
    reason:
      "an internet-facing ALB must accept the world on its listeners (80 only redirects to 443). The platform's ALB and its group are created by the Load Balancer Controller, outside Terraform, with exactly these rules",
    matches: (v) => v.facts?.loadBalancerGroup === true && v.facts?.protocol === "tcp" && (v.facts?.port === 80 || v.facts?.port === 443),
  },
];
