/**
 * Reading and telling a plan (scripts/engine/plan-text.ts): the summary line, and the planned changes
 * of Terraform's machine-readable stream.
 */
import { Plan } from "../../../scripts/engine/adopt";
import { plannedChanges, summarize } from "../../../scripts/engine/plan-text";
import { create } from "../plan-fixtures";

test("the plan summary counts creates, in-place updates, destroys (a replacement is both) and imports", async () => {
  const plan: Plan = {
    resource_changes: [
      create("aws_vpc.a", "aws_vpc", {}),
      { address: "aws_subnet.b", type: "aws_subnet", change: { actions: ["update"] } },
      { address: "aws_eip.c", type: "aws_eip", change: { actions: ["delete", "create"] } },
      { address: "aws_iam_role.d", type: "aws_iam_role", change: { actions: ["no-op"], importing: { id: "d" } } as never },
      { address: "data.aws_region.e", type: "aws_region", mode: "data", change: { actions: ["read"] } },
    ],
  };
  expect(summarize(plan)).toBe("2 to add, 1 to change, 1 to destroy, 1 to import");
});

test("the planned changes of `terraform plan -json` (Terraform 1.11's machine-readable UI) become a plan's resource changes", () => {
  const event = (addr: string, type: string, action: string) =>
    JSON.stringify({
      "@level": "info",
      "@message": `${addr}: Plan to ${action}`,
      type: "planned_change",
      change: { resource: { addr, resource_type: type }, action },
    });
  const stdout = [
    JSON.stringify({ "@level": "info", "@message": "Terraform 1.11.4", type: "version", terraform: "1.11.4", ui: "1.2" }),
    event("aws_cloudwatch_log_group.logs", "aws_cloudwatch_log_group", "update"),
    event("aws_eks_node_group.nodes", "aws_eks_node_group", "replace"),
    event("aws_eks_access_entry.extra", "aws_eks_access_entry", "create"),
    event("data.aws_iam_policy_document.p", "aws_iam_policy_document", "read"),
    JSON.stringify({
      "@level": "info",
      "@message": "Plan: 2 to add, 1 to change, 1 to destroy.",
      type: "change_summary",
      changes: { add: 2, change: 1, remove: 1, operation: "plan" },
    }),
  ].join("\n");
  const plan = plannedChanges(stdout);
  expect(plan.resource_changes!.map((rc) => [rc.address, rc.change.actions.join(",")])).toEqual([
    ["aws_cloudwatch_log_group.logs", "update"],
    ["aws_eks_node_group.nodes", "delete,create"],
    ["aws_eks_access_entry.extra", "create"],
    ["data.aws_iam_policy_document.p", "read"],
  ]);
  expect(summarize(plan)).toBe("2 to add, 1 to change, 1 to destroy");
});
