/**
 * npm run check-versions against the local AWS API (its AMI parameters and add-on catalog: the
 * launcher's ssm_eks_optimized_ami and eks_addons patches): versions.yaml as committed is current,
 * and a table with older pins is reported newer, naming each, with exit 2.
 */
import { readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { VERSIONS_FILE } from "../../versions";
import { run } from "./commands";
import { work } from "./context";
import { check, log, recordTime } from "./report";

function checkVersions(label: string, args: string[]) {
  const r = run("node", ["--require", "./scripts/ts-register.js", "scripts/check-versions.ts", ...args], { logName: label });
  recordTime(label, r.seconds);
  const last = `${r.stdout}${r.stderr}`.trim().split("\n").pop() ?? "";
  log(`${label}: exit ${r.status}: ${last}`);
  return { status: r.status, stdout: r.stdout, last };
}

export function verifyCheckVersions(): void {
  const committed = checkVersions("check-versions", []);
  check(
    "check-versions: the committed pins are what the local AWS API recommends (exit 0, last line says so)",
    committed.status === 0 && committed.last === "check-versions: every pin is at or above what AWS recommends",
    committed.last,
  );
  check(
    "check-versions: a minor without an AMI parameter (1.34) is reported, not an error",
    /^1\.34 node AMI \(AL2023 x86_64 standard\) +- +AWS names no recommendation for this minor$/m.test(committed.stdout),
    committed.stdout,
  );
  const older = parse(readFileSync(VERSIONS_FILE, "utf8"));
  older.kubernetes.nodeAmiReleases["1.35"] = "1.35.7-20260801";
  older.kubernetes.eksAddons["1.35"].coredns = "v1.13.2-eksbuild.11";
  const file = path.join(work, "versions-older.yaml");
  writeFileSync(file, stringify(older));
  const stale = checkVersions("check-versions (older pins)", ["--versions", file, "--kubernetes-version", "1.35"]);
  check(
    "check-versions: older pins are reported newer with what AWS recommends (exit 2, the last line names each)",
    stale.status === 2 &&
      stale.last === "check-versions: 2 newer than pinned: 1.35 node AMI (AL2023 x86_64 standard) 1.35.7-20260827, 1.35 add-on coredns v1.14.3-eksbuild.3",
    stale.last,
  );
}
