/**
 * The one place where user-facing settings are read and validated.
 *
 * Every setting has a default taken from the architecture spec and may be overridden by an
 * environment variable `FACTORY_<SETTING>`. Bad input raises a ConfigError whose message is a single
 * line naming the variable, showing the bad value and saying what is allowed; main.ts prints it and
 * exits before anything is synthesized.
 */
import { KUBERNETES_VERSIONS, DEFAULT_KUBERNETES_VERSION, VERSIONS } from "../versions";
import { AWS_REGIONS, LOG_RETENTION_DAYS } from "../lib/aws-regions";
import { cidrsOverlap, isAligned, isPrivateRange, parseCidr } from "../lib/cidr";
import { ConfigError, Env, Reader } from "./reader";
import { CapacityType, DataStoreSizes, EksSupportType, FactoryConfig, NatGatewayMode, SettingDoc } from "./types";
import { DNS_LABEL, IAM_PRINCIPAL_ARN, IMAGE_TAG, INSTANCE_TYPE, K8S_QUANTITY, isBucketName, isDnsName, isPublicCidr, vpcCidrProblem } from "./validators";

export { ConfigError, RelationError } from "./reader";
export type * from "./types";

/** The spec's defaults (aws-eks-architecture.md). */
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

/** Availability zones of the VPC (spec: 2 public + 2 private subnets across 2 AZs), one node group each. */
export const ZONE_COUNT = 2;

// ---- loading ----------------------------------------------------------------------------------

/** Reads and validates every setting; the result is frozen. Throws ConfigError on bad input. */
export function loadConfig(env: Env = process.env): FactoryConfig {
  return load(env).config;
}

/** The documentation of every setting, in reading order (docs/configuration.md's table). */
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
    // Either may be the wrong one: the error names both (and which is a default).
    throw r.relation({ HOSTNAME: hostname, HOSTED_ZONE: hostedZone }, "the zone must contain the hostname: the hostname itself or one of its parent domains");
  }

  const vpcCidrVar = "VPC_CIDR";
  const vpcCidrAllowed = "a private IPv4 network from /16 to /24, e.g. 10.42.0.0/16";
  const vpcCidr = r.raw(vpcCidrVar, SPEC.vpcCidr, vpcCidrAllowed) ?? SPEC.vpcCidr;
  const vpcProblem = vpcCidrProblem(vpcCidr);
  if (vpcProblem) throw new ConfigError(`FACTORY_${vpcCidrVar}`, vpcCidr, vpcProblem);

  const natGateways = r.oneOf<NatGatewayMode>(
    "NAT_GATEWAYS",
    "single",
    ["single", "per-az"],
    "single (one NAT gateway, cheaper) or per-az (one per AZ, survives an AZ outage)",
  );

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
  // AWS's default when no policy is set is EXTENDED: six times the control plane's price once the
  // minor leaves standard support, without anyone deciding it. STANDARD upgrades the cluster then.
  const eksSupportType = r.oneOf<EksSupportType>(
    "EKS_SUPPORT_TYPE",
    "STANDARD",
    ["STANDARD", "EXTENDED"],
    "STANDARD (upgraded automatically when the minor leaves standard support) or EXTENDED (kept, at the extended support price)",
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
  // Each extra admin's access entry is keyed by its path and name (adding one leaves the others
  // alone), so two principals of one name in different accounts cannot both be admins.
  const adminNames = adminPrincipalArns.map((a) => a.split(":").pop());
  const sameName = adminPrincipalArns.find((_, i) => adminNames.indexOf(adminNames[i]) !== i);
  if (sameName !== undefined) {
    throw new ConfigError(
      "FACTORY_ADMIN_PRINCIPAL_ARNS",
      adminPrincipalArns.join(","),
      `entries must differ in their role or user path and name, not only in their account (${adminNames[adminPrincipalArns.indexOf(sameName)]})`,
    );
  }
  // Where the platform's alerts go besides its SNS topic (each address confirms its subscription).
  const alertEmails = r.list("ALERT_EMAILS", [], "comma-separated e-mail addresses subscribed to the alert topic (each confirms by mail)", (v) =>
    /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(v),
  );
  const logRetentionDays = r.int("LOG_RETENTION_DAYS", 90, 1, 3653);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    throw new ConfigError("FACTORY_LOG_RETENTION_DAYS", String(logRetentionDays), `one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(", ")}`);
  }

  // Totals over the zones: one node group per private subnet (zone) gets an equal share, so that
  // a zonal volume's pod always has a node group of its zone to scale (constructs/managed-node-group.ts).
  const perZone = { of: ZONE_COUNT, why: `the total of the ${ZONE_COUNT} zones' node groups, split equally` };
  const nodeTotal = (name: string, def: number) => r.int(name, def, ZONE_COUNT, 100, perZone);
  const minSize = nodeTotal("NODE_MIN", SPEC.nodeMin);
  const desiredSize = nodeTotal("NODE_DESIRED", SPEC.nodeDesired);
  const maxSize = nodeTotal("NODE_MAX", SPEC.nodeMax);
  if (minSize > desiredSize || desiredSize > maxSize) {
    throw r.relation({ NODE_MIN: minSize, NODE_DESIRED: desiredSize, NODE_MAX: maxSize }, "node group sizes must satisfy min <= desired <= max");
  }
  const instanceTypes = r.list("NODE_INSTANCE_TYPES", ["m6i.large"], "comma-separated EC2 instance types such as m6i.large,m6a.large", (v) =>
    INSTANCE_TYPE.test(v),
  );
  const diskSizeGiB = r.int("NODE_DISK_SIZE", 50, 20, 16384);
  const capacityType = r.oneOf<CapacityType>("NODE_CAPACITY_TYPE", "ON_DEMAND", ["ON_DEMAND", "SPOT"], "ON_DEMAND or SPOT");

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
    // Not a setting: versions.yaml pins it per Kubernetes version (a bump is a reviewed commit).
    nodeAmiRelease: VERSIONS.kubernetes.nodeAmiReleases?.[kubernetesVersion],
    eksSupportType,
    serviceCidr,
    endpointPublicAccessCidrs,
    adminPrincipalArns,
    logRetentionDays,
    alertEmails,
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
