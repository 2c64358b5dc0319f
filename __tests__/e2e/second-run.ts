/**
 * Stage 2, the runs after the first deployment: an out-of-band change that drift reports for its
 * stack only and diff shows; deploy-infra putting it back while it rolls the node group to SPOT
 * (the new group ACTIVE before the old one goes; the other stacks left alone); drift in sync
 * again; the bootstrap from another checkout planned with no change.
 */
import * as path from "path";
import { ZONE_COUNT } from "../../config";
import { aws } from "./aws-queries";
import { run } from "./commands";
import { config, INFRA_STACKS, OTHER_STACKS, Short, SPOT, stack, work } from "./context";
import { check, checkEqual, recordDriftTable } from "./report";
import { mustVerb, Verb, verb } from "./verbs";

/** deploy-infra's stacks but eks, the one changed out of band: in sync, and left alone by the verb. */
const UNTOUCHED = INFRA_STACKS.filter((s) => s !== "eks");

/**
 * A change made outside the code (the cluster log group's retention, with the aws CLI) is reported
 * for exactly its stack; the verb brings it back and changes nothing else.
 */
export async function driftThenRoll(): Promise<void> {
  const logGroup = `/aws/eks/${config.clusterName}/cluster`;
  aws(["logs", "put-retention-policy", "--log-group-name", logGroup, "--retention-in-days", "7"]);
  const drifted = await verb("drift", [], "drift (out-of-band change)");
  recordDriftTable(drifted.stderr);
  check(
    "drift after an out-of-band change: exit 2, the last line names the eks stack only, with the one change and its estimated monthly cost (log storage for 90 days instead of 7: +$0.41 from prices.yaml and usage.yaml)",
    drifted.status === 2 &&
      /drift: DRIFTED: attractor-factory-eks \(0 to add, 1 to change, 0 to destroy; est\. \+\$0\.41\/month\) differ from the code; 6 in sync, 3 not deployed$/.test(
        drifted.last,
      ),
    `exit ${drifted.status}: ${drifted.last}`,
  );
  check(
    "drift names the changed resource: the log group, updated in place",
    /attractor-factory-eks:\s+update in place: aws_cloudwatch_log_group\./.test(drifted.stderr),
  );
  for (const short of UNTOUCHED) {
    check(`drift: ${stack(short)} in sync`, new RegExp(`^${stack(short)}\\s+in sync$`, "m").test(drifted.stderr));
  }
  for (const short of OTHER_STACKS) {
    check(`drift: ${stack(short)} (no state) is "not deployed", not an error`, new RegExp(`^${stack(short)}\\s+not deployed$`, "m").test(drifted.stderr));
  }
  const diff = await verb("diff", ["eks"], "diff eks");
  check(
    "npm run diff -- eks: exit 2, the whole plan with the retention change",
    diff.status === 2 && /retention_in_days\s+= 7 -> 90/.test(diff.stderr),
    `exit ${diff.status}: ${diff.last}`,
  );
  // The same run makes a routine change that AWS cannot make in place: the node group's capacity
  // type. It must roll: the new group created (and ACTIVE) before the old one is deleted.
  const groupBefore = aws(["eks", "list-nodegroups", "--cluster-name", config.clusterName]).nodegroups as string[];
  const again = await mustVerb("deploy-infra", ["--yes"], "deploy-infra (again, SPOT)", SPOT);
  noChangesFor(again, UNTOUCHED);
  check(
    "deploy-infra puts the drifted retention back and rolls the node groups: eks 2 added, 1 changed, 2 destroyed; est. -$83.69/month, -$251.88 at max (2 or 6 nodes at the spot share of on-demand, +$0.41 of log storage)",
    /^attractor-factory-eks\s+applied: 2 added, 1 changed, 2 destroyed in \d+ s; est\. -\$83\.69\/month \(-\$251\.88 at max\)$/m.test(again.stderr),
    again.stderr
      .split("\n")
      .filter((l) => l.startsWith(stack("eks")))
      .join(" | "),
  );
  checkEqual(
    "the log group's retention is the code's again",
    aws(["logs", "describe-log-groups", "--log-group-name-prefix", logGroup]).logGroups[0].retentionInDays,
    config.logRetentionDays,
  );
  verifyRoll(again, groupBefore);
}

function noChangesFor(r: Verb, shorts: Short[]): void {
  for (const short of shorts) {
    const line = new RegExp(`^${stack(short)}\\s+no changes$`, "m");
    check(
      `second plan of ${stack(short)} has no changes (the verb left it alone)`,
      line.test(r.stderr),
      r.stderr
        .split("\n")
        .filter((l) => l.startsWith(stack(short)))
        .join(" | "),
    );
  }
}

function verifyRoll(rolled: Verb, before: string[]): void {
  check("node group roll: deploy-infra exit 0", rolled.status === 0, `exit ${rolled.status}: ${rolled.last}`);
  check(
    "node group roll: the plan replaces the node group create-first, and nothing destroy-first",
    /replace \(create first\): aws_eks_node_group\./.test(rolled.stderr) && !/REPLACE \(destroy first\)/.test(rolled.stderr),
    rolled.stderr
      .split("\n")
      .filter((l) => /replace/i.test(l))
      .join(" | "),
  );
  const at = (re: RegExp) => [...rolled.stderr.matchAll(re)].map((m) => m.index!);
  const created = at(/aws_eks_node_group\.\S+: Creation complete/g);
  // An old group starts draining when Terraform starts destroying it (the deposed object).
  const destroyed = at(/aws_eks_node_group\.\S+ \(deposed object \w+\): Destroying\.\.\./g);
  check(
    "node group roll: every zone's new group was ACTIVE before the first old one began to drain (no zone without nodes)",
    created.length === ZONE_COUNT && destroyed.length === ZONE_COUNT && Math.max(...created) < Math.min(...destroyed),
    `created at ${created.join(",")}, destroyed at ${destroyed.join(",")}`,
  );
  const after = aws(["eks", "list-nodegroups", "--cluster-name", config.clusterName]).nodegroups as string[];
  const groups = after.map((name) => aws(["eks", "describe-nodegroup", "--cluster-name", config.clusterName, "--nodegroup-name", name]).nodegroup);
  check(
    "node group roll: a group a zone, each under a new generated name, SPOT",
    after.length === ZONE_COUNT && after.every((n) => !before.includes(n) && /^default-z\d-/.test(n)) && groups.every((g) => g.capacityType === "SPOT"),
    JSON.stringify({ before, after, capacity: groups.map((g) => g.capacityType) }),
  );
}

/** drift once deploy-infra re-applied (beside the guard and the rehearsal). */
export function driftAfterReapply(): Promise<Verb> {
  return verb("drift", [], "drift (after deploy-infra)", undefined, SPOT);
}

export function checkInSync(inSync: Verb): void {
  check(
    "drift after the verb re-applied: exit 0, in sync",
    inSync.status === 0 && /drift: in sync: every deployed stack matches the code: 7 in sync, 3 not deployed$/.test(inSync.last),
    `exit ${inSync.status}: ${inSync.last}`,
  );
}

/**
 * From another checkout (an output directory with no local state file beside it), the bucket's
 * stack is planned from its state in the bucket: no change, never applied again (that would try
 * to create the bucket a second time).
 */
export function bootstrapElsewhere(): void {
  const aside = path.join(work, "aside", "cdktf.out");
  const otherCheckout = run(
    "node",
    ["--require", "./scripts/ts-register.js", "scripts/platform-engine.ts", "apply", "--yes", "--outdir", aside, stack("state")],
    {
      logName: "bootstrap-elsewhere",
    },
  );
  check(
    "the bootstrap from another checkout (no local state file) plans no change: its state is in the bucket",
    otherCheckout.status === 0 && new RegExp(`^${stack("state")}\\s+no changes$`, "m").test(otherCheckout.stderr),
    `exit ${otherCheckout.status}: ${otherCheckout.stderr.trim().split("\n").slice(-3).join(" | ")}`,
  );
}
