/**
 * Stage 5, the end of the platform: destroy-all of a partial platform (addons and app never
 * deployed; it names the data volumes it keeps), the state bucket decommissioned by hand as README
 * says, and nothing of the project left in AWS.
 */
import { existsSync, rmSync } from "fs";
import * as path from "path";
import { backupTag } from "../../constructs/backup-tag";
import { aws, awsAsync, stateObjects } from "./aws-queries";
import { config, NEVER_DEPLOYED, outdir, SPOT, stack } from "./context";
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
  checkEqual("after destroy-all: no state object, lock or marker left in the bucket", stateObjects(), []);
}

/**
 * The state bucket is protected from destroy (prevent_destroy) on purpose; decommissioning it is
 * the manual step README describes: empty every version, then delete the bucket.
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
  const stateFile = path.join(path.dirname(outdir), `terraform.${stack("state")}.tfstate`);
  if (existsSync(stateFile)) rmSync(stateFile);
  log(`decommissioned state bucket ${bucket} (${objects.length} object versions)`);
}

/**
 * Tear down and build again, as an operator does: after destroy-all (and the bucket gone), the
 * same account deploys from scratch, and goes again. AWS frees every name the platform used
 * (moto once kept a deleted backup plan's: the launcher's backup_plan_name_after_delete).
 */
export async function deployAgainAfterDestroy(zoneId: string): Promise<void> {
  const again = await verb("deploy-infra", ["--yes"], "deploy-infra (same account, after destroy-all)", undefined, SPOT);
  check(
    "tear down and build again: after destroy-all the same account deploys again (deploy-infra exit 0, last line says done)",
    again.status === 0 && /deploy-infra: done$/.test(again.last),
    again.last,
  );
  await mustVerb("destroy-all", ["--yes"], "destroy-all (again)", SPOT);
  decommissionStateBucket();
  log("checking that nothing is left, again");
  await verifyNothingLeft(zoneId, " (after the second cycle)");
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
    awsAsync(["logs", "describe-log-groups", "--log-group-name-prefix", `/aws/eks/${config.clusterName}`]),
    awsAsync(["s3api", "list-buckets"]),
    awsAsync(["ec2", "describe-addresses"]),
    awsAsync(["ec2", "describe-launch-templates"]),
    awsAsync(["backup", "list-backup-vaults"]),
    awsAsync(["backup", "list-backup-plans"]),
    awsAsync(["ec2", "describe-snapshots", "--owner-ids", "self"]),
    awsAsync(["ec2", "describe-volumes"]),
  ]);
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
