/**
 * From one node group to one a zone, on a deployed platform. A platform deployed before the
 * node groups were split has one managed group spanning both private subnets, at the address the
 * first zone's group keeps. That platform is made here from the deployed one (the zones' groups
 * deleted, one spanning group created in their place with the same role, launch template, labels
 * and sizes, and imported at that address), as the earlier release of this code left it. Then the
 * plan-safety rehearsal's "pending code change" judges the upgrade, and deploy-infra applies it:
 * every zone's group is created (ACTIVE) before the spanning group is deleted.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { ZONE_COUNT } from "../../config";
import type { Row as PlanSafetyRow } from "../../scripts/plan-safety";
import { aws } from "./aws-queries";
import { succeeded, run } from "./commands";
import { config, SPOT, stackDir, work } from "./context";
import { check, log, recordTime } from "./report";
import { mustVerb } from "./verbs";

const ADDRESS = /^aws_eks_node_group\./;

/** The eks stack's node groups as EKS describes them. */
function nodeGroups() {
  const names = aws(["eks", "list-nodegroups", "--cluster-name", config.clusterName]).nodegroups as string[];
  return names.map((name) => aws(["eks", "describe-nodegroup", "--cluster-name", config.clusterName, "--nodegroup-name", name]).nodegroup);
}

/** The platform as the single-group release left it: one group over both private subnets, in the state at the first zone's address. */
function makeSingleGroupPlatform(): string {
  const dir = stackDir("eks");
  const groups = nodeGroups();
  const first = groups[0];
  const addresses = succeeded("terraform state list (eks)", run("terraform", ["state", "list"], { cwd: dir }))
    .stdout.split("\n")
    .filter((a) => ADDRESS.test(a));
  const firstZoneAddress = addresses.find((a) => /\.nodes_node-group_[0-9A-F]{8}$/.test(a));
  if (!firstZoneAddress) throw new Error(`no first-zone node group in the eks state: ${addresses.join(", ")}`);
  for (const a of addresses) succeeded(`terraform state rm ${a}`, run("terraform", ["state", "rm", a], { cwd: dir, logName: "migration-state-rm" }));
  for (const g of groups) aws(["eks", "delete-nodegroup", "--cluster-name", config.clusterName, "--nodegroup-name", g.nodegroupName]);
  const total = (k: "minSize" | "desiredSize" | "maxSize") => groups.reduce((n, g) => n + Number(g.scalingConfig[k]), 0);
  const name = "default-20251130120000000000000001";
  aws([
    "eks",
    "create-nodegroup",
    "--cluster-name",
    config.clusterName,
    "--nodegroup-name",
    name,
    "--subnets",
    ...groups.flatMap((g) => g.subnets as string[]),
    "--node-role",
    first.nodeRole,
    "--ami-type",
    first.amiType,
    "--capacity-type",
    first.capacityType,
    "--instance-types",
    ...(first.instanceTypes as string[]),
    "--scaling-config",
    `minSize=${total("minSize")},desiredSize=${total("desiredSize")},maxSize=${total("maxSize")}`,
    "--update-config",
    "maxUnavailable=1",
    "--launch-template",
    `id=${first.launchTemplate.id},version=${first.launchTemplate.version}`,
    "--labels",
    Object.entries(first.labels as Record<string, string>)
      .map(([k, v]) => `${k}=${v}`)
      .join(","),
    "--kubernetes-version",
    first.version,
  ]);
  succeeded(
    `terraform import ${firstZoneAddress}`,
    run("terraform", ["import", firstZoneAddress, `${config.clusterName}:${name}`], { cwd: dir, logName: "migration-import" }),
  );
  return name;
}

/** plan-safety's "pending code change" on the single-group platform. */
function pendingChange(): PlanSafetyRow | undefined {
  const json = path.join(work, "migration-plan-safety.json");
  const r = run(
    "node",
    [
      "--require",
      "./scripts/ts-register.js",
      "scripts/plan-safety.ts",
      "--outdir",
      path.join(work, "migration-plan-safety"),
      "--json",
      json,
      "--only",
      "pending code change",
    ],
    { extraEnv: SPOT, logName: "migration-plan-safety" },
  );
  recordTime("plan-safety (pending code change)", r.seconds);
  log(`plan-safety (pending code change): exit ${r.status}: ${r.stdout.trim().split("\n").pop()}`);
  return (JSON.parse(readFileSync(json, "utf8")) as PlanSafetyRow[])[0];
}

export async function migrateFromOneGroup(): Promise<void> {
  log("node groups: the single-group platform of the earlier release, then the upgrade to one a zone");
  const spanning = makeSingleGroupPlatform();
  const row = pendingChange();
  check(
    "migration: plan-safety judges the upgrade safe: the first zone's group replaces the spanning one, successor first, and the other zones' are added",
    row?.ok === true &&
      row.verdict === "safe: rolled, successor first (aws_eks_node_group); added (aws_eks_node_group)" &&
      row.add === ZONE_COUNT &&
      row.destroy === 1,
    JSON.stringify(row),
  );
  const applied = await mustVerb("deploy-infra", ["--yes"], "deploy-infra (one node group a zone)", SPOT);
  const at = (re: RegExp) => [...applied.stderr.matchAll(re)].map((m) => m.index!);
  const created = at(/aws_eks_node_group\.\S+: Creation complete/g);
  // The old group starts draining when Terraform starts destroying it (the deposed object).
  const destroyed = at(/aws_eks_node_group\.\S+ \(deposed object \w+\): Destroying\.\.\./g);
  check(
    "migration: every zone's group was ACTIVE before the spanning group began to drain (never without ready nodes)",
    created.length === ZONE_COUNT && destroyed.length === 1 && Math.max(...created) < destroyed[0],
    `created at ${created.join(",")}, destroyed at ${destroyed.join(",")}`,
  );
  const groups = nodeGroups();
  check(
    "migration: a group in each private subnet, the spanning one gone",
    groups.length === ZONE_COUNT &&
      groups.every((g) => g.subnets.length === 1 && g.nodegroupName !== spanning) &&
      new Set(groups.flatMap((g) => g.subnets)).size === ZONE_COUNT,
    JSON.stringify(groups.map((g) => [g.nodegroupName, g.subnets])),
  );
}
