/**
 * The table of bad configuration inputs: at least one row per FACTORY_* setting (config/index.ts's
 * settingDocs()), and the classic mistakes (empty, blank or padded values, out-of-range sizes,
 * overlapping or too-small networks, a hostname outside its zone, a list with one bad entry).
 *
 * bad-inputs.test.ts runs each row as the real app process; docs/configuration.md's "bad-inputs" block
 * (scripts/docs.ts) shows the message each row gets, computed with loadConfig.
 */
import { ConfigError, loadConfig } from ".";

export interface BadInput {
  /** What is wrong, for the test name. */
  readonly what: string;
  /** The setting the error must name. */
  readonly variable: string;
  /** Its bad value. */
  readonly value: string;
  /** Other settings of the row (e.g. the min that a desired size is compared with). */
  readonly with?: Readonly<Record<string, string>>;
}

export const BAD_INPUTS: readonly BadInput[] = [
  { what: "empty account id", variable: "FACTORY_ACCOUNT_ID", value: "" },
  { what: "profile name with a space", variable: "FACTORY_AWS_PROFILE", value: "a profile" },
  { what: "region with leading whitespace", variable: "FACTORY_REGION", value: " us-west-2" },
  { what: "single-label hostname", variable: "FACTORY_HOSTNAME", value: "localhost" },
  { what: "hostname outside the hosted zone", variable: "FACTORY_HOSTED_ZONE", value: "example.com" },
  { what: "VPC network too small for four subnets", variable: "FACTORY_VPC_CIDR", value: "10.42.0.0/25" },
  { what: "unknown NAT mode", variable: "FACTORY_NAT_GATEWAYS", value: "two" },
  { what: "support type in lower case", variable: "FACTORY_EKS_SUPPORT_TYPE", value: "standard" },
  { what: "cluster name starting with -", variable: "FACTORY_CLUSTER_NAME", value: "-eks" },
  { what: "Kubernetes version without pinned add-ons", variable: "FACTORY_KUBERNETES_VERSION", value: "1.20" },
  { what: "service network overlapping the VPC", variable: "FACTORY_SERVICE_CIDR", value: "10.42.128.0/17" },
  { what: "service network too small", variable: "FACTORY_SERVICE_CIDR", value: "172.20.0.0/25" },
  { what: "endpoint CIDR list with a host address", variable: "FACTORY_ENDPOINT_PUBLIC_ACCESS_CIDRS", value: "0.0.0.0/0,10.0.0.1/8" },
  { what: "admin ARN with a short account", variable: "FACTORY_ADMIN_PRINCIPAL_ARNS", value: "arn:aws:iam::1:role/x" },
  {
    what: "two admins of one name in two accounts",
    variable: "FACTORY_ADMIN_PRINCIPAL_ARNS",
    value: "arn:aws:iam::111122223333:role/ops,arn:aws:iam::444455556666:role/ops",
  },
  { what: "alert e-mail without a domain", variable: "FACTORY_ALERT_EMAILS", value: "ops@example.com,oncall" },
  { what: "log retention CloudWatch does not offer", variable: "FACTORY_LOG_RETENTION_DAYS", value: "42" },
  { what: "zero nodes", variable: "FACTORY_NODE_MIN", value: "0" },
  { what: "desired nodes above max", variable: "FACTORY_NODE_DESIRED", value: "8" },
  { what: "max nodes not split equally over the zones", variable: "FACTORY_NODE_MAX", value: "7" },
  { what: "max nodes out of range", variable: "FACTORY_NODE_MAX", value: "101" },
  { what: "instance type list with a bad entry", variable: "FACTORY_NODE_INSTANCE_TYPES", value: "m6i.large,banana" },
  { what: "node disk below the minimum", variable: "FACTORY_NODE_DISK_SIZE", value: "10" },
  { what: "capacity type in lower case", variable: "FACTORY_NODE_CAPACITY_TYPE", value: "spot" },
  { what: "stack prefix with capitals", variable: "FACTORY_STACK_PREFIX", value: "Attractor" },
  { what: "bucket name with _ and capitals", variable: "FACTORY_STATE_BUCKET", value: "My_Bucket" },
  { what: "ECR retention out of range", variable: "FACTORY_ECR_KEEP_IMAGES", value: "1001" },
  { what: "namespace with _", variable: "FACTORY_NAMESPACE", value: "factory_system" },
  { what: "mutable image tag", variable: "FACTORY_IMAGE_TAG", value: "latest" },
  { what: "health path outside /api", variable: "FACTORY_API_HEALTH_PATH", value: "/healthz" },
  { what: "volume size in GB", variable: "FACTORY_POSTGRES_STORAGE", value: "20GB" },
  { what: "zero volume size", variable: "FACTORY_REDIS_STORAGE", value: "0Gi" },
  { what: "blank volume size", variable: "FACTORY_MINIO_STORAGE", value: "   " },
  { what: "a single replica", variable: "FACTORY_MIN_REPLICAS", value: "1" },
  { what: "max replicas below min", variable: "FACTORY_MAX_REPLICAS", value: "3", with: { FACTORY_MIN_REPLICAS: "4" } },
  { what: "backup retention out of range", variable: "FACTORY_BACKUP_RETENTION_DAYS", value: "0" },
  {
    what: "weekly backups kept no longer than daily ones",
    variable: "FACTORY_BACKUP_WEEKLY_RETENTION_DAYS",
    value: "30",
    with: { FACTORY_BACKUP_RETENTION_DAYS: "35" },
  },
  { what: "break-glass role of another account", variable: "FACTORY_BACKUP_BREAK_GLASS_ROLE_ARN", value: "arn:aws:iam::111111111111:role/break-glass" },
  { what: "runner namespace the same as the services'", variable: "FACTORY_RUNNER_NAMESPACE", value: "factory-system" },
  { what: "runner CPU quota in cores", variable: "FACTORY_RUNNER_CPU_MILLICORES", value: "4" },
  { what: "runner memory quota in GB", variable: "FACTORY_RUNNER_MEMORY", value: "8GB" },
  { what: "no runner pods at all", variable: "FACTORY_RUNNER_PODS", value: "0" },
];

/** The environment of a row: its other settings, then the bad one. */
export function badInputEnv(row: BadInput): Record<string, string> {
  return { ...(row.with ?? {}), [row.variable]: row.value };
}

/** The line the app prints for a row (`error: <ConfigError message>`); throws if the row is accepted. */
export function expectedError(row: BadInput): string {
  try {
    loadConfig(badInputEnv(row));
  } catch (e) {
    if (e instanceof ConfigError) return `error: ${e.message}`;
    throw e;
  }
  throw new Error(`bad-inputs row "${row.what}" (${row.variable}=${JSON.stringify(row.value)}) is accepted by loadConfig`);
}
