/**
 * The routine changes an operator makes to a running platform, each as the FACTORY_* settings that
 * make it from the current configuration, the stacks it touches, and what its plan must show. The
 * plan-safety rehearsal (scripts/plan-safety.ts) plans each against the deployed platform.
 */
import { FactoryConfig, ZONE_COUNT } from "../../config";
import { KUBERNETES_VERSIONS } from "../../versions";
import { memoryMiB } from "../../node-capacity";

/** FACTORY_* variables to set (undefined: unset, i.e. the default). */
export type Settings = Readonly<Record<string, string | undefined>>;

export interface RoutineChange {
  /** what the operator does, as the table prints it */
  readonly name: string;
  /** the stacks it touches, by short name */
  readonly stacks: readonly string[];
  /** the settings that make it from `current`, or why it does not apply to this configuration */
  readonly settings: (current: FactoryConfig) => Settings | { readonly notApplicable: string };
  /** resource types that must be updated in place (none of them replaced) */
  readonly inPlace?: readonly string[];
  /** resource types that must be rolled: replaced, the successor created first */
  readonly rolled?: readonly string[];
  /** an empty plan is the expected answer, and this the verdict on it (else an empty plan proves nothing) */
  readonly emptyIsSafe?: string;
  /** a bump of versions.yaml rather than a setting: the pinned values it changes in the configuration */
  readonly pins?: (current: FactoryConfig) => Partial<Pick<FactoryConfig, "nodeAmiRelease">>;
}

/** A later build of the same release (a plan only: AWS is not asked whether it exists). */
export function laterAmiRelease(release: string, days = 35): string {
  const m = /^(.*)-(\d{4})(\d\d)(\d\d)$/.exec(release);
  if (!m) throw new Error(`not an AMI release such as 1.35.7-20260827: ${release}`);
  const date = new Date(Date.UTC(Number(m[2]), Number(m[3]) - 1, Number(m[4]) + days));
  return `${m[1]}-${date.toISOString().slice(0, 10).replace(/-/g, "")}`;
}

const LOG_RETENTION_STEPS = [30, 60, 90, 180, 365];
/** An address no deployment uses (TEST-NET-3, RFC 5737). */
const OTHER_CIDR = "203.0.113.0/24";
const EXTRA_ADMIN = (c: FactoryConfig) => `arn:aws:iam::${c.accountId}:role/plan-safety-rehearsal-admin`;

export const ROUTINE_CHANGES: readonly RoutineChange[] = [
  {
    // What deploy-infra would do now with the settings as they are: after a change of this code
    // (a new release of the project), whether deploying it is safe. In sync: nothing pending.
    name: "pending code change",
    stacks: ["network", "eks", "ecr", "cert", "backup", "monitoring"],
    settings: () => ({}),
    emptyIsSafe: "safe: nothing pending (the stacks match the code)",
  },
  {
    name: "next Kubernetes minor",
    stacks: ["eks"],
    settings: (c) => {
      const next = KUBERNETES_VERSIONS[KUBERNETES_VERSIONS.indexOf(c.kubernetesVersion) + 1];
      return next ? { FACTORY_KUBERNETES_VERSION: next } : { notApplicable: `${c.kubernetesVersion} is the newest version versions.yaml pins add-ons for` };
    },
    // The upgrade: control plane, then nodes, then add-ons, each in place.
    inPlace: ["aws_eks_cluster", "aws_eks_node_group", "aws_eks_addon"],
  },
  {
    // A patch release of the nodes' AMI (security fixes): each zone's group rolls in place, one
    // node at a time (a new node joins before an old one drains).
    name: "node AMI release bump",
    stacks: ["eks"],
    settings: (c) => (c.nodeAmiRelease ? {} : { notApplicable: `versions.yaml pins no AMI release for Kubernetes ${c.kubernetesVersion}` }),
    pins: (c) => ({ nodeAmiRelease: laterAmiRelease(c.nodeAmiRelease!) }),
    inPlace: ["aws_eks_node_group"],
  },
  {
    // The sizes are totals over the zones' node groups: +1 a zone.
    name: "node min/desired/max +1 a zone",
    stacks: ["eks"],
    settings: (c) =>
      c.nodeGroup.maxSize + ZONE_COUNT > 100
        ? { notApplicable: "the node groups are at their largest" }
        : {
            FACTORY_NODE_MIN: String(c.nodeGroup.minSize + ZONE_COUNT),
            FACTORY_NODE_DESIRED: String(c.nodeGroup.desiredSize + ZONE_COUNT),
            FACTORY_NODE_MAX: String(c.nodeGroup.maxSize + ZONE_COUNT),
          },
    inPlace: ["aws_eks_node_group"],
  },
  {
    name: "node instance types",
    stacks: ["eks"],
    settings: (c) => ({ FACTORY_NODE_INSTANCE_TYPES: c.nodeGroup.instanceTypes.join(",") === "m6i.xlarge" ? "m6i.large" : "m6i.xlarge" }),
    rolled: ["aws_eks_node_group"],
  },
  {
    name: "node capacity type",
    stacks: ["eks"],
    settings: (c) => ({ FACTORY_NODE_CAPACITY_TYPE: c.nodeGroup.capacityType === "SPOT" ? "ON_DEMAND" : "SPOT" }),
    rolled: ["aws_eks_node_group"],
  },
  {
    name: "node disk size +20 GiB",
    stacks: ["eks"],
    settings: (c) => ({ FACTORY_NODE_DISK_SIZE: String(c.nodeGroup.diskSizeGiB + 20) }),
    inPlace: ["aws_launch_template", "aws_eks_node_group"],
  },
  {
    name: "log retention",
    stacks: ["eks"],
    settings: (c) => ({ FACTORY_LOG_RETENTION_DAYS: String(LOG_RETENTION_STEPS.find((d) => d !== c.logRetentionDays)) }),
    inPlace: ["aws_cloudwatch_log_group"],
  },
  {
    name: "endpoint public access CIDRs",
    stacks: ["eks"],
    settings: (c) => ({ FACTORY_ENDPOINT_PUBLIC_ACCESS_CIDRS: c.endpointPublicAccessCidrs.includes(OTHER_CIDR) ? "0.0.0.0/0" : OTHER_CIDR }),
    inPlace: ["aws_eks_cluster"],
  },
  {
    name: "admin principal added",
    stacks: ["eks"],
    settings: (c) => ({ FACTORY_ADMIN_PRINCIPAL_ARNS: [...c.adminPrincipalArns, EXTRA_ADMIN(c)].join(",") }),
  },
  {
    name: "admin principal removed",
    stacks: ["eks"],
    settings: (c) =>
      c.adminPrincipalArns.length === 0
        ? { notApplicable: "no extra admin principal is configured (FACTORY_ADMIN_PRINCIPAL_ARNS)" }
        : { FACTORY_ADMIN_PRINCIPAL_ARNS: c.adminPrincipalArns.slice(0, -1).join(",") || undefined },
  },
  {
    name: "NAT gateway per AZ",
    stacks: ["network"],
    settings: (c) =>
      c.natGateways === "per-az"
        ? { notApplicable: "already one NAT gateway per AZ (going back to one deletes NAT gateways: the guard stops it)" }
        : { FACTORY_NAT_GATEWAYS: "per-az" },
  },
  {
    name: "ECR images kept",
    stacks: ["ecr"],
    settings: (c) => ({ FACTORY_ECR_KEEP_IMAGES: String(c.ecrKeepImages === 100 ? 50 : 100) }),
    // The provider replaces a lifecycle policy whose text changes; the repositories stay.
  },
  {
    // The StatefulSet ignores its claim template's size; deploy-app grows the claim in place.
    name: "data store volume +10 GiB",
    stacks: ["app"],
    settings: (c) => {
      const mib = memoryMiB(c.dataStoreSizes.postgres) + 10 * 1024;
      return { FACTORY_POSTGRES_STORAGE: mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi` };
    },
    emptyIsSafe: "safe: the StatefulSets stay (deploy-app grows the claim in place)",
  },
  {
    name: "API/web replica bounds",
    stacks: ["app"],
    settings: (c) => ({ FACTORY_MIN_REPLICAS: String(c.replicas.min + 1), FACTORY_MAX_REPLICAS: String(Math.max(c.replicas.max, c.replicas.min + 1) + 1) }),
    inPlace: ["kubernetes_horizontal_pod_autoscaler_v2"],
  },
];
