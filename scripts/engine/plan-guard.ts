/**
 * The guard against destructive plans. Before a verb applies a stack, its saved plan
 * (`terraform show -json tfplan`) is inspected: a plan that deletes or replaces a protected
 * resource stops the verb before it changes that stack, with one line per resource (address,
 * action, the attribute that forces it), unless the operator names the address with
 * --allow-replace. The plan-safety rehearsal (scripts/plan-safety.ts) judges plans by the same rule.
 *
 * Why not `prevent_destroy`: it also fails `terraform destroy`, and destroy-all must keep working;
 * and it cannot tell a node group that is rolled (its successor created first) from one that is
 * deleted. `create_before_destroy` is used where it does the job (the node group).
 */
import { Plan, ResourceChange } from "./adopt";

export interface ProtectedKind {
  readonly type: string;
  /** only the resources of this type whose address matches (the data stores' objects in the app stack) */
  readonly address?: RegExp;
  /** a replacement that creates the successor first is safe (a node group rolls) */
  readonly createFirstIsSafe?: boolean;
}

/**
 * What must never go away by accident: the cluster and its nodes, the network, the repositories
 * and their images, the keys that encrypt secrets, the identity provider every IRSA role trusts,
 * the certificate, the state bucket, and the data stores (a StatefulSet's volumes, the Service its
 * clients resolve, the Secret and generated passwords that open it).
 */
export const PROTECTED: readonly ProtectedKind[] = [
  { type: "aws_eks_cluster" },
  { type: "aws_eks_node_group", createFirstIsSafe: true },
  { type: "aws_vpc" },
  { type: "aws_subnet" },
  { type: "aws_nat_gateway" },
  { type: "aws_ecr_repository" },
  { type: "aws_kms_key" },
  // Replaced with force_destroy, the vault's recovery points would go with it.
  { type: "aws_backup_vault" },
  { type: "aws_iam_openid_connect_provider" },
  { type: "aws_acm_certificate" },
  { type: "aws_s3_bucket" },
  // Replacing the namespace deletes everything in it, data stores included, server-side.
  { type: "kubernetes_namespace_v1" },
  { type: "kubernetes_stateful_set_v1" },
  // The data stores' constructs live under the app stack's "data" scope (ids are stable).
  { type: "kubernetes_service_v1", address: /^kubernetes_service_v1\.data_/ },
  { type: "kubernetes_secret_v1", address: /^kubernetes_secret_v1\.data_/ },
  { type: "random_password", address: /^random_password\.data_/ },
];

export interface Violation {
  readonly address: string;
  /** "destroy", "replace (destroy first)" or "replace (create first)" */
  readonly action: string;
  /** the attribute(s) forcing a replacement, or why Terraform deletes it */
  readonly cause: string;
}

type Change = ResourceChange & {
  readonly action_reason?: string;
  /** set on the object a create-before-destroy replacement left behind (cut off before its delete) */
  readonly deposed?: string;
  readonly change: ResourceChange["change"] & { readonly replace_paths?: readonly (readonly (string | number)[])[] };
};

const REASONS: Record<string, string> = {
  delete_because_no_resource_config: "removed from the code",
  delete_because_no_module: "its module was removed",
  delete_because_count_index: "count reduced",
  delete_because_each_key: "for_each key removed",
  replace_because_tainted: "tainted in state",
  replace_by_request: "replacement requested (-replace)",
  replace_by_triggers: "replace_triggered_by",
  replace_because_cannot_update: "an attribute that cannot change in place",
};

function protectedKind(rc: ResourceChange): ProtectedKind | undefined {
  return PROTECTED.find((k) => k.type === rc.type && (!k.address || k.address.test(rc.address)));
}

function path(p: readonly (string | number)[]): string {
  return p.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

export function actionName(actions: readonly string[]): string {
  const key = actions.join(",");
  return key === "delete" ? "destroy" : key === "delete,create" ? "replace (destroy first)" : key === "create,delete" ? "replace (create first)" : key;
}

/** Whether the change deletes an object (a destroy, or either kind of replacement). */
export function deletes(rc: ResourceChange): boolean {
  return rc.mode !== "data" && rc.change.actions.includes("delete");
}

/** Every protected resource the plan deletes or replaces unsafely, whether allowed or not. */
export function violations(plan: Plan): Violation[] {
  const out: Violation[] = [];
  for (const rc of (plan.resource_changes ?? []) as Change[]) {
    if (!deletes(rc)) continue;
    const kind = protectedKind(rc);
    if (!kind) continue;
    const createFirst = rc.change.actions.join(",") === "create,delete";
    // A deposed object is the old half of a roll whose successor exists: finishing the roll is safe.
    if ((createFirst || rc.deposed) && kind.createFirstIsSafe) continue;
    const paths = rc.change.replace_paths ?? [];
    const cause = paths.length ? `forced by ${paths.map(path).join(", ")}` : (REASONS[rc.action_reason ?? ""] ?? rc.action_reason ?? "planned");
    out.push({ address: rc.address, action: actionName(rc.change.actions), cause });
  }
  return out;
}

/** The guard's verdict: the violations --allow-replace names (by address, or stack:address), and the others. */
export function guardPlan(plan: Plan, stack: string, allowReplace: ReadonlySet<string>): { blocked: Violation[]; allowed: Violation[] } {
  const isAllowed = (v: Violation) => allowReplace.has(v.address) || allowReplace.has(`${stack}:${v.address}`);
  const all = violations(plan);
  return { blocked: all.filter((v) => !isAllowed(v)), allowed: all.filter(isAllowed) };
}

/** The lines a blocked verb prints: one per resource. */
export function violationLines(stack: string, list: readonly Violation[]): string[] {
  return list.map((v) => `${stack}: ${v.address}: ${v.action}, ${v.cause}`);
}
