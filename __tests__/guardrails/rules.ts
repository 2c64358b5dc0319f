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
 * Documented exceptions are in EXCEPTIONS (one list, a reason each); README's "guardrails" block is
 * generated from RULES and EXCEPTIONS (scripts/docs.ts).
 */
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

// Type-only: erased at run time, so the rules load without the platform helpers.
import type { TfJson } from "../helpers";

export type { TfJson };

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
  /** One line, for README. */
  readonly description: string;
  check(stacks: readonly SynthesizedStack[]): Violation[];
}

export interface RuleException {
  readonly rule: string;
  /** What is exempted, one line (README). */
  readonly what: string;
  /** Why, one line (README). */
  readonly reason: string;
  matches(v: Violation): boolean;
}

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
  {
    rule: "backend-encrypted-locked",
    what: "a local backend for the stack that defines the state bucket (`attractor-factory-state`)",
    reason: "the bucket cannot hold the state of its own creation; the bootstrap keeps a local file (git-ignored) and is never destroyed",
    matches: (v) => v.facts?.backend === "local" && v.facts?.definesStateBucket === true,
  },
];

/** Reads every stack of a synthesized app (`<outdir>/stacks/<name>/cdk.tf.json`). */
export function readSynthesized(outdir: string): SynthesizedStack[] {
  const dir = path.join(outdir, "stacks");
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, json: JSON.parse(readFileSync(path.join(dir, name, "cdk.tf.json"), "utf8")) as TfJson }));
}

/** Every rule's violations over `stacks`, exceptions applied. */
export function checkAll(stacks: readonly SynthesizedStack[], rules: readonly Rule[] = RULES): Violation[] {
  return rules.flatMap((r) => r.check(stacks));
}

/** One line per violation, for failure messages. */
export function formatViolations(vs: readonly Violation[]): string {
  return vs.map((v) => `${v.stack}: ${v.address}: [${v.rule}] ${v.reason}`).join("\n");
}

// ---- JSON helpers ------------------------------------------------------------------------------

interface Item {
  readonly stack: SynthesizedStack;
  readonly type: string;
  readonly name: string;
  readonly body: TfJson;
  readonly address: string;
}

/** Resources (or data sources) of the given types, in every stack. */
function items(stacks: readonly SynthesizedStack[], types: readonly string[], kind: "resource" | "data" = "resource"): Item[] {
  const out: Item[] = [];
  for (const stack of stacks) {
    for (const type of types) {
      for (const [name, body] of Object.entries((stack.json[kind]?.[type] ?? {}) as Record<string, TfJson>)) {
        out.push({ stack, type, name, body, address: `${kind === "data" ? "data." : ""}${type}.${name}` });
      }
    }
  }
  return out;
}

/** A single nested block, whether cdktf rendered it as an object or a one-element list. */
function one(v: unknown): TfJson | undefined {
  if (Array.isArray(v)) return v[0] as TfJson | undefined;
  return v && typeof v === "object" ? (v as TfJson) : undefined;
}

/** A repeated block or list as a list. */
function many(v: unknown): TfJson[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as TfJson[];
}

function isTrue(v: unknown): boolean {
  return v === true || v === "true";
}
function isFalse(v: unknown): boolean {
  return v === false || v === "false";
}

const WHOLE_REF = /^\$\{([^{}]+)\}$/;
const isRef = (v: unknown): v is string => typeof v === "string" && v.includes("${");

/** A whole-string reference `${(data.)type.name.attr...}` to a resource of the stack. */
interface Ref {
  readonly stack: SynthesizedStack;
  readonly kind: "resource" | "data";
  readonly type: string;
  readonly name: string;
  /** The attribute path after the name, e.g. "id" or "vpc_config[0].cluster_security_group_id". */
  readonly attr: string;
  readonly address: string;
  readonly body: TfJson | undefined;
}

function parseRef(stack: SynthesizedStack, value: unknown): Ref | undefined {
  if (typeof value !== "string") return undefined;
  const m = WHOLE_REF.exec(value);
  if (!m) return undefined;
  const r = /^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.(.+)$/.exec(m[1].trim());
  if (!r) return undefined;
  const kind = r[1] ? "data" : "resource";
  return {
    stack,
    kind,
    type: r[2],
    name: r[3],
    attr: r[4],
    address: `${r[1] ?? ""}${r[2]}.${r[3]}`,
    body: stack.json[kind]?.[r[2]]?.[r[3]] as TfJson | undefined,
  };
}

/**
 * Follows a value to what it finally refers to: a remote-state output is followed to the stack
 * whose backend key the remote state reads, then to that output's value, recursively; lists are
 * flattened. Returns the terminal values with the stack they are in (literals, references to
 * resources, or expressions that cannot be followed).
 */
function resolve(stacks: readonly SynthesizedStack[], stack: SynthesizedStack, value: unknown, depth = 0): { stack: SynthesizedStack; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v) => resolve(stacks, stack, v, depth));
  const ref = parseRef(stack, value);
  if (depth < 10 && ref && ref.kind === "data" && ref.type === "terraform_remote_state") {
    const out = /^outputs\.([A-Za-z0-9_-]+)$/.exec(ref.attr);
    const key = ref.body?.config?.key;
    // The stack that keeps its state under that key and has that output.
    const producer = out ? stacks.find((s) => s.json.terraform?.backend?.s3?.key === key && s.json.output?.[out[1]]) : undefined;
    const output = out && producer?.json.output?.[out[1]];
    if (producer && output) return resolve(stacks, producer, output.value, depth + 1);
  }
  return [{ stack, value }];
}

/** The resource a value refers to (after following remote state), when it is one of `types`. */
function resolveTo(stacks: readonly SynthesizedStack[], stack: SynthesizedStack, value: unknown, types: readonly string[]): Ref[] {
  return resolve(stacks, stack, value)
    .map((t) => parseRef(t.stack, t.value))
    .filter((r): r is Ref => !!r && r.kind === "resource" && types.includes(r.type) && r.body !== undefined);
}

/** Whether `value` names the resource `item` (a reference to any of its attributes). */
function refersTo(value: unknown, item: Item, attrs: readonly string[] = ["id", "name", "arn", "bucket"]): boolean {
  const ref = parseRef(item.stack, value);
  return !!ref && ref.address === item.address && attrs.includes(ref.attr);
}

/** Collects violations of one rule, dropping those an exception covers. */
class Report {
  readonly violations: Violation[] = [];
  constructor(private readonly rule: string) {}
  add(stack: SynthesizedStack | string, address: string, reason: string, facts?: Record<string, unknown>): void {
    const v: Violation = { stack: typeof stack === "string" ? stack : stack.name, address, rule: this.rule, reason, facts };
    if (!EXCEPTIONS.some((e) => e.rule === this.rule && e.matches(v))) this.violations.push(v);
  }
}

function rule(id: string, description: string, check: (stacks: readonly SynthesizedStack[], report: Report) => void): Rule {
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

// ---- security groups ---------------------------------------------------------------------------

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
function ingresses(stacks: readonly SynthesizedStack[]): Ingress[] {
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

// ---- nodes -------------------------------------------------------------------------------------

interface NodeGroup {
  readonly item: Item;
  /** The launch template resource, when the node group names one that is in the stack. */
  readonly template: Item | undefined;
  readonly templateRef: unknown;
}

function nodeGroups(stacks: readonly SynthesizedStack[]): NodeGroup[] {
  return items(stacks, ["aws_eks_node_group"]).map((item) => {
    const lt = one(item.body.launch_template);
    const templateRef = lt?.id ?? lt?.name;
    const ref = parseRef(item.stack, templateRef);
    const template =
      ref?.type === "aws_launch_template" && ref.body ? { stack: item.stack, type: ref.type, name: ref.name, body: ref.body, address: ref.address } : undefined;
    return { item, template, templateRef };
  });
}

const nodeNoSsh = rule(
  "node-no-ssh",
  "No SSH to nodes: no `remote_access` on node groups, no `key_name` on launch templates, no ingress rule reaching port 22 from an address range.",
  (stacks, report) => {
    for (const ng of nodeGroups(stacks)) {
      if (one(ng.item.body.remote_access)) report.add(ng.item.stack, ng.item.address, "remote_access opens SSH to the nodes (use SSM Session Manager)");
    }
    for (const lt of items(stacks, ["aws_launch_template"])) {
      if (lt.body.key_name !== undefined && lt.body.key_name !== null)
        report.add(lt.stack, lt.address, `key_name ${JSON.stringify(lt.body.key_name)} installs an SSH key`);
    }
    for (const i of ingresses(stacks)) {
      if (i.cidrs.length > 0 && (i.protocol === "tcp" || i.protocol === "-1") && i.from <= 22 && 22 <= i.to) {
        report.add(i.item.stack, i.item.address, `ingress reaches port 22 (SSH) from ${i.cidrs.join(", ")}`);
      }
    }
  },
);

const nodeImdsV2 = rule(
  "node-imdsv2-hop-limit-1",
  "Every node group has a launch template that requires IMDSv2 (`http_tokens = required`) with a response hop limit of 1, so pods cannot reach the node's credentials.",
  (stacks, report) => {
    for (const ng of nodeGroups(stacks)) {
      if (!ng.template) {
        report.add(
          ng.item.stack,
          ng.item.address,
          ng.templateRef === undefined
            ? "no launch template: the EKS default does not pin IMDS settings"
            : `launch template ${JSON.stringify(ng.templateRef)} is not a resource of the stack: IMDS settings cannot be verified`,
        );
        continue;
      }
      const md = one(ng.template.body.metadata_options);
      if (md?.http_tokens !== "required")
        report.add(ng.template.stack, ng.template.address, `metadata_options.http_tokens is ${JSON.stringify(md?.http_tokens)}, not "required" (IMDSv2)`);
      if (Number(md?.http_put_response_hop_limit) !== 1)
        report.add(
          ng.template.stack,
          ng.template.address,
          `metadata_options.http_put_response_hop_limit is ${JSON.stringify(md?.http_put_response_hop_limit)}, not 1`,
        );
      if (md?.http_endpoint === "disabled")
        report.add(ng.template.stack, ng.template.address, "metadata_options.http_endpoint is disabled: nodes cannot bootstrap");
    }
  },
);

/** The values a helm_release passes: every `values` document merged, then `set` entries. */
function helmValues(item: Item): { values: TfJson; error?: string } {
  let values: TfJson = {};
  for (const doc of many(item.body.values)) {
    try {
      const parsed = parseYaml(String(doc));
      if (parsed && typeof parsed === "object") values = { ...values, ...(parsed as TfJson) };
    } catch (e) {
      return { values, error: `values are not YAML: ${(e as Error).message.split("\n")[0]}` };
    }
  }
  for (const s of many(item.body.set)) values = { ...values, [String(s.name)]: s.value };
  return { values };
}

const albControllerRegionVpc = rule(
  "alb-controller-region-vpc",
  "The AWS Load Balancer Controller's Helm release is given `region` and a `vpcId` that is the VPC's id (nodes allow one IMDS hop, so pods cannot look them up).",
  (stacks, report) => {
    for (const item of items(stacks, ["helm_release"])) {
      if (item.body.chart !== "aws-load-balancer-controller") continue;
      const { values, error } = helmValues(item);
      if (error) report.add(item.stack, item.address, error);
      const region = values.region;
      if (typeof region !== "string" || !(/^[a-z]{2}(-[a-z]+)+-\d$/.test(region) || isRef(region)))
        report.add(item.stack, item.address, `region is ${JSON.stringify(region)}, not an AWS region`);
      const vpcId = values.vpcId;
      const literal = typeof vpcId === "string" && /^vpc-[0-9a-f]{8,17}$/.test(vpcId);
      const toVpc =
        typeof vpcId === "string" &&
        resolve(stacks, item.stack, vpcId).some((t) => {
          const ref = parseRef(t.stack, t.value);
          return ref?.type === "aws_vpc" && ref.attr === "id";
        });
      if (!literal && !toVpc)
        report.add(item.stack, item.address, `vpcId is ${JSON.stringify(vpcId)}, not a VPC id (literal vpc-... or a reference to an aws_vpc's id)`);
    }
  },
);

const nodeAl2023 = rule(
  "node-al2023",
  "Every node group runs Amazon Linux 2023 (`ami_type` AL2023_*, no custom AMI in its launch template).",
  (stacks, report) => {
    for (const ng of nodeGroups(stacks)) {
      const ami = ng.item.body.ami_type;
      if (typeof ami !== "string" || !ami.startsWith("AL2023_")) report.add(ng.item.stack, ng.item.address, `ami_type is ${JSON.stringify(ami)}, not AL2023_*`);
      if (ng.template?.body.image_id !== undefined)
        report.add(ng.template.stack, ng.template.address, "image_id sets a custom AMI: the node group's AL2023 ami_type would not apply");
    }
  },
);

/** Why a subnet is not provably private, or undefined when it is. */
function notPrivate(subnet: Ref): string | undefined {
  const body = subnet.body!;
  if (isTrue(body.map_public_ip_on_launch)) return "map_public_ip_on_launch gives instances public addresses";
  const subnetItem: Item = { stack: subnet.stack, type: subnet.type, name: subnet.name, body, address: subnet.address };
  const assoc = items([subnet.stack], ["aws_route_table_association"]).filter((a) => refersTo(a.body.subnet_id, subnetItem, ["id"]));
  if (assoc.length === 0) return "no route table association: cannot prove it has no route to an internet gateway";
  for (const a of assoc) {
    const rt = parseRef(subnet.stack, a.body.route_table_id);
    if (!rt?.body || rt.type !== "aws_route_table") return `route table ${JSON.stringify(a.body.route_table_id)} is not a resource of the stack`;
    const rtItem: Item = { stack: subnet.stack, type: rt.type, name: rt.name, body: rt.body, address: rt.address };
    const routes = [
      ...many(rt.body.route),
      ...items([subnet.stack], ["aws_route"])
        .filter((r) => refersTo(r.body.route_table_id, rtItem, ["id"]))
        .map((r) => r.body),
    ];
    for (const route of routes) {
      const gw = parseRef(subnet.stack, route.gateway_id);
      if (gw?.type === "aws_internet_gateway" || (typeof route.gateway_id === "string" && route.gateway_id.startsWith("igw-")))
        return `its route table ${rt.address} routes ${route.cidr_block ?? route.destination_cidr_block ?? route.ipv6_cidr_block} to an internet gateway`;
    }
  }
  return undefined;
}

const nodePrivateSubnets = rule(
  "node-private-subnets",
  "Node groups use only private subnets: each subnet id is followed (across stacks) to its aws_subnet, which maps no public IPs and whose route table has no route to an internet gateway.",
  (stacks, report) => {
    for (const ng of nodeGroups(stacks)) {
      const terminals = resolve(stacks, ng.item.stack, ng.item.body.subnet_ids);
      if (terminals.length === 0) report.add(ng.item.stack, ng.item.address, "no subnet_ids");
      for (const t of terminals) {
        const subnet = parseRef(t.stack, t.value);
        if (!subnet?.body || subnet.type !== "aws_subnet") {
          report.add(ng.item.stack, ng.item.address, `subnet ${JSON.stringify(t.value)} is not an aws_subnet of any stack: cannot prove it is private`);
          continue;
        }
        const why = notPrivate(subnet);
        if (why) report.add(ng.item.stack, ng.item.address, `subnet ${subnet.address} (stack ${subnet.stack.name}) is not private: ${why}`);
      }
    }
  },
);

/** The cluster name (literal) a node group or other resource names in `cluster_name`. */
function clusterNameOf(stacks: readonly SynthesizedStack[], stack: SynthesizedStack, value: unknown): string | undefined {
  if (typeof value === "string" && !isRef(value)) return value;
  const cluster = resolveTo(stacks, stack, value, ["aws_eks_cluster"])[0];
  const name = cluster?.body?.name;
  return typeof name === "string" && !isRef(name) ? name : undefined;
}

const nodeSingleClusterSg = rule(
  "node-single-cluster-security-group",
  'Each node group\'s nodes carry exactly one security group tagged `kubernetes.io/cluster/<cluster>` (else the Load Balancer Controller fails with "expected exactly one securityGroup tagged ...").',
  (stacks, report) => {
    for (const ng of nodeGroups(stacks)) {
      const cluster = clusterNameOf(stacks, ng.item.stack, ng.item.body.cluster_name);
      const lt = ng.template?.body;
      const sgs = lt
        ? [...many(lt.vpc_security_group_ids), ...many(lt.security_group_names), ...many(lt.network_interfaces).flatMap((n) => many(n.security_groups))]
        : [];
      // No group in the launch template: EKS attaches the cluster security group, which it tags.
      if (sgs.length === 0) continue;
      if (!cluster) {
        report.add(ng.item.stack, ng.item.address, "the cluster's name cannot be resolved: the tagged security groups cannot be counted");
        continue;
      }
      const tagKey = `kubernetes.io/cluster/${cluster}`;
      const providerTags = many(ng.item.stack.json.provider?.aws).some((p) => many(p.default_tags).some((d) => d.tags && tagKey in d.tags));
      let tagged = 0;
      for (const sg of sgs) {
        const ref = parseRef(ng.item.stack, sg);
        if (ref?.type === "aws_eks_cluster" && ref.attr.endsWith("cluster_security_group_id")) {
          tagged++;
        } else if (ref?.type === "aws_security_group" && ref.body) {
          const sgItem: Item = { stack: ng.item.stack, type: ref.type, name: ref.name, body: ref.body, address: ref.address };
          const viaTag = items([ng.item.stack], ["aws_ec2_tag"]).some((t) => t.body.key === tagKey && refersTo(t.body.resource_id, sgItem, ["id"]));
          if (providerTags || viaTag || (ref.body.tags && tagKey in ref.body.tags)) tagged++;
        } else {
          report.add(
            ng.template!.stack,
            ng.template!.address,
            `security group ${JSON.stringify(sg)} is not a resource of the stack: its tags cannot be verified`,
          );
        }
      }
      if (tagged !== 1) report.add(ng.template!.stack, ng.template!.address, `nodes get ${tagged} security groups tagged ${tagKey}, not exactly one`);
    }
  },
);

// ---- cluster -----------------------------------------------------------------------------------

const clusterSecretsKms = rule(
  "cluster-secrets-kms",
  "Every EKS cluster envelope-encrypts Kubernetes secrets with a KMS key of the stack that has key rotation on.",
  (stacks, report) => {
    for (const c of items(stacks, ["aws_eks_cluster"])) {
      const enc = one(c.body.encryption_config);
      if (!enc || !many(enc.resources).map(String).includes("secrets")) {
        report.add(c.stack, c.address, "encryption_config does not cover secrets");
        continue;
      }
      const key = resolveTo(stacks, c.stack, one(enc.provider)?.key_arn, ["aws_kms_key"])[0];
      if (!key)
        report.add(
          c.stack,
          c.address,
          `encryption key ${JSON.stringify(one(enc.provider)?.key_arn)} is not an aws_kms_key of the platform: its rotation cannot be verified`,
        );
      else if (!isTrue(key.body!.enable_key_rotation)) report.add(key.stack, key.address, "enable_key_rotation is not true (it encrypts cluster secrets)");
    }
  },
);

export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

const clusterLogs = rule(
  "cluster-control-plane-logs",
  "Every EKS cluster ships all control-plane log types to `/aws/eks/<cluster>/cluster`, a log group of the stack with a retention, created before the cluster.",
  (stacks, report) => {
    for (const c of items(stacks, ["aws_eks_cluster"])) {
      const types = many(c.body.enabled_cluster_log_types).map(String);
      const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !types.includes(t));
      if (missing.length > 0) report.add(c.stack, c.address, `control-plane log types not enabled: ${missing.join(", ")}`);
      const name = c.body.name;
      const group = items([c.stack], ["aws_cloudwatch_log_group"]).find((g) => typeof name === "string" && g.body.name === `/aws/eks/${name}/cluster`);
      if (!group) {
        report.add(c.stack, c.address, `no aws_cloudwatch_log_group named /aws/eks/${name}/cluster in the stack: EKS would create it with no retention`);
        continue;
      }
      const days = Number(group.body.retention_in_days);
      if (!(days > 0)) report.add(group.stack, group.address, `retention_in_days is ${JSON.stringify(group.body.retention_in_days)}: logs are kept forever`);
      if (!many(c.body.depends_on).map(String).includes(group.address))
        report.add(c.stack, c.address, `does not depend on ${group.address}: EKS may create the log group first, without retention`);
    }
  },
);

const clusterAccessEntries = rule(
  "cluster-access-entries",
  "Every EKS cluster authenticates through access entries only (`authentication_mode = API`, no implicit creator admin, no aws-auth ConfigMap) and has at least one access entry.",
  (stacks, report) => {
    for (const c of items(stacks, ["aws_eks_cluster"])) {
      const access = one(c.body.access_config);
      if (access?.authentication_mode !== "API")
        report.add(c.stack, c.address, `access_config.authentication_mode is ${JSON.stringify(access?.authentication_mode)}, not "API"`);
      if (!isFalse(access?.bootstrap_cluster_creator_admin_permissions))
        report.add(c.stack, c.address, "bootstrap_cluster_creator_admin_permissions is not false: the creator gets admin outside any access entry");
      const entries = items([c.stack], ["aws_eks_access_entry"]).filter(
        (e) => refersTo(e.body.cluster_name, { ...c }, ["name", "id"]) || e.body.cluster_name === c.body.name,
      );
      if (entries.length === 0) report.add(c.stack, c.address, "no aws_eks_access_entry for the cluster: nobody could administer it");
    }
    for (const cm of items(stacks, ["kubernetes_config_map", "kubernetes_config_map_v1", "kubernetes_config_map_v1_data"])) {
      const md = one(cm.body.metadata);
      if (md?.name === "aws-auth") report.add(cm.stack, cm.address, "the aws-auth ConfigMap is deprecated: use EKS access entries");
    }
  },
);

const clusterEndpointCidrs = rule(
  "cluster-public-endpoint-cidrs",
  "Every EKS cluster has its private endpoint on, and a public endpoint only with explicitly listed CIDRs (FACTORY_ENDPOINT_PUBLIC_ACCESS_CIDRS; documented default 0.0.0.0/0).",
  (stacks, report) => {
    for (const c of items(stacks, ["aws_eks_cluster"])) {
      const vpc = one(c.body.vpc_config);
      if (!isTrue(vpc?.endpoint_private_access))
        report.add(c.stack, c.address, "endpoint_private_access is not true: nodes would reach the API over the internet");
      if (isFalse(vpc?.endpoint_public_access)) continue;
      const cidrs = vpc?.public_access_cidrs;
      if (!Array.isArray(cidrs) || cidrs.length === 0) report.add(c.stack, c.address, "public endpoint without explicit public_access_cidrs");
      else
        for (const cidr of cidrs)
          if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(String(cidr)))
            report.add(c.stack, c.address, `public_access_cidrs entry ${JSON.stringify(cidr)} is not an IPv4 CIDR`);
    }
  },
);

// ---- IRSA --------------------------------------------------------------------------------------

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

// ---- state -------------------------------------------------------------------------------------

/** Whether a statement set denies non-TLS access to bucket and objects. */
function deniesInsecureTransport(statements: TfJson[]): boolean {
  return statements.some((s) => {
    const effect = s.effect ?? s.Effect;
    const actions = many(s.actions ?? s.Action).map(String);
    const conds = s.condition
      ? many(s.condition).map((c) => ({ test: c.test, variable: c.variable, values: many(c.values).map(String) }))
      : Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(([test, vars]) =>
          Object.entries(vars).map(([variable, values]) => ({ test, variable, values: many(values).map(String) })),
        );
    const resources = many(s.resources ?? s.Resource).map(String);
    return (
      effect === "Deny" &&
      actions.some((a) => a === "s3:*" || a === "*") &&
      conds.some((c) => c.test === "Bool" && c.variable === "aws:SecureTransport" && c.values.includes("false")) &&
      resources.some((r) => !r.endsWith("/*")) &&
      resources.some((r) => r.endsWith("/*"))
    );
  });
}

const stateBucketHardened = rule(
  "state-bucket-hardened",
  "The bucket the S3 backends name is defined by a stack: versioned, encrypted by default, all public access blocked, a TLS-only bucket policy, `prevent_destroy`.",
  (stacks, report) => {
    const names = new Set(stacks.map((s) => s.json.terraform?.backend?.s3?.bucket).filter((b): b is string => typeof b === "string"));
    for (const name of names) {
      const bucket = items(stacks, ["aws_s3_bucket"]).find((b) => b.body.bucket === name);
      if (!bucket) {
        const user = stacks.find((s) => s.json.terraform?.backend?.s3?.bucket === name)!;
        report.add(user, "terraform.backend", `state bucket ${name} is defined by no stack: its settings cannot be verified`);
        continue;
      }
      const add = (why: string) => report.add(bucket.stack, bucket.address, why);
      const of = (type: string) => items([bucket.stack], [type]).filter((i) => refersTo(i.body.bucket, bucket, ["id", "bucket"]) || i.body.bucket === name);
      if (!isTrue(one(bucket.body.lifecycle)?.prevent_destroy))
        add("lifecycle.prevent_destroy is not true: terraform destroy would delete every stack's state");
      const versioned =
        of("aws_s3_bucket_versioning").some((v) => one(v.body.versioning_configuration)?.status === "Enabled") || isTrue(one(bucket.body.versioning)?.enabled);
      if (!versioned) add("not versioned (no aws_s3_bucket_versioning with status Enabled)");
      const encrypted = of("aws_s3_bucket_server_side_encryption_configuration").some((e) =>
        many(e.body.rule).some((r) => ["aws:kms", "aws:kms:dsse", "AES256"].includes(String(one(r.apply_server_side_encryption_by_default)?.sse_algorithm))),
      );
      if (!encrypted) add("no default encryption (aws_s3_bucket_server_side_encryption_configuration)");
      const blocked = of("aws_s3_bucket_public_access_block").some((p) =>
        ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].every((k) => isTrue(p.body[k])),
      );
      if (!blocked) add("public access not fully blocked (aws_s3_bucket_public_access_block with all four settings true)");
      const tlsOnly = of("aws_s3_bucket_policy").some((p) => {
        const doc = parseRef(bucket.stack, p.body.policy);
        if (doc?.type === "aws_iam_policy_document" && doc.body) return deniesInsecureTransport(many(doc.body.statement));
        try {
          return typeof p.body.policy === "string" && deniesInsecureTransport(many(JSON.parse(p.body.policy).Statement));
        } catch {
          return false;
        }
      });
      if (!tlsOnly) add("no bucket policy denying s3:* without TLS (aws:SecureTransport false) on the bucket and its objects");
    }
  },
);

const backendEncryptedLocked = rule(
  "backend-encrypted-locked",
  "Every stack keeps its state in the S3 backend, encrypted, with locking (`use_lockfile` or a DynamoDB table), under a key no other stack uses.",
  (stacks, report) => {
    const backendBuckets = new Set(stacks.map((s) => s.json.terraform?.backend?.s3?.bucket));
    // Where each stack keeps its state; two stacks in one place overwrite each other's state.
    const keys = new Map<string, string[]>();
    const place = (where: string, stack: SynthesizedStack) => keys.set(where, [...(keys.get(where) ?? []), stack.name]);
    for (const stack of stacks) {
      const backend = (stack.json.terraform?.backend ?? {}) as TfJson;
      const kinds = Object.keys(backend);
      if (kinds.length !== 1 || kinds[0] !== "s3") {
        const kind = kinds[0] ?? "none";
        const definesStateBucket = items([stack], ["aws_s3_bucket"]).some((b) => backendBuckets.has(b.body.bucket));
        report.add(stack, "terraform.backend", `backend is ${kind}, not s3`, { backend: kind, definesStateBucket });
        if (kind === "local") place(`local state file ${backend.local?.path ?? "terraform.tfstate"}`, stack);
        continue;
      }
      const s3 = backend.s3 as TfJson;
      if (!isTrue(s3.encrypt)) report.add(stack, "terraform.backend", "s3 backend without encrypt = true");
      if (!isTrue(s3.use_lockfile) && !s3.dynamodb_table) report.add(stack, "terraform.backend", "s3 backend without locking (use_lockfile or dynamodb_table)");
      place(`state key s3://${s3.bucket}/${s3.key}`, stack);
    }
    for (const [where, users] of keys) {
      if (users.length < 2) continue;
      for (const name of users) report.add(name, "terraform.backend", `${where} is shared by ${users.join(", ")}: they would overwrite each other's state`);
    }
  },
);

// ---- ECR, ACM, ALB -----------------------------------------------------------------------------

const ecrHardened = rule("ecr-repository-hardened", "Every ECR repository has immutable tags, scan on push and a lifecycle policy.", (stacks, report) => {
  for (const repo of items(stacks, ["aws_ecr_repository"])) {
    if (repo.body.image_tag_mutability !== "IMMUTABLE")
      report.add(repo.stack, repo.address, `image_tag_mutability is ${JSON.stringify(repo.body.image_tag_mutability)}, not IMMUTABLE`);
    if (!isTrue(one(repo.body.image_scanning_configuration)?.scan_on_push))
      report.add(repo.stack, repo.address, "image_scanning_configuration.scan_on_push is not true");
    const policies = items([repo.stack], ["aws_ecr_lifecycle_policy"]).filter(
      (p) => refersTo(p.body.repository, repo, ["name", "id"]) || p.body.repository === repo.body.name,
    );
    const valid = policies.some((p) => {
      try {
        return many(JSON.parse(String(p.body.policy)).rules).length > 0;
      } catch {
        return isRef(p.body.policy);
      }
    });
    if (!valid) report.add(repo.stack, repo.address, "no aws_ecr_lifecycle_policy with rules for the repository");
  }
});

const acmDnsValidated = rule(
  "acm-certificate-dns-validated",
  "Every ACM certificate is validated by DNS, with an aws_acm_certificate_validation that waits for issuance through validation records.",
  (stacks, report) => {
    for (const cert of items(stacks, ["aws_acm_certificate"])) {
      if (cert.body.validation_method !== "DNS")
        report.add(cert.stack, cert.address, `validation_method is ${JSON.stringify(cert.body.validation_method)}, not DNS`);
      const validations = items([cert.stack], ["aws_acm_certificate_validation"]).filter((v) => refersTo(v.body.certificate_arn, cert, ["arn", "id"]));
      if (!validations.some((v) => many(v.body.validation_record_fqdns).length > 0))
        report.add(cert.stack, cert.address, "no aws_acm_certificate_validation with validation_record_fqdns: nothing waits for issuance");
    }
  },
);

/** TLS policies of ALB listeners that allow nothing older than TLS 1.2. */
export const ALLOWED_SSL_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

const albHttps = rule(
  "alb-https-only",
  "Load balancers serve HTTPS with a TLS 1.2+/1.3 policy (ELBSecurityPolicy-TLS13-1-2/1-3-*, -TLS-1-2-*, -FS-1-2-*) and a certificate; HTTP only redirects to HTTPS (ALB ingresses and aws_lb_listener).",
  (stacks, report) => {
    for (const ing of items(stacks, ["kubernetes_ingress_v1", "kubernetes_ingress"])) {
      const md = one(ing.body.metadata);
      const ann = (md?.annotations ?? {}) as Record<string, string>;
      const spec = one(ing.body.spec);
      if (spec?.ingress_class_name !== "alb" && ann["kubernetes.io/ingress.class"] !== "alb") continue;
      let ports: TfJson[] = [{ HTTP: 80 }];
      try {
        if (ann["alb.ingress.kubernetes.io/listen-ports"] !== undefined) ports = many(JSON.parse(ann["alb.ingress.kubernetes.io/listen-ports"]));
      } catch {
        report.add(ing.stack, ing.address, "alb.ingress.kubernetes.io/listen-ports is not JSON");
      }
      if (!ports.some((p) => "HTTPS" in p)) report.add(ing.stack, ing.address, "no HTTPS listener (alb.ingress.kubernetes.io/listen-ports)");
      if (!ann["alb.ingress.kubernetes.io/certificate-arn"]) report.add(ing.stack, ing.address, "no alb.ingress.kubernetes.io/certificate-arn");
      const policy = ann["alb.ingress.kubernetes.io/ssl-policy"];
      if (!ALLOWED_SSL_POLICY.test(policy ?? ""))
        report.add(ing.stack, ing.address, `ssl-policy ${JSON.stringify(policy)} allows TLS older than 1.2 (the controller's default does)`);
      if (ports.some((p) => "HTTP" in p) && !ann["alb.ingress.kubernetes.io/ssl-redirect"])
        report.add(ing.stack, ing.address, "HTTP listener without alb.ingress.kubernetes.io/ssl-redirect");
    }
    for (const l of items(stacks, ["aws_lb_listener"])) {
      const protocol = String(l.body.protocol ?? "HTTP");
      if (protocol === "HTTPS" || protocol === "TLS") {
        if (!ALLOWED_SSL_POLICY.test(String(l.body.ssl_policy ?? "")))
          report.add(l.stack, l.address, `ssl_policy ${JSON.stringify(l.body.ssl_policy)} allows TLS older than 1.2`);
        if (!l.body.certificate_arn) report.add(l.stack, l.address, "no certificate_arn");
      } else if (protocol === "HTTP") {
        const redirects = many(l.body.default_action).every((a) => a.type === "redirect" && one(a.redirect)?.protocol === "HTTPS");
        if (!redirects) report.add(l.stack, l.address, "HTTP listener that does not redirect to HTTPS");
      }
    }
  },
);

// ---- workloads ---------------------------------------------------------------------------------

interface PodSpec {
  readonly item: Item;
  readonly spec: TfJson;
  /** Jobs run to completion: no probes expected. */
  readonly batch: boolean;
}

/** Every pod template of every Kubernetes workload resource. */
function podSpecs(stacks: readonly SynthesizedStack[]): PodSpec[] {
  const out: PodSpec[] = [];
  const template = (spec: TfJson | undefined) => one(one(spec?.template)?.spec);
  const kinds: [string[], (b: TfJson) => TfJson | undefined, boolean][] = [
    [
      [
        "kubernetes_deployment",
        "kubernetes_deployment_v1",
        "kubernetes_stateful_set",
        "kubernetes_stateful_set_v1",
        "kubernetes_daemonset",
        "kubernetes_daemon_set_v1",
        "kubernetes_replication_controller",
        "kubernetes_replication_controller_v1",
      ],
      (b) => template(one(b.spec)),
      false,
    ],
    [["kubernetes_job", "kubernetes_job_v1"], (b) => template(one(b.spec)), true],
    [["kubernetes_cron_job", "kubernetes_cron_job_v1"], (b) => template(one(one(one(b.spec)?.job_template)?.spec)), true],
    [["kubernetes_pod", "kubernetes_pod_v1"], (b) => one(b.spec), false],
  ];
  for (const [types, get, batch] of kinds) {
    for (const item of items(stacks, types)) {
      const spec = get(item.body);
      if (spec) out.push({ item, spec, batch });
    }
  }
  return out;
}

const containerSecurity = rule(
  "container-security-context",
  "Every container (and init container) runs as non-root, without privilege escalation or privileged mode, with all capabilities dropped and a read-only root filesystem.",
  (stacks, report) => {
    for (const { item, spec } of podSpecs(stacks)) {
      const pod = one(spec.security_context) ?? {};
      for (const c of [...many(spec.container), ...many(spec.init_container)]) {
        const sc = one(c.security_context) ?? {};
        const who = `container ${c.name}`;
        const facts = { container: c.name, image: c.image };
        const nonRoot = sc.run_as_non_root !== undefined ? isTrue(sc.run_as_non_root) : isTrue(pod.run_as_non_root);
        const uid = sc.run_as_user ?? pod.run_as_user;
        if (!nonRoot) report.add(item.stack, item.address, `${who}: run_as_non_root is not true`, facts);
        if (uid !== undefined && Number(uid) === 0) report.add(item.stack, item.address, `${who}: runs as uid 0`, facts);
        if (!isFalse(sc.allow_privilege_escalation)) report.add(item.stack, item.address, `${who}: allow_privilege_escalation is not false`, facts);
        if (isTrue(sc.privileged)) report.add(item.stack, item.address, `${who}: privileged`, facts);
        const caps = one(sc.capabilities);
        if (!many(caps?.drop).map(String).includes("ALL")) report.add(item.stack, item.address, `${who}: capabilities do not drop ALL`, facts);
        if (many(caps?.add).length > 0) report.add(item.stack, item.address, `${who}: adds capabilities ${JSON.stringify(caps?.add)}`, facts);
        if (!isTrue(sc.read_only_root_filesystem))
          report.add(item.stack, item.address, `${who}: read_only_root_filesystem is not true`, { ...facts, readOnlyRoot: false });
      }
    }
  },
);

const containerResourcesProbes = rule(
  "container-resources-probes",
  "Every container requests and limits CPU and memory; every long-running container (not Jobs) has readiness and liveness probes.",
  (stacks, report) => {
    for (const { item, spec, batch } of podSpecs(stacks)) {
      for (const c of many(spec.container)) {
        const res = one(c.resources);
        for (const kind of ["requests", "limits"]) {
          for (const r of ["cpu", "memory"]) {
            if (!one(res?.[kind])?.[r]) report.add(item.stack, item.address, `container ${c.name}: no ${r} in ${kind}`);
          }
        }
        if (!batch) {
          if (!one(c.readiness_probe)) report.add(item.stack, item.address, `container ${c.name}: no readiness probe`);
          if (!one(c.liveness_probe)) report.add(item.stack, item.address, `container ${c.name}: no liveness probe`);
        }
      }
    }
  },
);

const dataVolumes = rule(
  "data-volumes-retained",
  "Data-store volumes (StatefulSet claim templates, PersistentVolumeClaims) use a StorageClass of the platform that is gp3, encrypted and `Retain`, and StatefulSets keep their claims.",
  (stacks, report) => {
    const classes = items(stacks, ["kubernetes_storage_class", "kubernetes_storage_class_v1"]);
    const byName = (name: unknown) => classes.find((c) => one(c.body.metadata)?.name === name);
    const defaultClass = classes.find((c) => String(one(c.body.metadata)?.annotations?.["storageclass.kubernetes.io/is-default-class"]) === "true");
    const checkClaim = (item: Item, claim: string, className: unknown) => {
      const sc = className === undefined || className === null ? defaultClass : byName(className);
      if (!sc) {
        report.add(item.stack, item.address, `claim ${claim}: StorageClass ${JSON.stringify(className ?? "(default)")} is defined by no stack`);
        return;
      }
      const params = (sc.body.parameters ?? {}) as Record<string, unknown>;
      const problems = [
        sc.body.reclaim_policy !== "Retain" && `reclaim policy ${JSON.stringify(sc.body.reclaim_policy ?? "Delete")}`,
        params.type !== "gp3" && `volume type ${JSON.stringify(params.type)}`,
        !isTrue(params.encrypted) && "not encrypted",
      ].filter(Boolean);
      if (problems.length > 0)
        report.add(
          item.stack,
          item.address,
          `claim ${claim}: StorageClass ${one(sc.body.metadata)?.name} (${sc.stack.name}: ${sc.address}) is not retained/encrypted/gp3: ${problems.join(", ")}`,
        );
    };
    for (const ss of items(stacks, ["kubernetes_stateful_set", "kubernetes_stateful_set_v1"])) {
      const spec = one(ss.body.spec);
      for (const t of many(spec?.volume_claim_template)) checkClaim(ss, String(one(t.metadata)?.name), one(t.spec)?.storage_class_name);
      const retention = one(spec?.persistent_volume_claim_retention_policy);
      if (retention?.when_deleted === "Delete" || retention?.when_scaled === "Delete")
        report.add(ss.stack, ss.address, "persistent_volume_claim_retention_policy deletes claims");
    }
    for (const pvc of items(stacks, ["kubernetes_persistent_volume_claim", "kubernetes_persistent_volume_claim_v1"])) {
      checkClaim(pvc, String(one(pvc.body.metadata)?.name), one(pvc.body.spec)?.storage_class_name);
    }
  },
);

const dataVolumesBackedUp = rule(
  "data-volumes-backed-up",
  "Every data-store volume claim (StatefulSet claim templates, PersistentVolumeClaims) uses a StorageClass whose volumes carry a tag (`tagSpecification_N`) that an AWS Backup selection of EBS volumes selects by condition (`aws:ResourceTag/<key>`, ANDed with the resources).",
  (stacks, report) => {
    const selected = new Set(
      items(stacks, ["aws_backup_selection"])
        .filter((s) => many(s.body.resources).some((r) => /^arn:aws:ec2:[^:]*:[^:]*:volume\/\*$|^\*$/.test(String(r))))
        .flatMap((s) => many(s.body.condition).flatMap((c) => many(c.string_equals)))
        .filter((e) => String(e.key).startsWith("aws:ResourceTag/"))
        .map((e) => `${String(e.key).slice("aws:ResourceTag/".length)}=${e.value}`),
    );
    const classes = items(stacks, ["kubernetes_storage_class", "kubernetes_storage_class_v1"]);
    const defaultClass = classes.find((c) => String(one(c.body.metadata)?.annotations?.["storageclass.kubernetes.io/is-default-class"]) === "true");
    const checkClaim = (item: Item, claim: string, className: unknown) => {
      const sc = className === undefined || className === null ? defaultClass : classes.find((c) => one(c.body.metadata)?.name === className);
      if (!sc) return; // data-volumes-retained reports a class no stack defines
      const tags = Object.entries((sc.body.parameters ?? {}) as Record<string, unknown>)
        .filter(([k]) => /^tagSpecification_\d+$/.test(k))
        .map(([, v]) => String(v));
      if (!tags.some((t) => selected.has(t))) {
        report.add(
          item.stack,
          item.address,
          `claim ${claim}: StorageClass ${one(sc.body.metadata)?.name} writes no tag a backup selection of EBS volumes selects (writes: ${tags.join(", ") || "none"}; selected: ${[...selected].join(", ") || "none"})`,
        );
      }
    };
    for (const ss of items(stacks, ["kubernetes_stateful_set", "kubernetes_stateful_set_v1"])) {
      for (const t of many(one(ss.body.spec)?.volume_claim_template)) checkClaim(ss, String(one(t.metadata)?.name), one(t.spec)?.storage_class_name);
    }
    for (const pvc of items(stacks, ["kubernetes_persistent_volume_claim", "kubernetes_persistent_volume_claim_v1"])) {
      checkClaim(pvc, String(one(pvc.body.metadata)?.name), one(pvc.body.spec)?.storage_class_name);
    }
  },
);

// ---- network policies --------------------------------------------------------------------------

const POLICIES = ["kubernetes_network_policy", "kubernetes_network_policy_v1"];
const WORKLOADS = [
  "kubernetes_deployment",
  "kubernetes_deployment_v1",
  "kubernetes_stateful_set",
  "kubernetes_stateful_set_v1",
  "kubernetes_job",
  "kubernetes_job_v1",
];

/** A namespace attribute as a name: a literal, or the name of the namespace resource it refers to. */
function namespaceName(stacks: readonly SynthesizedStack[], item: Item, value: unknown): string {
  if (value === undefined || value === null) return "default";
  const ns = resolveTo(stacks, item.stack, value, ["kubernetes_namespace", "kubernetes_namespace_v1"])[0];
  return ns ? String(one(one(ns.body)?.metadata)?.name) : String(value);
}

/** Whether a pod selector selects pods with these labels (an empty selector selects every pod). */
function selects(selector: TfJson | undefined, labels: Record<string, unknown>): boolean {
  if (!selector) return true;
  const byLabel = Object.entries((selector.match_labels ?? {}) as Record<string, unknown>).every(([k, v]) => labels[k] === v);
  const byExpression = many(selector.match_expressions).every((e) => {
    const has = e.key in labels;
    const values = many(e.values).map(String);
    switch (e.operator) {
      case "In":
        return has && values.includes(String(labels[e.key]));
      case "NotIn":
        return !has || !values.includes(String(labels[e.key]));
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
      default:
        return false;
    }
  });
  return byLabel && byExpression;
}

const namespacesDefaultDeny = rule(
  "namespaces-default-deny",
  "Every namespace the Kubernetes stacks declare or run workloads in (but kube-system) has a NetworkPolicy that selects every pod and denies all ingress and egress (both policy types, no rules), so that only what a policy states is allowed.",
  (stacks, report) => {
    const denied = new Set(
      items(stacks, POLICIES)
        .filter((p) => {
          const spec = one(p.body.spec);
          const selector = one(spec?.pod_selector);
          const all = !selector || (Object.keys(selector.match_labels ?? {}).length === 0 && many(selector.match_expressions).length === 0);
          const types = many(spec?.policy_types).map(String);
          return all && types.includes("Ingress") && types.includes("Egress") && many(spec?.ingress).length === 0 && many(spec?.egress).length === 0;
        })
        .map((p) => namespaceName(stacks, p, one(p.body.metadata)?.namespace)),
    );
    const namespaces = new Map<string, Item>();
    for (const ns of items(stacks, ["kubernetes_namespace", "kubernetes_namespace_v1"])) namespaces.set(String(one(ns.body.metadata)?.name), ns);
    for (const w of items(stacks, WORKLOADS)) {
      const name = namespaceName(stacks, w, one(w.body.metadata)?.namespace);
      if (!namespaces.has(name)) namespaces.set(name, w);
    }
    for (const [name, item] of namespaces) {
      if (name !== "kube-system" && !denied.has(name))
        report.add(item.stack, item.address, `namespace ${name} has no default-deny NetworkPolicy (empty pod selector, Ingress and Egress, no rules)`);
    }
  },
);

const dataStoresIsolated = rule(
  "data-stores-isolated",
  "No NetworkPolicy admits anything to a data store (a StatefulSet with a volume claim template) but pods of its own namespace chosen by a pod selector: no rule without a source, no namespace selector (the runner Jobs' namespace among them), no address block.",
  (stacks, report) => {
    const stores = items(stacks, ["kubernetes_stateful_set", "kubernetes_stateful_set_v1"])
      .filter((s) => many(one(s.body.spec)?.volume_claim_template).length > 0)
      .map((s) => ({
        item: s,
        namespace: namespaceName(stacks, s, one(s.body.metadata)?.namespace),
        labels: (one(one(one(s.body.spec)?.template)?.metadata)?.labels ?? {}) as Record<string, unknown>,
      }));
    for (const p of items(stacks, POLICIES)) {
      const spec = one(p.body.spec);
      const ns = namespaceName(stacks, p, one(p.body.metadata)?.namespace);
      for (const store of stores.filter((s) => s.namespace === ns && selects(one(spec?.pod_selector), s.labels))) {
        const name = one(store.item.body.metadata)?.name;
        for (const ingress of many(spec?.ingress)) {
          const peers = many(ingress.from);
          if (peers.length === 0) report.add(p.stack, p.address, `admits every source to data store ${name} (an ingress rule without from)`);
          for (const peer of peers) {
            if (peer.namespace_selector !== undefined)
              report.add(p.stack, p.address, `admits pods of other namespaces to data store ${name} (namespace selector)`);
            if (peer.ip_block !== undefined) report.add(p.stack, p.address, `admits an address block to data store ${name} (${one(peer.ip_block)?.cidr})`);
          }
        }
      }
    }
  },
);

// ---- secrets -----------------------------------------------------------------------------------

/** Keys of a Secret that are identifiers, not credentials, and may be literals. */
export const NON_SECRET_KEYS = ["username", "user", "database", "db", "host", "port"];

/** Attribute, value and environment variable names that hold credentials. */
const SECRET_NAME = /pass(word|wd)?($|[^a-z])|passphrase|secret|token|private_?key|access_?key|api_?key|client_?key|credential|auth$/i;
/** Names that match SECRET_NAME but name or point at a secret rather than hold one. */
const NOT_A_SECRET_VALUE =
  /(_ref|_refs|_name|_names|_arn|_id|_ids|_file|_path|_type|_version|_length|_policy|_enabled|_ttl|_count|_mode|Ref|Name|Arn|Id|File|Path)$|^automount_service_account_token$|^http_tokens$|^existing|^(key|secret)$|^use_|^cluster_ca_certificate$/i;

/** Values that look like credentials wherever they appear. */
const SECRET_SHAPES: [string, RegExp][] = [
  ["an AWS access key id", /\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/],
  ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["a GitHub token", /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ["a Slack token", /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  ["a JSON web token", /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
];

/** The Terraform address a JSON path (resource.type.name.attr...) belongs to. */
function addressOf(p: readonly string[]): string {
  if (p[0] === "resource") return `${p[1]}.${p[2]}`;
  if (p[0] === "data") return `data.${p[1]}.${p[2]}`;
  if (p[0] === "terraform" && p[1] === "backend") return "terraform.backend";
  return p.slice(0, 2).join(".");
}

/** The attribute part of a JSON path, for messages. */
function attrPath(p: readonly string[]): string {
  return (p[0] === "resource" || p[0] === "data" ? p.slice(3) : p.slice(1)).join(".");
}

/** Long, random-looking literals (Shannon entropy of at least 4 bits per character). */
function highEntropy(v: string): boolean {
  if (v.length < 20 || /[\s/:]/.test(v)) return false;
  const counts = new Map<string, number>();
  for (const ch of v) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / v.length) * Math.log2(n / v.length);
  return h >= 4;
}

const RANDOM_RESULT = /^\$\{random_(password|string|bytes|id)\.[^.}]+\.(result|b64_std|b64_url|hex)\}$/;
/** A config file line that holds one generated value (Redis's `requirepass <password>`). */
const RANDOM_CONFIG_LINE = /^[A-Za-z][A-Za-z_-]* \$\{random_(password|string)\.[^.}]+\.result\}\n?$/;

function isLiteral(v: unknown): boolean {
  return typeof v === "string" && v !== "" && !isRef(v);
}

const noLiteralSecrets = rule(
  "no-literal-secrets",
  "No password, key or token as a literal in any cdk.tf.json: secret-named attributes, Helm values, env vars and args hold references; Secret data comes from the random provider, alone or as the value of one config line (identifiers like username excepted); generated values go only into Secrets; no credential-shaped string anywhere.",
  (stacks, report) => {
    for (const stack of stacks) {
      // Every string of the stack, with its path; array elements keep their parent's key last,
      // so that name checks apply to list values too.
      const walk = (node: unknown, p: string[]): void => {
        if (p[p.length - 1] === "//") return;
        if (Array.isArray(node)) node.forEach((v) => walk(v, p));
        else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) walk(v, [...p, k]);
        else if (typeof node === "string") checkString(node, p);
      };
      const checkString = (value: string, p: string[]): void => {
        const key = p[p.length - 1] ?? "";
        const where = `${attrPath(p)}`;
        for (const [what, shape] of SECRET_SHAPES) if (shape.test(value)) report.add(stack, addressOf(p), `${where} holds ${what}`);
        if (SECRET_NAME.test(key) && isLiteral(value) && !/^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(value)) {
          if (!NOT_A_SECRET_VALUE.test(key)) report.add(stack, addressOf(p), `${where} is a literal value of a secret-named attribute`);
          else if (highEntropy(value)) report.add(stack, addressOf(p), `${where} is a high-entropy literal in a secret-named attribute`);
        }
        if (/\brandom_(password|string|bytes)\./.test(value) && !(p[0] === "resource" && /^kubernetes_secret(_v1)?$/.test(p[1]) && p[3] === "data")) {
          report.add(stack, addressOf(p), `${where} uses a generated secret outside a Kubernetes Secret's data`);
        }
      };
      walk(stack.json, []);

      // Kubernetes Secrets: every value generated, except identifiers.
      for (const s of items([stack], ["kubernetes_secret", "kubernetes_secret_v1"])) {
        for (const field of ["data", "string_data", "binary_data"]) {
          for (const [k, v] of Object.entries((s.body[field] ?? {}) as Record<string, unknown>)) {
            if (NON_SECRET_KEYS.includes(k) && isLiteral(v)) continue;
            if (!RANDOM_RESULT.test(String(v)) && !RANDOM_CONFIG_LINE.test(String(v)))
              report.add(stack, s.address, `${field}.${k} is not a random provider result (${isLiteral(v) ? "a literal" : "an expression"})`);
          }
        }
        if (s.body.data_wo !== undefined) report.add(stack, s.address, "data_wo holds values outside the random provider");
      }

      // Containers: secret-named env vars read a Secret; secret flags in args take $(VAR).
      for (const { item, spec } of podSpecs([stack])) {
        for (const c of [...many(spec.container), ...many(spec.init_container)]) {
          for (const e of many(c.env)) {
            if (SECRET_NAME.test(String(e.name)) && e.value !== undefined && e.value !== null)
              report.add(stack, item.address, `container ${c.name}: env ${e.name} has a value instead of value_from a Secret`);
          }
          const args = [...many(c.command), ...many(c.args)].map(String);
          args.forEach((a, i) => {
            const flag = /^--?([A-Za-z-]+)(=(.*))?$/.exec(a);
            if (!flag || !SECRET_NAME.test(flag[1].replace(/-/g, "_"))) return;
            const value = flag[2] !== undefined ? flag[3] : args[i + 1];
            if (value !== undefined && !/^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(value) && !isRef(value))
              report.add(stack, item.address, `container ${c.name}: ${flag[1]} is given a literal on the command line`);
          });
        }
      }

      // Helm values: secret-named keys hold no literal.
      for (const h of items([stack], ["helm_release"])) {
        const { values } = helmValues(h);
        const visit = (node: unknown, p: string[]): void => {
          if (Array.isArray(node)) node.forEach((v) => visit(v, p));
          else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) visit(v, [...p, k]);
          else {
            const key = p[p.length - 1] ?? "";
            if (SECRET_NAME.test(key) && !NOT_A_SECRET_VALUE.test(key) && isLiteral(node))
              report.add(stack, h.address, `Helm value ${p.join(".")} is a literal secret`);
          }
        };
        visit(values, []);
        for (const s of many(h.body.set_sensitive)) if (isLiteral(s.value)) report.add(stack, h.address, `set_sensitive ${s.name} is a literal`);
      }
    }
  },
);

// ---- the rules ---------------------------------------------------------------------------------

export const RULES: readonly Rule[] = [
  sgNoWorldIngress,
  nodeNoSsh,
  nodeImdsV2,
  albControllerRegionVpc,
  nodeAl2023,
  nodePrivateSubnets,
  nodeSingleClusterSg,
  clusterSecretsKms,
  clusterLogs,
  clusterAccessEntries,
  clusterEndpointCidrs,
  irsaTrustPinned,
  stateBucketHardened,
  backendEncryptedLocked,
  ecrHardened,
  acmDnsValidated,
  albHttps,
  containerSecurity,
  containerResourcesProbes,
  dataVolumes,
  dataVolumesBackedUp,
  namespacesDefaultDeny,
  dataStoresIsolated,
  noLiteralSecrets,
];

/** The rule with id `id` (throws on a typo). */
export function ruleById(id: string): Rule {
  const r = RULES.find((x) => x.id === id);
  if (!r) throw new Error(`no guardrail rule ${id}`);
  return r;
}
