/**
 * Stage 5, the end of the platform: destroy-all of a partial platform (addons and app never
 * deployed; it names the data volumes it keeps), the state bucket decommissioned by hand as
 * docs/destroy.md says, and nothing of the project left in AWS.
 */
import { existsSync, mkdirSync, readFileSync } from "fs";
import * as path from "path";
import { backupTag } from "../../constructs/backup-tag";
import { IMAGES } from "../../factory-images";
import { appCheckout } from "../fixtures/app-checkout";
import { aws, awsAsync, stateObjects } from "./aws-queries";
import { bootstrapStateFile, config, env, INFRA_STACKS, NEVER_DEPLOYED, SPOT, stack, work } from "./context";
import { run } from "./commands";
import { check, checkEqual, log } from "./report";
import { mustVerb, verb } from "./verbs";

/** destroy-all from this partial platform, and the data volumes it keeps deleted as an operator would. */
export async function destroyPartialPlatform(): Promise<void> {
  const destroyed = await mustVerb("destroy-all", ["--yes"], "destroy-all", SPOT);
  const dataVolumes = (
    (await awsAsync(["ec2", "describe-volumes", "--filters", `Name=tag-key,Values=${backupTag(config.stackPrefix).key}`])).Volumes as { VolumeId: string }[]
  )
    .map((v) => v.VolumeId)
    .sort();
  check(
    "destroy-all names the data volumes it keeps (the stores' volumes outlive the cluster; the vault's recovery points are gone)",
    dataVolumes.length === 3 && dataVolumes.every((id) => destroyed.stderr.includes(id)) && /kept: .*data volume/.test(destroyed.stderr),
    `${dataVolumes.join(" ")}: ${destroyed.stderr
      .split("\n")
      .filter((l) => /kept/.test(l))
      .join(" | ")}`,
  );
  // What the operator does once that data is not needed.
  for (const id of dataVolumes) aws(["ec2", "delete-volume", "--volume-id", id]);
  for (const short of NEVER_DEPLOYED) {
    check(
      `destroy-all of a partial platform: ${stack(short)} (never deployed) is skipped without init`,
      new RegExp(`^${stack(short)}\\s+not deployed \\(no state\\): skipped$`, "m").test(destroyed.stderr) &&
        !destroyed.stderr.includes(`${stack(short)}: terraform init`),
    );
  }
  checkEqual("after destroy-all: no state object, lock or marker left in the bucket but the bucket's own stack's state", stateObjects(), [
    `${stack("state")}/terraform.tfstate`,
  ]);
}

/**
 * The state bucket is protected from destroy (prevent_destroy) on purpose; decommissioning it is
 * the manual step docs/destroy.md describes: empty every version, then delete the bucket.
 */
export function decommissionStateBucket(): void {
  const bucket = config.stateBucket;
  const versions = aws(["s3api", "list-object-versions", "--bucket", bucket]);
  const objects = [...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])].map((v: { Key: string; VersionId: string }) => ({
    Key: v.Key,
    VersionId: v.VersionId,
  }));
  for (let i = 0; i < objects.length; i += 500) {
    aws(["s3api", "delete-objects", "--bucket", bucket, "--delete", JSON.stringify({ Objects: objects.slice(i, i + 500), Quiet: true })]);
  }
  aws(["s3api", "delete-bucket", "--bucket", bucket]);
  log(`decommissioned state bucket ${bucket} (${objects.length} object versions)`);
}

/**
 * Tear down and build again, as an operator does: after destroy-all (and the bucket gone), the
 * same account deploys from scratch with the one command docs/operating.md gives, `deploy-all --source DIR`
 * (docker is a stand-in: no Docker engine here; it puts each image's manifest into ECR with the
 * aws CLI). With no helm or kubernetes provider on this machine the run stops at the add-ons stack.
 * A second run, from a second checkout (another output directory, no local state file), resumes
 * there with nothing redone. AWS frees every name the platform used (moto once kept a deleted
 * backup plan's: the launcher's backup_plan_name_after_delete).
 */
export async function deployAgainAfterDestroy(zoneId: string): Promise<void> {
  const source = appCheckout(work);
  const dockerLog = path.join(work, "docker-stand-in.log");
  const standIn = { ...SPOT, PATH: `${path.join(__dirname, "stand-ins")}:${env.PATH}`, FACTORY_E2E_DOCKER_LOG: dockerLog };
  const addonsStop = new RegExp(
    `^deploy-all: FAILED at step "add-ons: apply ${stack("addons")}" after \\d\\d:\\d\\d \\(exit 1\\): ${stack("addons")}: terraform init exit 1: cannot install provider .*hashicorp/(helm|kubernetes)`,
  );
  const first = await verb("deploy-all", ["--yes", "--source", source.dir], "deploy-all --source (a new account, after destroy-all)", undefined, standIn);
  const pushes = () => (existsSync(dockerLog) ? readFileSync(dockerLog, "utf8").trim().split("\n").filter(Boolean) : []);
  check(
    "deploy-all --source from a new account: infra applied, the four images built and pushed, then it stops at the add-ons naming the missing provider (exit 1)",
    first.status === 1 &&
      addonsStop.test(first.last) &&
      new RegExp(`infra: applied ${INFRA_STACKS.length} stack\\(s\\), 0 unchanged`).test(first.stderr) &&
      /images: built and pushed 4 image\(s\)/.test(first.stderr) &&
      pushes().length === 4,
    `exit ${first.status}: ${first.last}`,
  );
  const repositories = IMAGES.map((image) => `${config.stackPrefix}/${image}`);
  const images = repositories.filter((repo) => {
    const found = aws(["ecr", "describe-images", "--repository-name", repo, "--image-ids", `imageTag=${source.tag}`]);
    return (found.imageDetails ?? []).length === 1;
  });
  checkEqual("deploy-all --source: ECR holds the four images at the source's commit", images, repositories);
  check(
    "deploy-all from a new account: the bootstrap's state moved into the bucket (no local state file)",
    stateObjects().includes(`${stack("state")}/terraform.tfstate`) && !existsSync(bootstrapStateFile()),
  );

  const secondClone = path.join(work, "second-clone", "cdktf.out");
  const again = await verb("deploy-all", ["--yes", "--source", source.dir], "deploy-all --source again, from a second clone", undefined, standIn, secondClone);
  check(
    "deploy-all again from a second clone (no local state file): resumes at the add-ons with nothing redone (every infra stack unchanged, images found in ECR, none pushed), same stop (exit 1)",
    again.status === 1 &&
      addonsStop.test(again.last) &&
      new RegExp(`infra: done before: nothing to apply \\(${INFRA_STACKS.length} stack\\(s\\) unchanged\\)`).test(again.stderr) &&
      /images: done before: all 4 images are in ECR/.test(again.stderr) &&
      pushes().length === 4 &&
      !existsSync(bootstrapStateFile(secondClone)),
    `exit ${again.status}: ${again.last}`,
  );
  upgradeFromLocalStateFile();
  await mustVerb("destroy-all", ["--yes"], "destroy-all (again)", SPOT);
  decommissionStateBucket();
  log("checking that nothing is left, again");
  await verifyNothingLeft(zoneId, " (after the second cycle)");
}

/**
 * A checkout of an earlier release kept the bootstrap's state in a local file (the bucket held none
 * of it): the next apply verb there moves the file into the bucket, then plans no change.
 */
function upgradeFromLocalStateFile(): void {
  const earlier = path.join(work, "earlier-release", "cdktf.out");
  const key = `${stack("state")}/terraform.tfstate`;
  mkdirSync(path.dirname(earlier), { recursive: true });
  aws(["s3", "cp", `s3://${config.stateBucket}/${key}`, bootstrapStateFile(earlier), "--only-show-errors"]);
  aws(["s3api", "delete-object", "--bucket", config.stateBucket, "--key", key]);
  const moved = run("node", ["--require", "./scripts/ts-register.js", "scripts/platform-engine.ts", "apply", "--yes", "--outdir", earlier, stack("state")], {
    logName: "bootstrap-local-file-moved",
  });
  check(
    "an earlier release's local state file of the bootstrap is moved into the bucket by the next apply, which then plans no change",
    moved.status === 0 &&
      moved.stderr.includes(`state moved into s3://${config.stateBucket}/${key}; the local file ${bootstrapStateFile(earlier)} is deleted`) &&
      new RegExp(`^${stack("state")}\\s+no changes$`, "m").test(moved.stderr) &&
      !existsSync(bootstrapStateFile(earlier)) &&
      stateObjects().includes(key),
    `exit ${moved.status}: ${moved.stderr.trim().split("\n").slice(-2).join(" | ")}`,
  );
}

export async function verifyNothingLeft(zoneId: string, when = ""): Promise<void> {
  // The questions side by side: each is an aws process, and nothing else runs now.
  const [vpcs, clusters, repos, certs, records, roles, oidc, aliases, logs, buckets, eips, lts, vaults, plans, snapshots, volumes] = await Promise.all([
    awsAsync(["ec2", "describe-vpcs"]),
    awsAsync(["eks", "list-clusters"]),
    awsAsync(["ecr", "describe-repositories"]),
    awsAsync(["acm", "list-certificates"]),
    awsAsync(["route53", "list-resource-record-sets", "--hosted-zone-id", zoneId]),
    awsAsync(["iam", "list-roles"]),
    awsAsync(["iam", "list-open-id-connect-providers"]),
    awsAsync(["kms", "list-aliases"]),
    awsAsync(["logs", "describe-log-groups", "--log-group-name-prefix", "/aws/"]),
    awsAsync(["s3api", "list-buckets"]),
    awsAsync(["ec2", "describe-addresses"]),
    awsAsync(["ec2", "describe-launch-templates"]),
    awsAsync(["backup", "list-backup-vaults"]),
    awsAsync(["backup", "list-backup-plans"]),
    awsAsync(["ec2", "describe-snapshots", "--owner-ids", "self"]),
    awsAsync(["ec2", "describe-volumes"]),
  ]);
  const [alarms, topics, rules] = await Promise.all([
    awsAsync(["cloudwatch", "describe-alarms", "--alarm-name-prefix", `${config.stackPrefix}-`]),
    awsAsync(["sns", "list-topics"]),
    awsAsync(["events", "list-rules", "--name-prefix", config.stackPrefix]),
  ]);
  checkEqual(`no alarm left${when}`, alarms.MetricAlarms, []);
  checkEqual(`no SNS topic left${when}`, topics.Topics ?? [], []);
  checkEqual(`no EventBridge rule left${when}`, rules.Rules ?? [], []);
  checkEqual(`no VPC left (but the default)${when}`, vpcs.Vpcs.filter((v: { IsDefault: boolean }) => !v.IsDefault).length, 0);
  checkEqual(`no EKS cluster left${when}`, clusters.clusters, []);
  checkEqual(`no ECR repository left${when}`, repos.repositories, []);
  checkEqual(`no certificate left${when}`, certs.CertificateSummaryList, []);
  checkEqual(
    `no record left in the hosted zone${when}`,
    records.ResourceRecordSets.filter((r: { Type: string }) => !["NS", "SOA"].includes(r.Type)),
    [],
  );
  checkEqual(
    `no IAM role left${when}`,
    roles.Roles.map((r: { RoleName: string }) => r.RoleName).filter((n: string) => n.startsWith(config.clusterName)),
    [],
  );
  checkEqual(`no OIDC provider left${when}`, oidc.OpenIDConnectProviderList, []);
  checkEqual(
    `no KMS alias left (the key is pending deletion)${when}`,
    aliases.Aliases.filter((a: { AliasName: string }) => a.AliasName.includes(config.clusterName)),
    [],
  );
  checkEqual(`no log group left${when}`, logs.logGroups, []);
  checkEqual(`no S3 bucket left${when}`, buckets.Buckets, []);
  checkEqual(`no Elastic IP left${when}`, eips.Addresses, []);
  checkEqual(`no launch template left${when}`, lts.LaunchTemplates ?? [], []);
  checkEqual(`no backup vault left (destroy-all emptied and deleted it)${when}`, vaults.BackupVaultList, []);
  checkEqual(`no backup plan left${when}`, plans.BackupPlansList, []);
  // moto answers --owner-ids self with its AMIs' snapshots too (other owners): only the account's count.
  checkEqual(
    `no snapshot left (the recovery points went with the vault)${when}`,
    snapshots.Snapshots.filter((s: { OwnerId: string }) => s.OwnerId === config.accountId).map((s: { SnapshotId: string }) => s.SnapshotId),
    [],
  );
  checkEqual(
    `no volume left${when}`,
    volumes.Volumes.map((v: { VolumeId: string }) => v.VolumeId),
    [],
  );
}
