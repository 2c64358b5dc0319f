/**
 * The plan-safety rehearsal (npm run plan-safety) on the deployed platform: every routine change
 * of scripts/lib/routine-changes.ts whose stacks deploy-infra deploys is planned, not empty and
 * safe; the rest (the app stack's) is reported not deployed.
 */
import { spawn } from "child_process";
import { existsSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { ZONE_COUNT } from "../../config";
import { ROUTINE_CHANGES } from "../../scripts/lib/routine-changes";
import type { Row as PlanSafetyRow } from "../../scripts/plan-safety";
import { Run } from "./commands";
import { env, INFRA_STACKS, logDir, root, work } from "./context";
import { check, log, recordPlanSafetyTable, recordTime } from "./report";

const deployed: readonly string[] = INFRA_STACKS;
/** The routine changes this platform can plan: every stack they touch is deployed here. */
const PLANNED = ROUTINE_CHANGES.filter((c) => c.stacks.every((s) => deployed.includes(s)));
/** The changes that roll the node group (successor first), by the changes' own definition. */
const ROLLING = PLANNED.filter((c) => c.rolled?.includes("aws_eks_node_group"));

/** The plan-safety rehearsal (npm run plan-safety): every routine change planned, none unsafe. */
export async function planSafety(extraEnv: Record<string, string>): Promise<void> {
  const json = path.join(work, "plan-safety.json");
  const r = await new Promise<Run>((resolve) => {
    const start = Date.now();
    const child = spawn(
      "node",
      ["--require", "./scripts/ts-register.js", "scripts/plan-safety.ts", "--outdir", path.join(work, "plan-safety"), "--json", json],
      { cwd: root, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += String(d)));
    child.stderr!.on("data", (d) => (stderr += String(d)));
    child.on("close", (status) => {
      writeFileSync(path.join(logDir, "plan-safety.log"), `${stdout}\n${stderr}`);
      resolve({ status, stdout, stderr, seconds: (Date.now() - start) / 1000 });
    });
  });
  recordTime("plan-safety rehearsal", r.seconds);
  log(`plan-safety: exit ${r.status} in ${r.seconds.toFixed(0)} s`);
  recordPlanSafetyTable(r.stdout);
  check("plan-safety: exit 0 (every planned routine change is safe)", r.status === 0, r.stderr.trim().split("\n").pop());
  const rows = (existsSync(json) ? JSON.parse(readFileSync(json, "utf8")) : []) as PlanSafetyRow[];
  const row = (name: string) => rows.find((x) => x.change === name);
  for (const { name, emptyIsSafe } of PLANNED) {
    const x = row(name);
    if (emptyIsSafe) {
      check(`plan-safety: ${name}: an empty plan, as expected (${emptyIsSafe})`, x?.verdict === emptyIsSafe, x?.verdict);
      continue;
    }
    check(
      `plan-safety: ${name}: planned, not empty, no protected resource deleted before its successor exists`,
      !!x && x.planned && x.ok && x.add + x.update + x.destroy > 0 && !/UNSAFE/.test(x.verdict),
      JSON.stringify(x),
    );
  }
  check(
    "plan-safety: NAT gateway per AZ costs a second gateway and its address a month (est. +$36.50 from prices.yaml)",
    row("NAT gateway per AZ")?.cost === "est. +$36.50/month",
    row("NAT gateway per AZ")?.cost,
  );
  check(
    "plan-safety: node min/desired/max +1 a zone costs two spot nodes and their root volumes a month (est. +$64.06)",
    row("node min/desired/max +1 a zone")?.cost === "est. +$64.06/month",
    row("node min/desired/max +1 a zone")?.cost,
  );
  const bump = row("node AMI release bump");
  check(
    "plan-safety: an AMI release bump updates each zone's node group in place (one node at a time in each), nothing replaced",
    bump?.verdict === "safe: in place (aws_eks_node_group)" && bump.update === ZONE_COUNT && bump.add === 0 && bump.destroy === 0,
    JSON.stringify(bump),
  );
  const upgrade = row("next Kubernetes minor");
  const inPlace = /^safe: in place \(([^)]*)\)/.exec(upgrade?.verdict ?? "")?.[1].split(", ") ?? [];
  check(
    "upgrade rehearsal: the next Kubernetes minor updates cluster, node group and add-ons in place",
    ["aws_eks_cluster", "aws_eks_node_group", "aws_eks_addon"].every((t) => inPlace.includes(t)) && upgrade?.destroy === 0,
    upgrade?.verdict,
  );
  for (const { name } of ROLLING) {
    check(
      `plan-safety: ${name} rolls the node group (successor first)`,
      /rolled, successor first \(aws_eks_node_group\)/.test(row(name)?.verdict ?? ""),
      row(name)?.verdict,
    );
  }
  check(
    "plan-safety: the app stack's replica bounds are reported not deployed here (no kubernetes provider), not passed",
    /^not deployed/.test(row("API/web replica bounds")?.verdict ?? "") && row("API/web replica bounds")?.planned === false,
    row("API/web replica bounds")?.verdict,
  );
}
