/**
 * Security group rules: no ingress from the whole internet, but on a load balancer's own group.
 * The ingress rules of every kind of security group resource are read here, for node-no-ssh too.
 */
import { Item, items, many, parseRef } from "../resolve";
import { rule } from "../rule";
import type { Rule, SynthesizedStack } from "../types";

const WORLD = ["0.0.0.0/0", "::/0"];

interface Ingress {
  readonly item: Item;
  /** Address of the security group the rule belongs to, when known. */
  readonly group: string | undefined;
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  readonly cidrs: string[];
}

function protocolName(p: unknown): string {
  const s = String(p ?? "").toLowerCase();
  return s === "6" ? "tcp" : s === "17" ? "udp" : s === "all" || s === "-1" ? "-1" : s;
}

/** Every ingress rule of every kind of security group resource. */
export function ingresses(stacks: readonly SynthesizedStack[]): Ingress[] {
  const out: Ingress[] = [];
  const ports = (p: string, from: unknown, to: unknown): [number, number] => (p === "-1" ? [0, 65535] : [Number(from ?? 0), Number(to ?? from ?? 65535)]);
  for (const item of items(stacks, ["aws_security_group", "aws_default_security_group"])) {
    for (const rule of many(item.body.ingress)) {
      const protocol = protocolName(rule.protocol);
      const [from, to] = ports(protocol, rule.from_port, rule.to_port);
      out.push({ item, group: item.address, protocol, from, to, cidrs: [...many(rule.cidr_blocks), ...many(rule.ipv6_cidr_blocks)].map(String) });
    }
  }
  // A rule resource of its own: the group it belongs to is a reference.
  const ruleOfGroup = (item: Item, rawProtocol: unknown, cidrs: unknown[]) => {
    const protocol = protocolName(rawProtocol);
    const [from, to] = ports(protocol, item.body.from_port, item.body.to_port);
    out.push({ item, group: parseRef(item.stack, item.body.security_group_id)?.address, protocol, from, to, cidrs: cidrs.map(String) });
  };
  for (const item of items(stacks, ["aws_security_group_rule"])) {
    if (item.body.type === "ingress") ruleOfGroup(item, item.body.protocol, [...many(item.body.cidr_blocks), ...many(item.body.ipv6_cidr_blocks)]);
  }
  for (const item of items(stacks, ["aws_vpc_security_group_ingress_rule"])) {
    ruleOfGroup(
      item,
      item.body.ip_protocol,
      [item.body.cidr_ipv4, item.body.cidr_ipv6].filter((c) => c !== undefined),
    );
  }
  return out;
}

/** Security groups (addresses) that a load balancer of the same stack uses. */
function loadBalancerGroups(stack: SynthesizedStack): Set<string> {
  const groups = new Set<string>();
  for (const lb of items([stack], ["aws_lb", "aws_alb"])) {
    for (const sg of many(lb.body.security_groups)) {
      const ref = parseRef(stack, sg);
      if (ref) groups.add(ref.address);
    }
  }
  return groups;
}

const sgNoWorldIngress = rule(
  "sg-no-world-ingress",
  "No security group ingress from 0.0.0.0/0 or ::/0 (egress may go anywhere); the only exception is HTTP/HTTPS on a load balancer's own group.",
  (stacks, report) => {
    for (const i of ingresses(stacks)) {
      const world = i.cidrs.filter((c) => WORLD.includes(c));
      if (world.length === 0) continue;
      const single = i.from === i.to && i.protocol === "tcp";
      report.add(
        i.item.stack,
        i.item.address,
        `ingress from ${world.join(", ")} on ${i.protocol === "-1" ? "all protocols" : `${i.protocol} ${i.from}-${i.to}`}`,
        {
          loadBalancerGroup: i.group !== undefined && loadBalancerGroups(i.item.stack).has(i.group),
          protocol: i.protocol,
          port: single ? i.from : undefined,
        },
      );
    }
  },
);

/** In docs/guardrails.md's order; rules.ts concatenates the families in turn. */
export const SECURITY_GROUP_RULES: readonly Rule[] = [sgNoWorldIngress];
