/**
 * Adoption: after an apply was cut off (Terraform killed, the machine lost), AWS may hold objects
 * that Terraform created but never recorded. Applying again would create them a second time: a
 * second VPC or KMS key (AWS allows duplicates), or fail on a name that is taken (cluster, roles).
 *
 * For each resource the plan would create, a finder asks AWS whether that object already exists:
 * by its name where it has one, else by the tags every resource carries (the provider's default
 * tags name the stack; `Name` tells siblings apart). Found objects become Terraform `import`
 * blocks in a file beside the synthesized stack, so the next plan imports them instead of creating
 * them, and nothing is replaced or duplicated. The verbs run this only when a stack's previous
 * apply did not finish (its marker is in the state bucket) or when asked (--adopt).
 */
import { writeFileSync } from "fs";
import * as path from "path";
import { AwsCli } from "../lib/aws-cli";

/** One entry of `terraform show -json <plan>`'s resource_changes. */
export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly mode?: string;
  readonly change: {
    readonly actions: readonly string[];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    readonly after?: Record<string, any> | null;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    readonly before?: Record<string, any> | null;
  };
}

export interface Plan {
  readonly resource_changes?: readonly ResourceChange[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly prior_state?: any;
  /** the values after the plan (`terraform show -json` only; the streamed plan has none) */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly planned_values?: any;
  /** the configuration's expressions: which resource an unknown value comes from */
  readonly configuration?: { root_module?: { resources?: { address: string; expressions?: Record<string, { references?: string[] }> }[] } };
}

export interface Adoption {
  readonly address: string;
  readonly id: string;
}

export class AdoptionError extends Error {}

/** The file the verbs write the import blocks to; removed after the apply that used it. */
export const IMPORTS_FILE = "adopt-imports.tf.json";

interface Context {
  readonly aws: AwsCli;
  readonly stack: string;
  /** ids of every object the state already records (never adopted twice) */
  readonly known: ReadonlySet<string>;
  /**
   * aws ARGS as JSON, undefined when the thing does not exist; asked once per pass (finders of
   * sibling resources ask the same: each role's attachments, the cluster, the aliases).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly lookup: (args: string[]) => Promise<any>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type After = Record<string, any>;
type Finder = (after: After, ctx: Context) => Promise<string[]>;

/** Tags the planned object will carry (default tags included), when the plan knows them. */
function plannedTags(after: After): Record<string, string> {
  return (after.tags_all ?? after.tags ?? {}) as Record<string, string>;
}

function tagFilters(after: After, ctx: Context): string[] {
  const tags = { ...plannedTags(after), Stack: ctx.stack };
  return Object.entries(tags)
    .filter(([, v]) => typeof v === "string")
    .map(([k, v]) => `Name=tag:${k},Values=${v}`);
}

/** `aws ARGS`'s list under `key` ([] when the thing does not exist). */
async function list(ctx: Context, args: string[], key: string): Promise<After[]> {
  return ((await ctx.lookup(args))?.[key] ?? []) as After[];
}

/** An EC2 describe call filtered by the planned tags; returns the ids under `idKey`. */
function ec2ByTags(command: string, listKey: string, idKey: string, keep: (o: After) => boolean = () => true, filterOption = "--filters"): Finder {
  return async (after, ctx) => (await list(ctx, ["ec2", command, filterOption, ...tagFilters(after, ctx)], listKey)).filter(keep).map((o) => String(o[idKey]));
}

/** The name is the id: adopt when `probe` finds it. */
function byName(probe: (after: After, ctx: Context) => Promise<boolean>, id: (after: After) => string | undefined): Finder {
  return async (after, ctx) => {
    const value = id(after);
    if (value === undefined || value.includes("${")) return [];
    return (await probe(after, ctx)) ? [value] : [];
  };
}

async function exists(ctx: Context, args: string[]): Promise<boolean> {
  return (await ctx.lookup(args)) !== undefined;
}

const FINDERS: Record<string, Finder> = {
  aws_vpc: ec2ByTags("describe-vpcs", "Vpcs", "VpcId"),
  aws_subnet: ec2ByTags("describe-subnets", "Subnets", "SubnetId"),
  aws_internet_gateway: ec2ByTags("describe-internet-gateways", "InternetGateways", "InternetGatewayId"),
  aws_route_table: ec2ByTags("describe-route-tables", "RouteTables", "RouteTableId"),
  aws_eip: ec2ByTags("describe-addresses", "Addresses", "AllocationId"),
  aws_nat_gateway: ec2ByTags("describe-nat-gateways", "NatGateways", "NatGatewayId", (n) => ["pending", "available"].includes(n.State), "--filter"),
  aws_launch_template: async (after, ctx) => {
    const prefix = String(after.name_prefix ?? after.name ?? "");
    const templates = await list(ctx, ["ec2", "describe-launch-templates", "--filters", `Name=tag:Stack,Values=${ctx.stack}`], "LaunchTemplates");
    return templates.filter((t) => String(t.LaunchTemplateName).startsWith(prefix)).map((t) => String(t.LaunchTemplateId));
  },
  aws_route_table_association: async (after, ctx) => {
    const { subnet_id: subnet, route_table_id: table } = after;
    if (!subnet || !table) return [];
    const tables = await list(ctx, ["ec2", "describe-route-tables", "--route-table-ids", table], "RouteTables");
    const associated = ((tables[0]?.Associations ?? []) as After[]).some((a) => a.SubnetId === subnet);
    return associated ? [`${subnet}/${table}`] : [];
  },
  aws_kms_key: async (_after, ctx) => {
    const mappings = await list(
      ctx,
      ["resourcegroupstaggingapi", "get-resources", "--resource-type-filters", "kms:key", "--tag-filters", `Key=Stack,Values=${ctx.stack}`],
      "ResourceTagMappingList",
    );
    const ids = mappings.map((m) => String(m.ResourceARN).split("/").pop()!);
    // A key scheduled for deletion is not adopted: it is what an earlier destroy left.
    const states = await Promise.all(ids.map(async (id) => (await ctx.aws.jsonAsync(["kms", "describe-key", "--key-id", id])).KeyMetadata.KeyState));
    return ids.filter((_, i) => states[i] === "Enabled");
  },
  aws_kms_alias: byName(
    async (a, ctx) => (await list(ctx, ["kms", "list-aliases"], "Aliases")).some((x) => x.AliasName === a.name),
    (a) => a.name,
  ),
  aws_cloudwatch_log_group: byName(
    async (a, ctx) => (await list(ctx, ["logs", "describe-log-groups", "--log-group-name-prefix", a.name], "logGroups")).some((g) => g.logGroupName === a.name),
    (a) => a.name,
  ),
  // The state bucket an interrupted bootstrap made but did not record (its other parts are set by
  // idempotent calls, so only the bucket would fail on a second create).
  aws_s3_bucket: byName(
    (a, ctx) => exists(ctx, ["s3api", "get-bucket-location", "--bucket", a.bucket]),
    (a) => a.bucket,
  ),
  aws_iam_role: byName(
    (a, ctx) => exists(ctx, ["iam", "get-role", "--role-name", a.name]),
    (a) => a.name,
  ),
  aws_iam_role_policy: byName(
    (a, ctx) => exists(ctx, ["iam", "get-role-policy", "--role-name", a.role, "--policy-name", a.name]),
    (a) => (a.role && a.name ? `${a.role}:${a.name}` : undefined),
  ),
  aws_iam_role_policy_attachment: byName(
    async (a, ctx) =>
      (await list(ctx, ["iam", "list-attached-role-policies", "--role-name", a.role], "AttachedPolicies")).some((p) => p.PolicyArn === a.policy_arn),
    (a) => (a.role && a.policy_arn ? `${a.role}/${a.policy_arn}` : undefined),
  ),
  aws_iam_openid_connect_provider: async (after, ctx) => {
    if (!after.url) return [];
    const host = String(after.url).replace(/^https:\/\//, "");
    const arns = (await list(ctx, ["iam", "list-open-id-connect-providers"], "OpenIDConnectProviderList")).map((p) => String(p.Arn));
    return arns.filter((arn) => arn.endsWith(`:oidc-provider/${host}`));
  },
  aws_eks_cluster: byName(
    (a, ctx) => exists(ctx, ["eks", "describe-cluster", "--name", a.name]),
    (a) => a.name,
  ),
  // The group's name is generated (node_group_name_prefix, so a replacement can exist beside it):
  // the cluster's groups with that prefix that carry the stack's tag, less those in state.
  aws_eks_node_group: async (after, ctx) => {
    const cluster = after.cluster_name;
    const prefix = after.node_group_name ?? after.node_group_name_prefix;
    if (!cluster || typeof prefix !== "string") return [];
    // No cluster, no group (and the cluster is asked first: moto answers 500, not 404, for its groups).
    if (!(await exists(ctx, ["eks", "describe-cluster", "--name", cluster]))) return [];
    const names = ((await ctx.lookup(["eks", "list-nodegroups", "--cluster-name", cluster]))?.nodegroups ?? []) as string[];
    const matching = names.filter((n) => (after.node_group_name ? n === prefix : n.startsWith(prefix)) && !ctx.known.has(`${cluster}:${n}`));
    const groups = await Promise.all(
      matching.map(async (n) => (await ctx.lookup(["eks", "describe-nodegroup", "--cluster-name", cluster, "--nodegroup-name", n]))?.nodegroup),
    );
    return groups.filter((g) => g?.tags?.Stack === ctx.stack).map((g) => `${cluster}:${g.nodegroupName}`);
  },
  aws_eks_addon: byName(
    (a, ctx) => exists(ctx, ["eks", "describe-addon", "--cluster-name", a.cluster_name, "--addon-name", a.addon_name]),
    (a) => (a.cluster_name && a.addon_name ? `${a.cluster_name}:${a.addon_name}` : undefined),
  ),
  aws_eks_access_entry: byName(
    (a, ctx) => exists(ctx, ["eks", "describe-access-entry", "--cluster-name", a.cluster_name, "--principal-arn", a.principal_arn]),
    (a) => (a.cluster_name && a.principal_arn ? `${a.cluster_name}:${a.principal_arn}` : undefined),
  ),
  aws_eks_access_policy_association: byName(
    async (a, ctx) =>
      (
        await list(
          ctx,
          ["eks", "list-associated-access-policies", "--cluster-name", a.cluster_name, "--principal-arn", a.principal_arn],
          "associatedAccessPolicies",
        )
      ).some((p) => p.policyArn === a.policy_arn),
    (a) => (a.cluster_name && a.principal_arn && a.policy_arn ? `${a.cluster_name}#${a.principal_arn}#${a.policy_arn}` : undefined),
  ),
  aws_ecr_repository: byName(
    (a, ctx) => exists(ctx, ["ecr", "describe-repositories", "--repository-names", a.name]),
    (a) => a.name,
  ),
  aws_ecr_lifecycle_policy: byName(
    (a, ctx) => exists(ctx, ["ecr", "get-lifecycle-policy", "--repository-name", a.repository]),
    (a) => a.repository,
  ),
  aws_acm_certificate: async (after, ctx) => {
    const arns = (await list(ctx, ["acm", "list-certificates"], "CertificateSummaryList"))
      .filter((c) => c.DomainName === after.domain_name)
      .map((c) => String(c.CertificateArn));
    const tagged = await Promise.all(
      arns.map(async (arn) =>
        (await list(ctx, ["acm", "list-tags-for-certificate", "--certificate-arn", arn], "Tags")).some((t) => t.Key === "Stack" && t.Value === ctx.stack),
      ),
    );
    return arns.filter((_, i) => tagged[i]);
  },
  aws_route53_record: async (after, ctx) => {
    const { zone_id: zone, name, type } = after;
    if (!zone || !name || !type) return [];
    const fqdn = String(name).replace(/\.?$/, ".");
    const sets = await list(
      ctx,
      ["route53", "list-resource-record-sets", "--hosted-zone-id", zone, "--start-record-name", fqdn, "--start-record-type", type, "--max-items", "1"],
      "ResourceRecordSets",
    );
    return sets.some((r) => r.Name === fqdn && r.Type === type) ? [`${zone}_${String(name).replace(/\.$/, "")}_${type}`] : [];
  },
};

/** Resource types the verbs know how to find; others are left to Terraform (a create). */
export const ADOPTABLE_TYPES: readonly string[] = Object.keys(FINDERS);

/** Every id (and arn, name) the prior state records, so an object already managed is never adopted again. */
export function knownIds(plan: Plan): Set<string> {
  const ids = new Set<string>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const walk = (module: any) => {
    for (const r of module?.resources ?? []) {
      for (const key of ["id", "arn", "allocation_id", "key_id"]) if (r.values?.[key]) ids.add(String(r.values[key]));
    }
    for (const child of module?.child_modules ?? []) walk(child);
  };
  walk(plan.prior_state?.values?.root_module);
  return ids;
}

/**
 * A value the plan cannot know yet because it comes from another resource being created, which
 * adoption can know: a role's name (an inline policy's or attachment's `role`), the OIDC issuer of
 * a cluster that exists. Without this, those resources would be found only in a second pass.
 */
async function resolveUnknowns(rc: ResourceChange, plan: Plan, ctx: Context): Promise<After> {
  const after: After = { ...rc.change.after };
  const expressions = plan.configuration?.root_module?.resources?.find((r) => r.address === rc.address)?.expressions ?? {};
  for (const [attr, expression] of Object.entries(expressions)) {
    if (after[attr] !== undefined && after[attr] !== null) continue;
    const refs = expression.references ?? [];
    const source = (plan.resource_changes ?? []).find((r) => r.address === refs[refs.length - 1])?.change.after;
    if (!source || !refs[0]) continue;
    if (refs[0].startsWith("aws_iam_role.") && /\.(name|id)$/.test(refs[0])) after[attr] = source.name;
    if (refs[0].startsWith("aws_eks_cluster.") && refs[0].endsWith(".identity[0].oidc[0].issuer") && source.name) {
      after[attr] = (await ctx.lookup(["eks", "describe-cluster", "--name", source.name]))?.cluster?.identity?.oidc?.issuer;
    }
  }
  return after;
}

/** How many AWS CLI lookups run at once (each is a process; most of its time is start-up). */
const LOOKUPS_AT_ONCE = 6;

/** The objects AWS already holds for the plan's creates. Throws AdoptionError when one is ambiguous. */
export async function findAdoptions(plan: Plan, aws: AwsCli, stack: string): Promise<Adoption[]> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const asked = new Map<string, Promise<any>>();
  const lookup = (args: string[]) => {
    const key = args.join("\0");
    if (!asked.has(key)) asked.set(key, aws.jsonOrUndefinedAsync(args));
    return asked.get(key)!;
  };
  const ctx: Context = { aws, stack, known: knownIds(plan), lookup };
  const creates = (plan.resource_changes ?? []).filter(
    (rc) => rc.mode !== "data" && rc.change.actions.join(",") === "create" && FINDERS[rc.type] && rc.change.after,
  );
  const found: string[][] = new Array(creates.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < creates.length; i = next++) found[i] = await FINDERS[creates[i].type](await resolveUnknowns(creates[i], plan, ctx), ctx);
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUPS_AT_ONCE, creates.length) }, worker));
  // A node group roll (create-before-destroy) cut off after the new group was created: the old
  // group is in state, the new one is not, and a plain re-apply would create a third. Terraform
  // cannot import into an address that holds the old group: stop and say how to go on.
  for (const rc of (plan.resource_changes ?? []).filter(
    (x) => x.type === "aws_eks_node_group" && x.change.actions.join(",") === "create,delete" && x.change.after,
  )) {
    const orphans = (await FINDERS.aws_eks_node_group(await resolveUnknowns(rc, plan, ctx), ctx)).filter((id) => !ctx.known.has(id));
    if (orphans.length) {
      const [cluster, name] = orphans[0].split(":");
      throw new AdoptionError(
        `${rc.address}: a node group roll was cut off: ${orphans.map((o) => o.split(":")[1]).join(", ")} exist(s) beside the group in state; delete it (aws eks delete-nodegroup --cluster-name ${cluster} --nodegroup-name ${name}), wait until it is gone, then re-run: the roll starts again`,
      );
    }
  }
  const adoptions: Adoption[] = [];
  const taken = new Set<string>();
  creates.forEach((rc, i) => {
    const candidates = found[i].filter((id) => !ctx.known.has(id) && !taken.has(id));
    if (candidates.length > 1) {
      throw new AdoptionError(
        `${rc.address}: ${candidates.length} existing objects match (${candidates.join(", ")}); import the right one by hand (terraform import ${rc.address} <id>) and delete the others`,
      );
    }
    if (candidates.length === 1) {
      adoptions.push({ address: rc.address, id: candidates[0] });
      taken.add(candidates[0]);
    }
  });
  return adoptions;
}

/** Writes the import blocks (merged with those of earlier passes) into the stack's directory. */
export function writeImports(stackDir: string, adoptions: readonly Adoption[]): void {
  const blocks = adoptions.map((a) => ({ to: a.address, id: a.id }));
  writeFileSync(path.join(stackDir, IMPORTS_FILE), JSON.stringify({ import: blocks }, null, 2) + "\n");
}

export type Health = "healthy" | "pending" | "unhealthy";

/** AWS statuses of the objects that are created asynchronously: [still being created, whole]. */
const STATUS: Record<string, { read: (before: After, aws: AwsCli) => Promise<string>; pending: string[]; healthy: string[] }> = {
  aws_eks_cluster: {
    read: async (b, aws) => (await aws.jsonAsync(["eks", "describe-cluster", "--name", b.name])).cluster.status,
    pending: ["CREATING"],
    healthy: ["ACTIVE"],
  },
  aws_eks_node_group: {
    read: async (b, aws) =>
      (await aws.jsonAsync(["eks", "describe-nodegroup", "--cluster-name", b.cluster_name, "--nodegroup-name", b.node_group_name])).nodegroup.status,
    pending: ["CREATING"],
    healthy: ["ACTIVE"],
  },
  aws_eks_addon: {
    read: async (b, aws) => (await aws.jsonAsync(["eks", "describe-addon", "--cluster-name", b.cluster_name, "--addon-name", b.addon_name])).addon.status,
    pending: ["CREATING"],
    healthy: ["ACTIVE"],
  },
  aws_nat_gateway: {
    read: async (b, aws) => (await aws.jsonAsync(["ec2", "describe-nat-gateways", "--nat-gateway-ids", b.id])).NatGateways[0].State,
    pending: ["pending"],
    healthy: ["available"],
  },
  aws_vpc: {
    read: async (b, aws) => (await aws.jsonAsync(["ec2", "describe-vpcs", "--vpc-ids", b.id])).Vpcs[0].State,
    pending: ["pending"],
    healthy: ["available"],
  },
  aws_acm_certificate: {
    read: async (b, aws) => (await aws.jsonAsync(["acm", "describe-certificate", "--certificate-arn", b.arn])).Certificate.Status,
    pending: [],
    healthy: ["ISSUED", "PENDING_VALIDATION"],
  },
};

/**
 * Whether a tainted object is whole in AWS, so that untainting it is safe. An interrupted apply
 * taints what it created but had not finished waiting for (a cluster still CREATING, a VPC whose
 * DNS attributes were being set). The refresh found the object (the plan has it as `before`), so
 * an object without a status is whole: what the interrupted create did not set yet, the next plan
 * updates in place. Replacing it instead would take the platform down for nothing.
 */
export async function health(rc: ResourceChange, aws: AwsCli): Promise<{ health: Health; status?: string }> {
  const before = rc.change.before;
  if (!before) return { health: "unhealthy", status: "not found" };
  const probe = STATUS[rc.type];
  if (!probe) return { health: "healthy" };
  const status = String(await probe.read(before, aws));
  if (probe.healthy.includes(status)) return { health: "healthy", status };
  return { health: probe.pending.includes(status) ? "pending" : "unhealthy", status };
}
