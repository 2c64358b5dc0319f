/**
 * The one place where user-facing settings are read and validated.
 *
 * Every setting has a default taken from the architecture spec and may be overridden by an
 * environment variable `FACTORY_<SETTING>`. Bad input raises a ConfigError whose message is a single
 * line naming the variable, showing the bad value and saying what is allowed; main.ts prints it and
 * exits before anything is synthesized.
 */
import { KUBERNETES_VERSIONS, DEFAULT_KUBERNETES_VERSION } from "./versions";

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    value: string,
    allowed: string,
  ) {
    super(`${variable}=${JSON.stringify(value)} is invalid: ${allowed}`);
    this.name = "ConfigError";
  }
}

/**
 * Settings that are each valid but not together. The message names every variable involved, with
 * its value and whether it is the default, so that the one the user set is among them; `variable`
 * is the first one the user set.
 */
export class RelationError extends ConfigError {
  constructor(involved: readonly { readonly variable: string; readonly value: string | number; readonly isSet: boolean }[], rule: string) {
    super((involved.find((v) => v.isSet) ?? involved[0]).variable, "", rule);
    const list = involved.map((v) => `${v.variable}=${JSON.stringify(String(v.value))}${v.isSet ? "" : " (default)"}`);
    this.message = `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]} are invalid together: ${rule}`;
    this.name = "ConfigError";
  }
}

export type NatGatewayMode = "single" | "per-az";
export type CapacityType = "ON_DEMAND" | "SPOT";

export interface NodeGroupConfig {
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly instanceTypes: readonly string[];
  readonly diskSizeGiB: number;
  readonly capacityType: CapacityType;
}

export interface DataStoreSizes {
  readonly postgres: string;
  readonly redis: string;
  readonly minio: string;
}

export interface FactoryConfig {
  readonly accountId: string;
  /** undefined: the default AWS credential chain (environment, SSO, instance role). */
  readonly awsProfile: string | undefined;
  readonly region: string;
  readonly hostname: string;
  readonly hostedZone: string;
  readonly vpcCidr: string;
  readonly natGateways: NatGatewayMode;
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly serviceCidr: string;
  readonly endpointPublicAccessCidrs: readonly string[];
  readonly adminPrincipalArns: readonly string[];
  readonly logRetentionDays: number;
  readonly nodeGroup: NodeGroupConfig;
  readonly stackPrefix: string;
  readonly stateBucket: string;
  readonly ecrKeepImages: number;
  readonly namespace: string;
  /** undefined until images are built; the app stack refuses to deploy without it. */
  readonly imageTag: string | undefined;
  readonly apiHealthPath: string;
  readonly dataStoreSizes: DataStoreSizes;
  /** Replica range of factory-api and factory-web (HorizontalPodAutoscalers). */
  readonly replicas: { readonly min: number; readonly max: number };
  /** Name the ingress gives its ALB; the dns stack finds the ALB by it. */
  readonly albName: string;
  /** Ingress group shared by every ingress that joins the ALB. */
  readonly ingressGroup: string;
  readonly backup: BackupConfig;
  readonly runner: RunnerConfig;
}

/** Where the runner controller's Jobs run, and how much of the cluster they may take. */
export interface RunnerConfig {
  /** Their namespace: apart from the data stores and the services (FACTORY_RUNNER_NAMESPACE). */
  readonly namespace: string;
  /** Sum of the CPU requests of all runner pods, in millicores (ResourceQuota). */
  readonly cpuMillis: number;
  /** Sum of their memory requests, a quantity such as 8Gi (ResourceQuota). */
  readonly memory: string;
  /** How many runner pods may exist at once (ResourceQuota). */
  readonly pods: number;
}

/** AWS Backup of the data stores' volumes (the backup stack). */
export interface BackupConfig {
  /** How long a daily recovery point is kept. */
  readonly dailyRetentionDays: number;
  /** How long a weekly recovery point is kept (longer than a daily one). */
  readonly weeklyRetentionDays: number;
  /** The one role that may delete recovery points; undefined: nobody (the vault's policy denies it to all). */
  readonly breakGlassRoleArn: string | undefined;
  /** The vault (`<prefix>-data`); the backup plan has the same name. */
  readonly vaultName: string;
  /** The service role AWS Backup backs up and restores with (`<prefix>-backup`). */
  readonly roleName: string;
}

/** One documented row per setting; README's configuration table is generated from these. */
export interface SettingDoc {
  readonly variable: string;
  readonly default: string;
  readonly allowed: string;
}

// Commercial AWS regions where EKS is offered.
export const AWS_REGIONS: readonly string[] = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "af-south-1",
  "ap-east-1",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-7",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-south-1",
  "eu-south-2",
  "eu-north-1",
  "il-central-1",
  "me-south-1",
  "me-central-1",
  "mx-central-1",
  "sa-east-1",
];

// Values CloudWatch Logs accepts for retention_in_days.
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const SPEC = {
  accountId: "582719176192",
  awsProfile: "ai-sandbox-administrator",
  region: "us-west-2",
  hostname: "factory.pelx.ai",
  vpcCidr: "10.42.0.0/16",
  clusterName: "attractor-factory-eks",
  nodeMin: 2,
  nodeDesired: 2,
  nodeMax: 6,
  stackPrefix: "attractor-factory",
  namespace: "factory-system",
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads one variable: undefined when unset; set-but-blank is an error (a typo, not a choice). */
class Reader {
  readonly docs: SettingDoc[] = [];
  constructor(private readonly env: Env) {}

  /** Whether FACTORY_<name> is set (else the default applies). */
  isSet(name: string): boolean {
    return this.env[`FACTORY_${name}`] !== undefined;
  }

  /** A RelationError over FACTORY_<name> settings and their values. */
  relation(values: Readonly<Record<string, string | number>>, rule: string): RelationError {
    return new RelationError(
      Object.entries(values).map(([name, value]) => ({ variable: `FACTORY_${name}`, value, isSet: this.isSet(name) })),
      rule,
    );
  }

  raw(name: string, def: string, allowed: string): string | undefined {
    const variable = `FACTORY_${name}`;
    this.docs.push({ variable, default: def, allowed });
    const value = this.env[variable];
    if (value === undefined) return undefined;
    if (value.trim() === "") throw new ConfigError(variable, value, `must not be empty or blank; unset it for the default (${def})`);
    if (value !== value.trim()) throw new ConfigError(variable, value, `must not have leading or trailing whitespace; ${allowed}`);
    return value;
  }

  string(name: string, def: string, allowed: string, valid: (v: string) => boolean): string {
    const value = this.raw(name, def, allowed);
    if (value === undefined) return def;
    if (!valid(value)) throw new ConfigError(`FACTORY_${name}`, value, allowed);
    return value;
  }

  int(name: string, def: number, min: number, max: number): number {
    const allowed = `a whole number from ${min} to ${max}`;
    const value = this.raw(name, String(def), allowed);
    if (value === undefined) return def;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new ConfigError(`FACTORY_${name}`, value, allowed);
    }
    return Number(value);
  }

  list(name: string, def: readonly string[], allowed: string, valid: (v: string) => boolean): string[] {
    const value = this.raw(name, def.join(",") || "(none)", allowed);
    if (value === undefined) return [...def];
    const items = value.split(",").map((s) => s.trim());
    const bad = items.find((item) => !valid(item));
    if (bad !== undefined) {
      throw new ConfigError(`FACTORY_${name}`, value, `entry ${JSON.stringify(bad)} is not allowed; ${allowed}`);
    }
    if (new Set(items).size !== items.length) throw new ConfigError(`FACTORY_${name}`, value, `entries must be unique; ${allowed}`);
    return items;
  }
}

// ---- validators -------------------------------------------------------------------------------

const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
export function isDnsName(v: string): boolean {
  const labels = v.split(".");
  return v.length <= 253 && labels.length >= 2 && labels.every((l) => DNS_LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}

/** Parses "a.b.c.d/n" into a 32-bit network number and prefix, or undefined when malformed. */
export function parseCidr(v: string): { base: number; prefix: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { base, prefix };
}

function cidrSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

function isAligned(c: { base: number; prefix: number }): boolean {
  return c.base % cidrSize(c.prefix) === 0;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a)!;
  const y = parseCidr(b)!;
  return x.base < y.base + cidrSize(y.prefix) && y.base < x.base + cidrSize(x.prefix);
}

function formatIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** Splits `cidr` into subnets of `newPrefix` and returns the `index`-th (like Terraform's cidrsubnet). */
export function subnetCidr(cidr: string, newPrefix: number, index: number): string {
  const c = parseCidr(cidr)!;
  return `${formatIp(c.base + index * cidrSize(newPrefix))}/${newPrefix}`;
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
function isPrivateRange(v: string): boolean {
  const c = parseCidr(v)!;
  return PRIVATE_RANGES.some((r) => {
    const p = parseCidr(r)!;
    return c.prefix >= p.prefix && c.base >= p.base && c.base < p.base + cidrSize(p.prefix);
  });
}

function vpcCidrProblem(v: string): string | undefined {
  const c = parseCidr(v);
  if (!c || !isAligned(c)) return "an IPv4 network in CIDR notation whose address is the network's first, e.g. 10.42.0.0/16";
  if (c.prefix < 16 || c.prefix > 24)
    return `a prefix from /16 to /24 (AWS allows /16 at most; /24 is the smallest that holds 2 public and 2 private subnets), not /${c.prefix}`;
  if (!isPrivateRange(v)) return "a private (RFC 1918) range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16";
  return undefined;
}

function isPublicCidr(v: string): boolean {
  const c = parseCidr(v);
  return !!c && isAligned(c);
}

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.(nano|micro|small|medium|large|metal|\d*xlarge)$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const K8S_QUANTITY = /^[1-9]\d{0,4}(Mi|Gi|Ti)$/;
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;

/** S3 bucket naming rules (general purpose buckets). */
function isBucketName(v: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) && !v.includes("..") && !/^\d+\.\d+\.\d+\.\d+$/.test(v) && !v.startsWith("xn--") && !v.endsWith("-s3alias")
  );
}

// ---- loading ----------------------------------------------------------------------------------

/** Reads and validates every setting; the result is frozen. Throws ConfigError on bad input. */
export function loadConfig(env: Env = process.env): FactoryConfig {
  return load(env).config;
}

/** The documentation of every setting, in reading order (README's table). */
export function settingDocs(): readonly SettingDoc[] {
  return load({}).docs;
}

function load(env: Env): { config: FactoryConfig; docs: readonly SettingDoc[] } {
  const r = new Reader(env);

  const accountId = r.string("ACCOUNT_ID", SPEC.accountId, "a 12-digit AWS account id", (v) => /^\d{12}$/.test(v));

  // Empty is meaningful here: no profile, use the default credential chain.
  const profileVar = "FACTORY_AWS_PROFILE";
  r.docs.push({ variable: profileVar, default: SPEC.awsProfile, allowed: "a named AWS CLI profile; empty for the default credential chain" });
  const profileValue = env[profileVar];
  if (profileValue !== undefined && profileValue !== "" && !/^[A-Za-z0-9_.+@-]{1,128}$/.test(profileValue)) {
    throw new ConfigError(profileVar, profileValue, "a profile name of letters, digits and _ . + @ -; empty for the default credential chain");
  }
  const awsProfile = profileValue === undefined ? SPEC.awsProfile : profileValue === "" ? undefined : profileValue;

  const region = r.string("REGION", SPEC.region, `an AWS region where EKS runs (${AWS_REGIONS.join(", ")})`, (v) => AWS_REGIONS.includes(v));

  const hostname = r.string("HOSTNAME", SPEC.hostname, "a lower-case DNS name with at least two labels, e.g. factory.example.com", isDnsName);
  const defaultZone = hostname.split(".").slice(1).join(".");
  const hostedZone = r.string(
    "HOSTED_ZONE",
    isDnsName(defaultZone) ? defaultZone : hostname,
    "a lower-case DNS name: the public Route53 zone that holds the hostname (default: the hostname's parent domain)",
    isDnsName,
  );
  if (hostname !== hostedZone && !hostname.endsWith(`.${hostedZone}`)) {
    throw new ConfigError(
      "FACTORY_HOSTED_ZONE",
      hostedZone,
      `the zone must contain the hostname ${hostname}: the hostname itself or one of its parent domains`,
    );
  }

  const vpcCidrVar = "VPC_CIDR";
  const vpcCidrAllowed = "a private IPv4 network from /16 to /24, e.g. 10.42.0.0/16";
  const vpcCidr = r.raw(vpcCidrVar, SPEC.vpcCidr, vpcCidrAllowed) ?? SPEC.vpcCidr;
  const vpcProblem = vpcCidrProblem(vpcCidr);
  if (vpcProblem) throw new ConfigError(`FACTORY_${vpcCidrVar}`, vpcCidr, vpcProblem);

  const natGateways = r.string(
    "NAT_GATEWAYS",
    "single",
    "single (one NAT gateway, cheaper) or per-az (one per AZ, survives an AZ outage)",
    (v) => v === "single" || v === "per-az",
  ) as NatGatewayMode;

  // EKS allows 100 characters; 38 keeps the IAM role names derived from it within IAM's 64.
  const clusterName = r.string("CLUSTER_NAME", SPEC.clusterName, "1-38 characters: letters, digits, - and _, starting with a letter or digit", (v) =>
    /^[0-9A-Za-z][A-Za-z0-9_-]{0,37}$/.test(v),
  );
  const kubernetesVersion = r.string(
    "KUBERNETES_VERSION",
    DEFAULT_KUBERNETES_VERSION,
    `one of the EKS versions this project pins add-ons for: ${KUBERNETES_VERSIONS.join(", ")}`,
    (v) => KUBERNETES_VERSIONS.includes(v),
  );

  const serviceCidrAllowed = "a private IPv4 network from /12 to /24 that does not overlap the VPC, e.g. 172.20.0.0/16";
  const serviceCidr = r.raw("SERVICE_CIDR", "172.20.0.0/16", serviceCidrAllowed) ?? "172.20.0.0/16";
  const svc = parseCidr(serviceCidr);
  if (!svc || !isAligned(svc) || svc.prefix < 12 || svc.prefix > 24 || !isPrivateRange(serviceCidr)) {
    throw new ConfigError("FACTORY_SERVICE_CIDR", serviceCidr, serviceCidrAllowed);
  }
  if (cidrsOverlap(serviceCidr, vpcCidr)) {
    throw new ConfigError("FACTORY_SERVICE_CIDR", serviceCidr, `must not overlap the VPC network ${vpcCidr}; ${serviceCidrAllowed}`);
  }

  const endpointPublicAccessCidrs = r.list(
    "ENDPOINT_PUBLIC_ACCESS_CIDRS",
    ["0.0.0.0/0"],
    "comma-separated IPv4 networks in CIDR notation allowed to reach the public Kubernetes API endpoint",
    isPublicCidr,
  );
  const adminPrincipalArns = r.list(
    "ADMIN_PRINCIPAL_ARNS",
    [],
    "comma-separated IAM role or user ARNs given cluster admin (the deploying principal always is)",
    (v) => IAM_PRINCIPAL_ARN.test(v),
  );
  const logRetentionDays = r.int("LOG_RETENTION_DAYS", 90, 1, 3653);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    throw new ConfigError("FACTORY_LOG_RETENTION_DAYS", String(logRetentionDays), `one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(", ")}`);
  }

  const minSize = r.int("NODE_MIN", SPEC.nodeMin, 1, 100);
  const desiredSize = r.int("NODE_DESIRED", SPEC.nodeDesired, 1, 100);
  const maxSize = r.int("NODE_MAX", SPEC.nodeMax, 1, 100);
  if (minSize > desiredSize || desiredSize > maxSize) {
    throw r.relation({ NODE_MIN: minSize, NODE_DESIRED: desiredSize, NODE_MAX: maxSize }, "node group sizes must satisfy min <= desired <= max");
  }
  const instanceTypes = r.list("NODE_INSTANCE_TYPES", ["m6i.large"], "comma-separated EC2 instance types such as m6i.large,m6a.large", (v) =>
    INSTANCE_TYPE.test(v),
  );
  const diskSizeGiB = r.int("NODE_DISK_SIZE", 50, 20, 16384);
  const capacityType = r.string("NODE_CAPACITY_TYPE", "ON_DEMAND", "ON_DEMAND or SPOT", (v) => v === "ON_DEMAND" || v === "SPOT") as CapacityType;

  const stackPrefix = r.string(
    "STACK_PREFIX",
    SPEC.stackPrefix,
    "2-24 characters: lower-case letters, digits and -, starting with a letter, not ending with -",
    (v) => /^[a-z][a-z0-9-]{0,22}[a-z0-9]$/.test(v),
  );
  const defaultBucket = `${stackPrefix}-tfstate-${accountId}-${region}`;
  const stateBucket = r.string("STATE_BUCKET", defaultBucket, "an S3 bucket name: 3-63 lower-case letters, digits, . and -", isBucketName);
  const ecrKeepImages = r.int("ECR_KEEP_IMAGES", 50, 1, 1000);

  const namespace = r.string("NAMESPACE", SPEC.namespace, "a Kubernetes namespace name: lower-case letters, digits and -, at most 63", (v) =>
    DNS_LABEL.test(v),
  );
  const imageTagVar = "IMAGE_TAG";
  const imageTagAllowed = "an image tag (letters, digits, _ . -, at most 128, not 'latest': repositories are immutable); build-push prints it";
  const imageTag = r.raw(imageTagVar, "(none: required to deploy the app stack)", imageTagAllowed);
  if (imageTag !== undefined && (!IMAGE_TAG.test(imageTag) || imageTag === "latest")) {
    throw new ConfigError(`FACTORY_${imageTagVar}`, imageTag, imageTagAllowed);
  }
  const apiHealthPath = r.string("API_HEALTH_PATH", "/api/healthz", "an absolute URL path under /api, e.g. /api/healthz", (v) =>
    /^\/api(\/[A-Za-z0-9._~-]+)*$/.test(v),
  );
  const sizeAllowed = "a volume size such as 20Gi (a whole number of Mi, Gi or Ti)";
  const dataStoreSizes: DataStoreSizes = {
    postgres: r.string("POSTGRES_STORAGE", "20Gi", sizeAllowed, (v) => K8S_QUANTITY.test(v)),
    redis: r.string("REDIS_STORAGE", "5Gi", sizeAllowed, (v) => K8S_QUANTITY.test(v)),
    minio: r.string("MINIO_STORAGE", "50Gi", sizeAllowed, (v) => K8S_QUANTITY.test(v)),
  };

  // At least 2, so that one pod can be evicted (PDB maxUnavailable 1) while the other serves.
  const minReplicas = r.int("MIN_REPLICAS", 2, 2, 20);
  const maxReplicas = r.int("MAX_REPLICAS", 6, 2, 50);
  if (maxReplicas < minReplicas) {
    throw r.relation({ MIN_REPLICAS: minReplicas, MAX_REPLICAS: maxReplicas }, "the autoscalers' maximum must be at least their minimum");
  }

  const dailyRetentionDays = r.int("BACKUP_RETENTION_DAYS", 35, 1, 3650);
  const weeklyRetentionDays = r.int("BACKUP_WEEKLY_RETENTION_DAYS", 180, 2, 3650);
  if (weeklyRetentionDays <= dailyRetentionDays) {
    throw r.relation(
      { BACKUP_RETENTION_DAYS: dailyRetentionDays, BACKUP_WEEKLY_RETENTION_DAYS: weeklyRetentionDays },
      "a weekly recovery point must be kept longer than a daily one",
    );
  }
  const breakGlassAllowed = `an IAM role ARN in account ${accountId}: the one principal that may delete recovery points (unset: nobody may)`;
  const breakGlassRoleArn = r.raw("BACKUP_BREAK_GLASS_ROLE_ARN", "(none: nobody may delete recovery points)", breakGlassAllowed);
  if (breakGlassRoleArn !== undefined && !new RegExp(`^arn:aws:iam::${accountId}:role/[\\w+=,.@/-]{1,512}$`).test(breakGlassRoleArn)) {
    throw new ConfigError("FACTORY_BACKUP_BREAK_GLASS_ROLE_ARN", breakGlassRoleArn, breakGlassAllowed);
  }

  const runnerNamespace = r.string(
    "RUNNER_NAMESPACE",
    "factory-runs",
    "a Kubernetes namespace name (lower-case letters, digits and -, at most 63), not FACTORY_NAMESPACE's",
    (v) => DNS_LABEL.test(v),
  );
  if (runnerNamespace === namespace) {
    throw new ConfigError(
      "FACTORY_RUNNER_NAMESPACE",
      runnerNamespace,
      `must differ from FACTORY_NAMESPACE (${namespace}): runner Jobs run apart from the data stores`,
    );
  }
  // Defaults sized to the default node group at its maximum (6 x m6i.large, about 11.5 vCPU and
  // 42 GiB allocatable): what the services at their HPA maximum and the add-ons leave free.
  const runnerCpuMillis = r.int("RUNNER_CPU_MILLICORES", 4000, 100, 1_000_000);
  const runnerMemory = r.string("RUNNER_MEMORY", "8Gi", "a memory size such as 8Gi (a whole number of Mi, Gi or Ti)", (v) => K8S_QUANTITY.test(v));
  const runnerPods = r.int("RUNNER_PODS", 10, 1, 1000);

  const config: FactoryConfig = {
    accountId,
    awsProfile,
    region,
    hostname,
    hostedZone,
    vpcCidr,
    natGateways,
    clusterName,
    kubernetesVersion,
    serviceCidr,
    endpointPublicAccessCidrs,
    adminPrincipalArns,
    logRetentionDays,
    nodeGroup: { minSize, desiredSize, maxSize, instanceTypes, diskSizeGiB, capacityType },
    stackPrefix,
    stateBucket,
    ecrKeepImages,
    namespace,
    imageTag,
    apiHealthPath,
    dataStoreSizes,
    replicas: { min: minReplicas, max: maxReplicas },
    // ALB names are at most 32 characters; the prefix is at most 24.
    albName: `${stackPrefix}-alb`,
    ingressGroup: stackPrefix,
    backup: { dailyRetentionDays, weeklyRetentionDays, breakGlassRoleArn, vaultName: `${stackPrefix}-data`, roleName: `${stackPrefix}-backup` },
    runner: { namespace: runnerNamespace, cpuMillis: runnerCpuMillis, memory: runnerMemory, pods: runnerPods },
  };
  return { config: deepFreeze(config), docs: r.docs };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** The name of stack `short` ("network", "eks", ...) under the configured prefix. */
export function stackName(config: FactoryConfig, short: string): string {
  return `${config.stackPrefix}-${short}`;
}
