/**
 * Stage 4's restore: restore-data-store with the AWS half for real and a kubectl stand-in, from the
 * plan (nothing changed), through a restore that fails in the middle and rolls back, to a restore.
 */
import { mkdirSync, existsSync, readFileSync, symlinkSync, writeFileSync } from "fs";
import * as path from "path";
import { backupTag } from "../../constructs/backup-tag";
import { Rule, writeRules } from "../scripts/harness";
import { awsAsync } from "./aws-queries";
import { outputs } from "./commands";
import { config, env, root, work } from "./context";
import { check } from "./report";
import { verb } from "./verbs";

/**
 * restore-data-store with the AWS half for real (AWS Backup and EC2 in moto, through the real aws
 * CLI) and a stand-in for kubectl (no cluster here; __tests__/fakes/bin/kubectl answers the reads
 * of a postgres StatefulSet, records every call and the manifests it is given). Postgres's volume
 * is created as the EBS CSI driver would (its claim's tags and the backup tag, in the node group's
 * second zone), and backed up twice, as the daily rule would. Then: the plan (no --yes) changes
 * nothing; a restore whose new claim is refused rolls back; a restore succeeds.
 */
export async function verifyRestore(): Promise<void> {
  const [backupOut, net] = [outputs("backup"), outputs("network")];
  const zones = ((await awsAsync(["ec2", "describe-subnets", "--subnet-ids", ...net.PrivateSubnetIds])).Subnets as { AvailabilityZone: string }[])
    .map((s) => s.AvailabilityZone)
    .sort();
  const zone = zones[zones.length - 1]; // not the first: the verb must keep the volume's zone
  const tag = backupTag(config.stackPrefix);
  const claim = "data-postgres-0";
  const claimTags = [
    `{Key=${tag.key},Value=${tag.value}}`,
    `{Key=kubernetes.io/created-for/pvc/name,Value=${claim}}`,
    `{Key=kubernetes.io/created-for/pvc/namespace,Value=${config.namespace}}`,
  ];
  const volume = await awsAsync([
    "ec2",
    "create-volume",
    "--availability-zone",
    zone,
    "--size",
    "20",
    "--volume-type",
    "gp3",
    "--encrypted",
    "--tag-specifications",
    `ResourceType=volume,Tags=[${claimTags.join(",")}]`,
  ]);
  const volumeArn = `arn:aws:ec2:${config.region}:${config.accountId}:volume/${volume.VolumeId}`;
  const backupJob = () =>
    awsAsync([
      "backup",
      "start-backup-job",
      "--backup-vault-name",
      backupOut.BackupVaultName,
      "--resource-arn",
      volumeArn,
      "--iam-role-arn",
      backupOut.BackupRoleArn,
    ]);
  await backupJob();
  const latest = (await backupJob()).RecoveryPointArn as string;
  const snapshot = latest.split("/").pop()!;
  const claimVolumes = async () =>
    (await awsAsync(["ec2", "describe-volumes", "--filters", `Name=tag:kubernetes.io/created-for/pvc/name,Values=${claim}`])).Volumes as {
      VolumeId: string;
      AvailabilityZone: string;
      SnapshotId?: string;
      Tags?: { Key: string; Value: string }[];
    }[];

  const bin = path.join(work, "kubectl-stand-in", "bin");
  mkdirSync(bin, { recursive: true });
  symlinkSync(path.join(root, "__tests__", "fakes", "bin", "kubectl"), path.join(bin, "kubectl"));
  const reads: Rule[] = [
    { match: "kubectl * get statefulset postgres -o jsonpath={.spec.replicas}", stdout: "1" },
    { match: "kubectl * get statefulset postgres -o jsonpath={.spec.volumeClaimTemplates*", stdout: '{"app.kubernetes.io/name":"postgres"}' },
    { match: `kubectl * get pvc ${claim} *`, stdout: "pvc-e2e gp3-retain 20Gi" },
    { match: "kubectl * get pv pvc-e2e *", stdout: `${volume.VolumeId} Retain` },
  ];
  const restore = async (label: string, args: string[], rules: Rule[] = []) => {
    const dir = path.join(work, "kubectl-stand-in", label.replace(/\W+/g, "-"));
    mkdirSync(dir);
    writeRules(path.join(dir, "rules"), [...rules, ...reads]);
    writeFileSync(path.join(dir, "calls"), "");
    const r = await verb("restore-data-store", ["postgres", "--poll-interval", "1", ...args], label, undefined, {
      PATH: `${bin}:${env.PATH}`,
      FAKE_HOME: path.join(root, "__tests__", "fakes"),
      FAKE_LOG: path.join(dir, "calls"),
      FAKE_RULES: path.join(dir, "rules"),
      FAKE_STDERR_kubectl: 'Error from server (Forbidden): persistentvolumeclaims "data-postgres-0" is forbidden: exceeded quota',
    });
    const calls = readFileSync(path.join(dir, "calls"), "utf8").split("\n").filter(Boolean);
    const manifests = existsSync(path.join(dir, "calls.stdin"))
      ? readFileSync(path.join(dir, "calls.stdin"), "utf8")
          .split(/^---$/m)
          .filter((m) => m.trim())
          .map((m) => JSON.parse(m))
      : [];
    return { ...r, calls, manifests };
  };
  const index = (calls: string[], pattern: RegExp) => calls.findIndex((c) => pattern.test(c));
  const inOrder = (calls: string[], patterns: RegExp[]) => patterns.map((p) => index(calls, p)).every((n, i, all) => n >= 0 && (i === 0 || n > all[i - 1]));

  const plan = await restore("restore-data-store (plan)", []);
  check(
    "restore-data-store without --yes: exit 0, the last line says nothing was changed",
    plan.status === 0 && /plan only; nothing was changed/.test(plan.last),
    `exit ${plan.status}: ${plan.last}`,
  );
  check(
    "restore-data-store plans the latest recovery point, into the zone of the store's volume",
    plan.stderr.includes(`recovery point ${latest}`) && plan.stderr.includes(`in ${zone} `),
    plan.stderr
      .split("\n")
      .filter((l) => /recovery point|restore into/.test(l))
      .join(" | "),
  );
  check(
    "restore-data-store without --yes: kubectl only read, no volume restored",
    plan.calls.every((c) => / get /.test(c)) && (await claimVolumes()).length === 1,
    plan.calls.join(" | "),
  );

  const refused = await restore(
    "restore-data-store (claim refused)",
    ["--yes"],
    [
      { match: "kubectl * apply -f -", uses: 1 },
      { match: "kubectl * apply -f -", exit: 1, uses: 1 },
    ],
  );
  const afterRefusal = await claimVolumes();
  const kept = afterRefusal.find((v) => v.VolumeId !== volume.VolumeId);
  check(
    "a restore that fails in the middle: exit 1; the last line says it rolled back and names the store's own volume and the restored one, kept",
    refused.status === 1 &&
      /rolled back: claim data-postgres-0 is bound to .* again and postgres is scaled back to 1/.test(refused.last) &&
      refused.last.includes(volume.VolumeId) &&
      !!kept &&
      refused.last.includes(`${kept.VolumeId} is kept`),
    `exit ${refused.status}: ${refused.last}`,
  );
  const lastScale = refused.calls.filter((c) => / scale statefulset postgres /.test(c)).pop() ?? "";
  check(
    "the rollback binds the claim to the old volume again, then scales postgres back to 1",
    index(refused.calls, /patch pv pvc-e2e --type merge -p \{"spec":\{"claimRef":null\}\}/) > index(refused.calls, /delete pvc data-postgres-0 --wait/) &&
      lastScale.endsWith("--replicas=1") &&
      refused.manifests.at(-1)?.spec?.volumeName === "pvc-e2e",
    refused.calls.slice(4).join(" | "),
  );

  const done = await restore("restore-data-store", ["--yes"]);
  check(
    "restore-data-store --yes: exit 0, last line says done",
    done.status === 0 && /restore-data-store: done$/.test(done.last),
    `exit ${done.status}: ${done.last}`,
  );
  const after = await claimVolumes();
  const fresh = after.find((v) => v.VolumeId !== volume.VolumeId && v.VolumeId !== kept?.VolumeId);
  const tagOf = (v: typeof fresh, key: string) => v?.Tags?.find((t) => t.Key === key)?.Value;
  check(
    "the restored volume: from the latest recovery point's snapshot, in the store's zone, tagged for backup and with its claim",
    !!fresh &&
      fresh.SnapshotId === snapshot &&
      fresh.AvailabilityZone === zone &&
      tagOf(fresh, tag.key) === tag.value &&
      tagOf(fresh, `${config.stackPrefix}/restored-from`) === snapshot,
    JSON.stringify(fresh),
  );
  const [pv, pvc] = done.manifests;
  check(
    "the PersistentVolume is the restored EBS volume, in its zone, pre-bound to the store's claim",
    pv?.spec?.csi?.volumeHandle === fresh?.VolumeId &&
      JSON.stringify(pv?.spec?.nodeAffinity).includes(`"${zone}"`) &&
      pv?.spec?.claimRef?.name === claim &&
      pv?.spec?.persistentVolumeReclaimPolicy === "Retain",
    JSON.stringify(pv),
  );
  check(
    "postgres: scaled to 0, its claim recreated on that PersistentVolume, scaled back to 1, waited for",
    pvc?.spec?.volumeName === pv?.metadata?.name &&
      inOrder(done.calls, [
        /scale statefulset postgres --replicas=0/,
        /delete pvc data-postgres-0/,
        new RegExp(`-n ${config.namespace} apply -f -`),
        /scale statefulset postgres --replicas=1/,
        /rollout status statefulset\/postgres/,
      ]),
    done.calls.join(" | "),
  );
  check(
    "the store's own volume is untouched: it still exists, with its tags",
    after.some((v) => v.VolumeId === volume.VolumeId && tagOf(v, tag.key) === tag.value),
    JSON.stringify(after.map((v) => v.VolumeId)),
  );
}
