/**
 * The shape of the validated settings. The parts a construct consumes are the construct's own
 * props types (imported as types only, so loading the settings loads no provider bindings).
 */
import type { NatGatewayMode } from "../constructs/vpc-network";
import type { CapacityType, NodeGroupSizing } from "../constructs/managed-node-group";
import type { EksSupportType } from "../constructs/eks-cluster";
import type { DataStoreSizes } from "../constructs/k8s/factory-data-stores";

export type { NatGatewayMode, CapacityType, DataStoreSizes, NodeGroupSizing, EksSupportType };

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
  /** The node groups' AMI release for kubernetesVersion (versions.yaml); undefined: AWS's recommended one at creation. */
  readonly nodeAmiRelease: string | undefined;
  /** The cluster's upgrade policy (FACTORY_EKS_SUPPORT_TYPE). */
  readonly eksSupportType: EksSupportType;
  readonly serviceCidr: string;
  readonly endpointPublicAccessCidrs: readonly string[];
  readonly adminPrincipalArns: readonly string[];
  readonly logRetentionDays: number;
  /** E-mail addresses subscribed to the alert topic (FACTORY_ALERT_EMAILS; none by default). */
  readonly alertEmails: readonly string[];
  readonly nodeGroup: NodeGroupSizing;
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

/** One documented row per setting; docs/configuration.md's settings table is generated from these. */
export interface SettingDoc {
  readonly variable: string;
  readonly default: string;
  readonly allowed: string;
}
