/**
 * One screen of the platform's health, from the AWS APIs only (no cluster access needed): alarms
 * in ALARM, the last completed backup of each data store and its age, the cluster's version and
 * support type, the node groups and running nodes per zone, the image tag the app stack runs and
 * the certificate's expiry. Each section gathers what exists, so a partly deployed platform
 * reports "not deployed" for what is missing. `judge` turns the facts into lines and a verdict.
 */
import { FactoryConfig, stackName } from "../../config";
import { backupTag } from "../../constructs/backup-tag";
import { AwsCli, AwsCliError } from "./aws-cli";
import { deployedImageTag, readState } from "./deployed-tag";

/** How old the last completed backup of a data store may be (the daily rule, with two hours' slack). */
export const BACKUP_MAX_AGE_HOURS = 26;
/** Below this many days to expiry the certificate is a problem (ACM renews 60 days ahead). */
export const CERT_MIN_DAYS = 30;
/**
 * An alarm without data this long is a problem: its metric is not being reported (a wrong name
 * or dimension, the agent down) and it would never fire. Shorter gaps are a new alarm's first hours.
 */
export const NO_DATA_MAX_HOURS = 6;

export interface StatusFacts {
  /** undefined: no alarm of the platform exists (monitoring not deployed). */
  readonly alarms?: {
    readonly inAlarm: readonly string[];
    readonly ok: number;
    /** Alarms in INSUFFICIENT_DATA, with when they entered it. */
    readonly noData: readonly { readonly name: string; readonly since: string }[];
  };
  /** Per data store claim (data-postgres-0...): the last completed backup, if any; undefined: no data volumes yet. */
  readonly backups?: readonly { readonly claim: string; readonly volume: string; readonly completed?: string }[];
  readonly cluster?: { readonly version: string; readonly status: string; readonly supportType?: string };
  readonly nodeGroups?: readonly { readonly name: string; readonly zone: string; readonly status: string; readonly desired: number; readonly issues: number }[];
  /** Running EC2 instances of the cluster per zone. */
  readonly runningNodes?: Readonly<Record<string, number>>;
  readonly imageTag?: string;
  readonly certificate?: { readonly status: string; readonly notAfter?: string };
}

export interface Verdict {
  readonly lines: string[];
  /** What makes the platform unhealthy (exit 2), one phrase each. */
  readonly problems: string[];
}

/** An AWS timestamp as the CLI prints it (ISO 8601, or seconds since the epoch) in ISO 8601. */
export function isoTime(value: string | number): string {
  return new Date(typeof value === "number" || /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : value).toISOString();
}

function ageHours(iso: string, now: Date): number {
  return (now.getTime() - new Date(iso).getTime()) / 3_600_000;
}

/** The facts as lines (label, value) and the problems among them. */
export function judge(f: StatusFacts, now: Date): Verdict {
  const lines: string[] = [];
  const problems: string[] = [];
  const row = (label: string, value: string) => lines.push(`${label.padEnd(24)}  ${value}`);

  if (!f.alarms) row("alarms", "none (monitoring not deployed)");
  else {
    const { inAlarm, ok, noData } = f.alarms;
    row("alarms", `${inAlarm.length} in ALARM, ${ok} OK, ${noData.length} without data`);
    for (const name of inAlarm) {
      row("  ALARM", name);
      problems.push(`alarm ${name}`);
    }
    for (const { name, since } of noData) {
      const hours = ageHours(since, now);
      if (hours <= NO_DATA_MAX_HOURS) continue;
      row("  NO DATA", `${name} (since ${since}, ${hours.toFixed(0)} h: its metric is not reported)`);
      problems.push(`alarm ${name} without data for ${hours.toFixed(0)} h`);
    }
  }

  if (!f.backups) row("backups", "no data store volumes yet (the app stack is not deployed)");
  else
    for (const b of f.backups) {
      if (!b.completed) {
        row(`backup ${b.claim}`, `none completed (${b.volume})`);
        problems.push(`no backup of ${b.claim}`);
        continue;
      }
      const hours = ageHours(b.completed, now);
      const overdue = hours > BACKUP_MAX_AGE_HOURS;
      row(`backup ${b.claim}`, `${b.completed} (${hours.toFixed(1)} h ago${overdue ? `, OVERDUE: over ${BACKUP_MAX_AGE_HOURS} h` : ""})`);
      if (overdue) problems.push(`backup of ${b.claim} ${hours.toFixed(0)} h old`);
    }

  if (!f.cluster) row("cluster", "not deployed");
  else {
    row("cluster", `Kubernetes ${f.cluster.version}, ${f.cluster.status}, support ${f.cluster.supportType ?? "unknown"}`);
    if (f.cluster.status !== "ACTIVE") problems.push(`cluster ${f.cluster.status}`);
  }

  for (const g of f.nodeGroups ?? []) {
    const running = f.runningNodes?.[g.zone] ?? 0;
    row(
      `nodes ${g.zone}`,
      `group ${g.name} ${g.status}, desired ${g.desired}, ${running} running instance(s)${g.issues ? `, ${g.issues} health issue(s)` : ""}`,
    );
    if (g.status !== "ACTIVE" || g.issues > 0) problems.push(`node group ${g.name} ${g.status}${g.issues ? ` with ${g.issues} health issue(s)` : ""}`);
  }

  row("image tag", f.imageTag ?? "none (no app deployed)");

  if (!f.certificate) row("certificate", "not deployed");
  else {
    const days = f.certificate.notAfter ? Math.floor(-ageHours(f.certificate.notAfter, now) / 24) : undefined;
    row("certificate", `${f.certificate.status}${days !== undefined ? `, expires ${f.certificate.notAfter} (${days} days)` : ""}`);
    if (f.certificate.status !== "ISSUED") problems.push(`certificate ${f.certificate.status}`);
    else if (days !== undefined && days < CERT_MIN_DAYS) problems.push(`certificate expires in ${days} days`);
  }
  return { lines, problems };
}

/** The facts, asked of AWS side by side. */
export async function gatherStatus(config: FactoryConfig, aws: AwsCli): Promise<StatusFacts> {
  // Node groups only of a cluster that exists (asked of a missing cluster, the local AWS API fails
  // with an internal error instead of ResourceNotFound).
  const clusterAndNodes = aws
    .jsonOrUndefinedAsync(["eks", "describe-cluster", "--name", config.clusterName])
    .then(async (c) => [c, c ? await gatherNodes(aws, config.clusterName) : {}] as const);
  const [alarms, backups, [cluster, nodes], certificate] = await Promise.all([
    gatherAlarms(aws, config),
    gatherBackups(aws, config),
    clusterAndNodes,
    gatherCertificate(aws, config.hostname),
  ]);
  return {
    alarms,
    backups,
    cluster: cluster && {
      version: cluster.cluster.version,
      status: cluster.cluster.status,
      supportType: cluster.cluster.upgradePolicy?.supportType,
    },
    ...nodes,
    imageTag: deployedImageTag(config),
    certificate,
  };
}

/**
 * The platform's alarms, by the names its stacks deployed (their AlarmNames outputs, read from
 * their state: a name prefix would also match another platform whose prefix extends this one).
 */
async function gatherAlarms(aws: AwsCli, config: FactoryConfig): Promise<StatusFacts["alarms"]> {
  const names = (["monitoring", "dns"] as const).flatMap((short) => {
    const state = readState(aws, config.stateBucket, `${stackName(config, short)}/terraform.tfstate`);
    return ((state?.outputs as Record<string, { value?: unknown }> | undefined)?.AlarmNames?.value ?? []) as string[];
  });
  if (names.length === 0) return undefined;
  const rows: [string, string, string | number][] = [];
  for (let i = 0; i < names.length; i += 100) {
    const answer = await aws.jsonAsync([
      "cloudwatch",
      "describe-alarms",
      "--alarm-names",
      ...names.slice(i, i + 100),
      "--query",
      "MetricAlarms[].[AlarmName,StateValue,StateUpdatedTimestamp]",
    ]);
    rows.push(...((answer ?? []) as typeof rows));
  }
  return {
    inAlarm: rows.filter(([, s]) => s === "ALARM").map(([n]) => n),
    ok: rows.filter(([, s]) => s === "OK").length,
    noData: rows.filter(([, s]) => s === "INSUFFICIENT_DATA").map(([name, , since]) => ({ name, since: isoTime(since) })),
  };
}

/** The data stores' volumes (the backup tag, the claim the EBS CSI driver names) and their last completed backup job. */
async function gatherBackups(aws: AwsCli, config: FactoryConfig): Promise<StatusFacts["backups"]> {
  const volumes = ((await aws.jsonAsync([
    "ec2",
    "describe-volumes",
    "--filters",
    `Name=tag-key,Values=${backupTag(config.stackPrefix).key}`,
    "--query",
    "Volumes[]",
  ])) ?? []) as { VolumeId: string; Tags?: { Key: string; Value: string }[] }[];
  if (volumes.length === 0) return undefined;
  let jobs: { ResourceArn: string; CompletionDate?: string | number }[] = [];
  try {
    jobs = ((await aws.jsonAsync([
      "backup",
      "list-backup-jobs",
      "--by-backup-vault-name",
      config.backup.vaultName,
      "--by-state",
      "COMPLETED",
      "--query",
      "BackupJobs[]",
    ])) ?? []) as typeof jobs;
  } catch (e) {
    if (!(e instanceof AwsCliError && e.notFound)) throw e;
  }
  return volumes.map((v) => {
    const claim = v.Tags?.find((t) => t.Key === "kubernetes.io/created-for/pvc/name")?.Value ?? v.VolumeId;
    const completed = jobs
      .filter((j) => j.ResourceArn.endsWith(`volume/${v.VolumeId}`) && j.CompletionDate)
      .map((j) => isoTime(j.CompletionDate!))
      .sort()
      .pop();
    return { claim, volume: v.VolumeId, completed };
  });
}

async function gatherNodes(aws: AwsCli, clusterName: string): Promise<Pick<StatusFacts, "nodeGroups" | "runningNodes">> {
  const names = ((await aws.jsonOrUndefinedAsync(["eks", "list-nodegroups", "--cluster-name", clusterName]))?.nodegroups ?? []) as string[];
  const groups = await Promise.all(
    names.map(async (name) => (await aws.jsonAsync(["eks", "describe-nodegroup", "--cluster-name", clusterName, "--nodegroup-name", name])).nodegroup),
  );
  const subnetZones = new Map<string, string>();
  const subnets = [...new Set(groups.flatMap((g) => g.subnets as string[]))];
  if (subnets.length) {
    for (const s of (await aws.jsonAsync(["ec2", "describe-subnets", "--subnet-ids", ...subnets])).Subnets) subnetZones.set(s.SubnetId, s.AvailabilityZone);
  }
  const instances = ((await aws.jsonAsync([
    "ec2",
    "describe-instances",
    "--filters",
    `Name=tag:eks:cluster-name,Values=${clusterName}`,
    "Name=instance-state-name,Values=running",
    "--query",
    "Reservations[].Instances[].Placement.AvailabilityZone",
  ])) ?? []) as string[];
  const runningNodes: Record<string, number> = {};
  for (const zone of instances) runningNodes[zone] = (runningNodes[zone] ?? 0) + 1;
  return {
    nodeGroups: groups
      .map((g) => ({
        name: g.nodegroupName as string,
        zone: [...new Set((g.subnets as string[]).map((s) => subnetZones.get(s) ?? s))].join("+"),
        status: g.status as string,
        desired: g.scalingConfig?.desiredSize ?? 0,
        issues: (g.health?.issues ?? []).length,
      }))
      .sort((a, b) => a.zone.localeCompare(b.zone)),
    runningNodes,
  };
}

async function gatherCertificate(aws: AwsCli, hostname: string): Promise<StatusFacts["certificate"]> {
  const list = ((await aws.jsonAsync(["acm", "list-certificates", "--query", "CertificateSummaryList[]"])) ?? []) as {
    CertificateArn: string;
    DomainName: string;
  }[];
  const mine = list.find((c) => c.DomainName === hostname);
  if (!mine) return undefined;
  const c = (await aws.jsonAsync(["acm", "describe-certificate", "--certificate-arn", mine.CertificateArn])).Certificate;
  return { status: c.Status, notAfter: c.NotAfter ? isoTime(c.NotAfter) : undefined };
}
