/**
 * restore-data-store with stand-ins for aws and kubectl: usage, prerequisites, the choice of
 * recovery point, zone and size, and what a failure at each phase leaves. The AWS half with the
 * real aws CLI against moto is the e2e's (__tests__/e2e/restore.ts).
 */
import { AWS, Rule, callsOf, runScript } from "../harness";

const CTX = "kubectl --context attractor-factory-eks";
const NS = `${CTX} -n factory-system`;
const SNAP = (id: string) => `arn:aws:ec2:us-west-2::snapshot/snap-${id}`;
const VOL = (id: string) => `arn:aws:ec2:us-west-2:582719176192:volume/vol-${id}`;

/** A deployed platform: postgres (1 replica) on vol-0d1d in us-west-2b, two backups of it, one of another volume. */
function platform(over: { zone?: string; claimSize?: string; policy?: string; replicas?: string } = {}): Rule[] {
  return [
    { match: "aws * backup describe-backup-vault *" },
    { match: "aws * iam get-role *", stdout: "arn:aws:iam::582719176192:role/attractor-factory-backup" },
    { match: "kubectl * get statefulset postgres -o jsonpath={.spec.replicas}", stdout: over.replicas ?? "1" },
    { match: "kubectl * get statefulset postgres -o jsonpath={.spec.volumeClaimTemplates*", stdout: '{"app.kubernetes.io/name":"postgres"}' },
    { match: "kubectl * get pvc data-postgres-0 *", stdout: `pvc-0001 gp3-retain ${over.claimSize ?? "20Gi"}` },
    { match: "kubectl * get pv pvc-0001 *", stdout: `vol-0d1d ${over.policy ?? "Retain"}` },
    { match: "aws * ec2 describe-volumes --volume-ids vol-0d1d *", stdout: `${over.zone ?? "us-west-2b"}\t20` },
    { match: "aws * eks list-nodegroups *", stdout: "system-20261201" },
    { match: "aws * eks describe-nodegroup *", stdout: "subnet-0a\tsubnet-0b" },
    { match: "aws * ec2 describe-subnets *", stdout: "us-west-2b\tus-west-2a" },
    // Snapshots of the claim's volumes (tagged by the CSI driver, copied by AWS Backup): an older volume's too.
    { match: "aws * ec2 describe-snapshots *", stdout: "snap-0aaa\t20\nsnap-0bbb\t20\nsnap-0eee\t30" },
    {
      match: "aws * backup list-recovery-points-by-backup-vault *",
      stdout: [
        `1796000000.5\t${SNAP("0aaa")}\t${VOL("0d1d")}`,
        `1796100000.5\t${SNAP("0bbb")}\t${VOL("0d1d")}`,
        `1795000000.5\t${SNAP("0eee")}\t${VOL("0a0e")}`,
        `1796200000.5\t${SNAP("0ccc")}\t${VOL("0b1b")}`,
      ].join("\n"),
    },
    { match: "aws * backup start-restore-job *", stdout: "JOB-1" },
    { match: "aws * backup describe-restore-job *", stdout: `RUNNING\tNone\tNone`, uses: 1 },
    { match: "aws * backup describe-restore-job *", stdout: `COMPLETED\t${VOL("0e3e")}\tNone` },
  ];
}

function restore(args: string[], rules: Rule[] = [], over: Parameters<typeof platform>[0] = {}, env: Record<string, string> = {}) {
  return runScript("restore-data-store.sh", { args: ["--poll-interval", "0", ...args], rules: [...rules, ...platform(over)], env });
}

const lastLine = (stderr: string) => stderr.trim().split("\n").pop() ?? "";
const mutating = (calls: string[]) => calls.filter((c) => /^kubectl .* (apply|scale|delete|patch) /.test(c) || /start-restore-job|create-tags/.test(c));

describe("restore-data-store: usage", () => {
  test.each([
    [[], "which data store? one of: postgres minio redis"],
    [["mysql"], "unknown data store 'mysql' (one of: postgres minio redis)"],
    [["postgres", "minio"], "one data store at a time, got 'postgres' and 'minio'"],
    [["postgres", "--recovery-point", "rp-1"], "--recovery-point wants 'latest' or an EBS recovery point ARN"],
    [["postgres", "--wait-timeout", "soon"], "--wait-timeout must be a whole number of seconds, got 'soon'"],
  ])("%j: exit 2, one line, nothing called", (args, message) => {
    const r = runScript("restore-data-store.sh", { args });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.calls).toEqual([]);
  });
});

describe("restore-data-store: the plan (no --yes)", () => {
  test("the newest completed recovery point of the store's claim, into its volume's zone; nothing changed", () => {
    const r = restore(["postgres"]);
    expect(r.status).toBe(0);
    expect(lastLine(r.stderr)).toMatch(/restore-data-store: plan only; nothing was changed \(add --yes to restore postgres\)$/);
    // snap-0ccc is newer but of another store's volume
    expect(r.stderr).toContain(`recovery point ${SNAP("0bbb")}, created 2026-12-01T`);
    expect(r.stderr).toContain(
      "a new encrypted gp3 volume of 20 GiB in us-west-2b (node group zones: us-west-2a us-west-2b; the current volume is in us-west-2b)",
    );
    expect(r.stderr).toContain("kept           the current volume vol-0d1d (PersistentVolume pvc-0001, reclaim policy Retain), unchanged");
    expect(mutating(r.calls)).toEqual([]);
  });

  test("a volume in a zone the node group has no subnet in is restored into one it has", () => {
    const r = restore(["postgres"], [], { zone: "us-west-2c" });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("in us-west-2a (node group zones: us-west-2a us-west-2b; the current volume is in us-west-2c)");
  });

  test("the size is the largest of the claim's request, the volume and the snapshot (EBS never shrinks)", () => {
    expect(restore(["postgres"], [], { claimSize: "50Gi" }).stderr).toContain("gp3 volume of 50 GiB");
    expect(restore(["postgres", "--recovery-point", SNAP("0eee")]).stderr).toContain("gp3 volume of 30 GiB");
  });

  test("a named recovery point of the store (here: of a volume it had before) is the one restored", () => {
    const r = restore(["postgres", "--recovery-point", SNAP("0eee")]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`recovery point ${SNAP("0eee")}`);
  });
});

describe("restore-data-store: prerequisites (exit 2, before any change)", () => {
  test.each<[string, Rule[], RegExp, object?]>([
    [
      "no backup vault",
      [{ match: "aws * backup describe-backup-vault *", exit: 254 }],
      /missing prerequisite: backup vault attractor-factory-data not found \(deploy-infra deploys the backup stack attractor-factory-backup\)$/,
    ],
    [
      "no restore role",
      [{ match: "aws * iam get-role *", exit: 254 }],
      /missing prerequisite: IAM role attractor-factory-backup, which AWS Backup restores with, not found/,
    ],
    [
      "no StatefulSet",
      [{ match: "kubectl * get statefulset postgres *", exit: 1 }],
      /missing prerequisite: statefulset\/postgres not found in namespace factory-system \(deploy-app deploys the data stores\)$/,
      { env: { FAKE_STDERR_kubectl: 'Error from server (NotFound): statefulsets.apps "postgres" not found' } },
    ],
    [
      "the cluster API does not answer",
      [{ match: "kubectl * get statefulset postgres *", exit: 1 }],
      /cannot read statefulset\/postgres from cluster attractor-factory-eks: Unable to connect to the server: dial tcp: i\/o timeout$/,
      { env: { FAKE_STDERR_kubectl: "Unable to connect to the server: dial tcp: i/o timeout" } },
    ],
    [
      "no recovery point of the store",
      [
        { match: "aws * backup list-recovery-points-by-backup-vault *", stdout: `1796200000.5\t${SNAP("0ccc")}\t${VOL("0b1b")}` },
        { match: "aws * ec2 describe-snapshots *", stdout: "" },
      ],
      /no completed recovery point of postgres \(claim data-postgres-0, volume vol-0d1d\) in vault attractor-factory-data: the daily backup runs at 03:00 UTC/,
    ],
    [
      "another store's recovery point",
      [],
      /recovery point arn:aws:ec2:us-west-2::snapshot\/snap-0ccc is not a completed recovery point of postgres \(claim data-postgres-0\)/,
      { args: ["--recovery-point", SNAP("0ccc")] },
    ],
    ["more than one replica", [], /statefulset\/postgres has 3 replicas; a data store runs one/, { replicas: "3" }],
    [
      "no node group",
      [{ match: "aws * eks list-nodegroups *", stdout: "None" }],
      /missing prerequisite: cluster attractor-factory-eks has no node group with subnets/,
    ],
  ])("%s", (_name, rules, message, extra = {}) => {
    const { args = [], env = {}, ...over } = extra as { args?: string[]; env?: Record<string, string>; replicas?: string };
    const r = restore(["postgres", "--yes", ...args], rules, over, env);
    const ownMessage =
      (r.stderr as string)
        .split("\n")
        .filter((l) => l.startsWith("restore-data-store: error:"))
        .pop() ?? "";
    expect(r.status).toBe(2);
    expect(ownMessage).toMatch(message);
    expect(lastLine(r.stderr)).toBe(ownMessage);
    expect(mutating(r.calls)).toEqual([]);
  });

  test("kubectl missing: named with how to install it", () => {
    const r = runScript("restore-data-store.sh", { args: ["postgres"], missing: ["kubectl"] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("missing prerequisite: kubectl (install kubectl within one minor version of the cluster");
  });
});

describe("restore-data-store --yes", () => {
  test("restores, tags the volume for backup, binds it to the claim, scales 1 -> 0 -> 1 and waits", () => {
    const r = restore(["postgres", "--yes"]);
    expect(r.status).toBe(0);
    expect(lastLine(r.stderr)).toMatch(/restore-data-store: done$/);
    expect(r.calls).toContain(
      `${AWS} backup start-restore-job --recovery-point-arn ${SNAP("0bbb")} --iam-role-arn arn:aws:iam::582719176192:role/attractor-factory-backup --resource-type EBS --copy-source-tags-to-restored-resource --metadata availabilityZone=us-west-2b,volumeType=gp3,volumeSize=20,encrypted=true --query RestoreJobId --output text`,
    );
    expect(r.calls).toContain(
      `${AWS} ec2 create-tags --resources vol-0e3e --tags Key=attractor-factory/backup,Value=daily-weekly Key=kubernetes.io/created-for/pvc/name,Value=data-postgres-0 Key=kubernetes.io/created-for/pvc/namespace,Value=factory-system Key=attractor-factory/restored-from,Value=snap-0bbb`,
    );
    expect(r.stderr).toContain("restore job JOB-1: RUNNING; waiting");
    expect(mutating(r.calls).filter((c) => c.startsWith("kubectl"))).toEqual([
      `${CTX} apply -f -`,
      `${NS} scale statefulset postgres --replicas=0`,
      `${NS} delete pvc data-postgres-0 --wait=true --timeout=1800s`,
      `${NS} apply -f -`,
      `${NS} scale statefulset postgres --replicas=1`,
    ]);
    expect(r.calls).toContain(`${NS} rollout status statefulset/postgres --timeout=1800s`);
    expect(r.stderr).toContain("kept: the previous volume vol-0d1d (PersistentVolume pvc-0001, Released); once the restore is verified:");
  });

  test("a volume whose PersistentVolume would be deleted with its claim is set to Retain first", () => {
    const r = restore(["postgres", "--yes"], [], { policy: "Delete" });
    expect(r.status).toBe(0);
    expect(mutating(r.calls).filter((c) => c.startsWith("kubectl"))[0]).toBe(
      `${CTX} patch pv pvc-0001 --type merge -p {"spec":{"persistentVolumeReclaimPolicy":"Retain"}}`,
    );
  });

  test("a failed restore job: exit 1, nothing in the cluster changed", () => {
    const r = restore(["postgres", "--yes"], [{ match: "aws * backup describe-restore-job *", stdout: "FAILED\tNone\tAccess denied" }]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("restore job JOB-1 FAILED: Access denied; nothing in the cluster was changed");
    expect(lastLine(r.stderr)).toMatch(/^restore-data-store: FAILED at step "restore snap-0bbb into a new volume in us-west-2b"/);
    expect(mutating(r.calls).filter((c) => c.startsWith("kubectl"))).toEqual([]);
  });

  test("a restore job still running at the timeout: exit 1, the last line names the job that may still create a volume", () => {
    const r = restore(["postgres", "--yes", "--wait-timeout", "0"], [{ match: "aws * backup describe-restore-job *", stdout: "RUNNING\tNone\tNone" }]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("restore job JOB-1 still RUNNING after 0s");
    expect(lastLine(r.stderr)).toContain(
      "nothing in the cluster was changed; restore job JOB-1 may still create a volume (aws backup describe-restore-job --restore-job-id JOB-1;",
    );
    expect(mutating(r.calls).filter((c) => c.startsWith("kubectl"))).toEqual([]);
  });

  test("the pod does not stop: scaled back to its replicas on its own volume, the restored volume kept", () => {
    const r = restore(["postgres", "--yes"], [{ match: "kubectl * wait --for=delete *", exit: 1 }]);
    expect(r.status).toBe(1);
    expect(lastLine(r.stderr)).toMatch(/^restore-data-store: FAILED at step "scale postgres to 0" after 00:0\d \(exit 1\): /);
    expect(lastLine(r.stderr)).toContain(
      "rolled back: postgres scaled back to 1 replica(s) on its own volume vol-0d1d; the restored volume vol-0e3e is kept, unattached (aws ec2 delete-volume --volume-id vol-0e3e once not needed)",
    );
    expect(callsOf(r, "kubectl").slice(-2)).toEqual([
      `${NS} scale statefulset postgres --replicas=1`,
      `${CTX} delete pv postgres-restore-0e3e --ignore-not-found --wait=false`,
    ]);
  });

  test("the rollback cannot rebind the claim: postgres stays at 0 (never started on an empty volume), the last line says where the data is", () => {
    const r = restore(
      ["postgres", "--yes"],
      [
        { match: "kubectl * apply -f -", uses: 1 },
        { match: "kubectl * apply -f -", exit: 1 },
      ],
    );
    expect(r.status).toBe(1);
    expect(lastLine(r.stderr)).toContain(
      "rollback failed: postgres is left at 0 replicas so that it cannot start on an empty volume; its data is on vol-0d1d (PersistentVolume pvc-0001): bind claim data-postgres-0 to it, then scale up",
    );
    expect(callsOf(r, "kubectl").filter((c) => c.includes(" scale "))).toEqual([`${NS} scale statefulset postgres --replicas=0`]);
  });

  test("not ready after the swap: the store stays on the restored volume, the last line names both volumes", () => {
    const r = restore(["postgres", "--yes"], [{ match: "kubectl * rollout status *", exit: 1 }]);
    expect(r.status).toBe(1);
    expect(lastLine(r.stderr)).toContain(
      "postgres runs on the restored volume vol-0e3e but is not ready (kubectl -n factory-system describe pod postgres-0); the previous volume vol-0d1d is kept (PersistentVolume pvc-0001)",
    );
  });
});
