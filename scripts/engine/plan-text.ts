/**
 * A Terraform plan read and told: the planned changes that `terraform plan -json` streams, the
 * one-line summary the verbs print and record ("2 to add, ..."), and one line per change.
 */
import { Plan, ResourceChange } from "./adopt";

/**
 * The plan that `terraform plan -json` streamed: its planned changes (address, type, actions),
 * without before/after values. A replacement's order (create or destroy first) and the attributes
 * forcing it are not in the stream: a plan that deletes anything is read with `show -json`.
 */
export function plannedChanges(stdout: string): Plan {
  const actions: Record<string, string[]> = {
    create: ["create"],
    update: ["update"],
    delete: ["delete"],
    replace: ["delete", "create"],
    read: ["read"],
    noop: ["no-op"],
  };
  const changes: ResourceChange[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const event = JSON.parse(line) as any;
    if (event.type !== "planned_change") continue;
    const resource = event.change.resource;
    changes.push({
      address: resource.addr,
      type: resource.resource_type,
      mode: String(resource.addr).startsWith("data.") ? "data" : "managed",
      change: { actions: actions[event.change.action] ?? [event.change.action] },
    });
  }
  return { resource_changes: changes };
}

export function summarize(plan: Plan): string {
  const n = { add: 0, change: 0, destroy: 0, import: 0 };
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === "data") continue;
    const a = rc.change.actions;
    if (a.includes("create")) n.add++;
    if (a.includes("delete")) n.destroy++;
    if (a.length === 1 && a[0] === "update") n.change++;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    if ((rc.change as any).importing) n.import++;
  }
  return `${n.add} to add, ${n.change} to change, ${n.destroy} to destroy${n.import ? `, ${n.import} to import` : ""}`;
}

/** A summary once the plan is applied ("2 added, ..."). */
export function pastTense(summary: string): string {
  return summary.replace("to add", "added").replace("to change", "changed").replace("to destroy", "destroyed").replace("to import", "imported");
}

export function changeLines(plan: Plan): string[] {
  const verbs: Record<string, string> = {
    create: "create",
    update: "update in place",
    delete: "destroy",
    "delete,create": "REPLACE (destroy first)",
    "create,delete": "replace (create first)",
  };
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode !== "data" && rc.change.actions.join(",") !== "no-op")
    .map((rc) => `  ${verbs[rc.change.actions.join(",")] ?? rc.change.actions.join(",")}: ${rc.address}`);
}
