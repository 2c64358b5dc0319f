/**
 * Node rules: no SSH, IMDSv2 with one hop, Amazon Linux 2023, private subnets only, one security
 * group tagged for the cluster. alb-controller-region-vpc is here because the one IMDS hop is why
 * the Load Balancer Controller must be given its region and VPC.
 */
import { Item, Ref, helmValues, isRef, isTrue, items, many, one, parseRef, refersTo, resolve, resolveTo } from "../resolve";
import { rule } from "../rule";
import type { Rule, SynthesizedStack } from "../types";
import { ingresses } from "./security-groups";

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

/** In docs/guardrails.md's order; rules.ts concatenates the families in turn. */
const nodeAutoRepair = rule(
  "node-auto-repair",
  "Every managed node group has node auto-repair on (node_repair_config): EKS replaces a node that stays NotReady instead of leaving its pods stranded.",
  (stacks, report) => {
    for (const g of items(stacks, ["aws_eks_node_group"])) {
      if (!isTrue(one(g.body.node_repair_config)?.enabled)) report.add(g.stack, g.address, "node_repair_config.enabled is not true");
    }
  },
);

export const NODE_RULES: readonly Rule[] = [nodeNoSsh, nodeImdsV2, albControllerRegionVpc, nodeAl2023, nodePrivateSubnets, nodeSingleClusterSg, nodeAutoRepair];
