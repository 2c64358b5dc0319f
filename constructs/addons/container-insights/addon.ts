import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { IrsaRole } from "../../irsa-role";
import { awsManagedPolicy } from "../../service-role";

/** The add-on's name, and its agent's service account (fixed by the add-on). */
export const CLOUDWATCH_OBSERVABILITY = "amazon-cloudwatch-observability";
export const CLOUDWATCH_AGENT_SERVICE_ACCOUNT = { namespace: "amazon-cloudwatch", name: "cloudwatch-agent" } as const;

/**
 * The log groups Container Insights writes to, by their last path element:
 * /aws/containerinsights/<cluster>/<kind> (application, dataplane and host by Fluent Bit,
 * performance by the agent; prometheus: the volume stats of this configuration).
 */
export const CONTAINER_INSIGHTS_LOG_GROUPS = ["application", "dataplane", "host", "performance", "prometheus"] as const;

/** What the volume alarms read: the kubelet's volume stats, scraped by the agent (Container Insights has no claim usage). */
export const VOLUME_METRICS = ["kubelet_volume_stats_used_bytes", "kubelet_volume_stats_capacity_bytes"] as const;

/**
 * The add-on's configuration: Container Insights with enhanced observability, and a Prometheus
 * scrape of each node's kubelet (through the API server's node proxy) whose volume stats the agent
 * publishes to ContainerInsights/Prometheus by claim, for the volume alarms. `agent.config`
 * replaces the add-on's default agent configuration, so it states Container Insights itself.
 * Keys: the chart's values (aws-observability/helm-charts, amazon-cloudwatch-observability 6.4.0,
 * agent.config and agent.prometheus.config, read 2026-12-06); AWS checks them against the add-on's
 * schema at create time (aws eks describe-addon-configuration), which the local AWS API does not.
 */
export function containerInsightsConfiguration(clusterName: string): Record<string, unknown> {
  return {
    agent: {
      config: {
        logs: {
          metrics_collected: {
            kubernetes: { cluster_name: clusterName, enhanced_container_insights: true },
            prometheus: {
              cluster_name: clusterName,
              log_group_name: `/aws/containerinsights/${clusterName}/prometheus`,
              prometheus_config_path: "/etc/prometheusconfig/prometheus.yaml",
              emf_processor: {
                metric_declaration: [
                  {
                    source_labels: ["job"],
                    label_matcher: "^kubelet$",
                    dimensions: [["ClusterName", "namespace", "persistentvolumeclaim"]],
                    metric_selectors: VOLUME_METRICS.map((m) => `^${m}$`),
                  },
                ],
              },
            },
          },
        },
      },
      prometheus: {
        config: {
          global: { scrape_interval: "1m", scrape_timeout: "10s" },
          scrape_configs: [
            {
              job_name: "kubelet",
              scheme: "https",
              tls_config: { ca_file: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt" },
              bearer_token_file: "/var/run/secrets/kubernetes.io/serviceaccount/token",
              kubernetes_sd_configs: [{ role: "node" }],
              relabel_configs: [
                { target_label: "__address__", replacement: "kubernetes.default.svc:443" },
                {
                  source_labels: ["__meta_kubernetes_node_name"],
                  regex: "(.+)",
                  target_label: "__metrics_path__",
                  replacement: "/api/v1/nodes/$1/proxy/metrics",
                },
              ],
              metric_relabel_configs: [{ source_labels: ["__name__"], regex: VOLUME_METRICS.join("|"), action: "keep" }],
            },
          ],
        },
      },
    },
  };
}

export interface ContainerInsightsProps {
  /** The cluster the add-on runs in; it names the log groups (/aws/containerinsights/<cluster>/...), their key's alias and the agent's role. */
  readonly clusterName: string;
  /** The account of the log groups, whose root administers their key. */
  readonly accountId: string;
  /** The region of the log groups: its CloudWatch Logs service may use their key. */
  readonly region: string;
  /** The add-on's version (versions.yaml `kubernetes.eksAddons.<minor>`). */
  readonly addonVersion: string;
  /** The cluster's IAM OIDC provider, trusted by the agent's IRSA role. */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer URL (https://oidc.eks.<region>.amazonaws.com/id/<id>). */
  readonly oidcIssuerUrl: string;
  /** How long the log groups keep events (FACTORY_LOG_RETENTION_DAYS). */
  readonly retentionDays: number;
  /**
   * The add-on's configuration (its schema: aws eks describe-addon-configuration), as an object.
   * @default none: the add-on's defaults
   */
  readonly configuration?: Record<string, unknown>;
  /**
   * Created after these.
   * @default none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * Container Insights with enhanced observability: the EKS managed add-on amazon-cloudwatch-observability
 * (the CloudWatch agent for metrics, Fluent Bit for container logs) with its own IRSA role
 * (CloudWatchAgentServerPolicy, trusted by the agent's service account only), and the log groups it
 * writes to, made beforehand with the platform's retention and a key of their own: left to the
 * agent, they would keep every event forever, unencrypted by a key of ours, and outlive destroy-all.
 */
export class ContainerInsights extends Construct {
  readonly addon: EksAddon;
  readonly role: IrsaRole;
  readonly logGroups: Record<(typeof CONTAINER_INSIGHTS_LOG_GROUPS)[number], CloudwatchLogGroup>;
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: ContainerInsightsProps) {
    super(scope, id);
    const prefix = `/aws/containerinsights/${props.clusterName}`;
    const keyPolicy = new DataAwsIamPolicyDocument(this, "key-policy", {
      statement: [
        {
          sid: "AccountAdministers",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${props.accountId}:root`] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        {
          sid: "LogsEncryptTheseGroups",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: [`logs.${props.region}.amazonaws.com`] }],
          actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          resources: ["*"],
          condition: [
            {
              test: "ArnLike",
              variable: "kms:EncryptionContext:aws:logs:arn",
              values: [`arn:aws:logs:${props.region}:${props.accountId}:log-group:${prefix}/*`],
            },
          ],
        },
      ],
    });
    this.key = new KmsKey(this, "key", {
      description: `Encryption of the Container Insights log groups of EKS cluster ${props.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: keyPolicy.json,
    });
    new KmsAlias(this, "key-alias", { name: `alias/logs/${props.clusterName}-container-insights`, targetKeyId: this.key.keyId });
    const groups = {} as Record<(typeof CONTAINER_INSIGHTS_LOG_GROUPS)[number], CloudwatchLogGroup>;
    for (const kind of CONTAINER_INSIGHTS_LOG_GROUPS) {
      groups[kind] = new CloudwatchLogGroup(this, `logs-${kind}`, { name: `${prefix}/${kind}`, retentionInDays: props.retentionDays, kmsKeyId: this.key.arn });
    }
    this.logGroups = groups;

    this.role = new IrsaRole(this, "agent-role", {
      roleName: `${props.clusterName}-cloudwatch-agent`,
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerUrl: props.oidcIssuerUrl,
      namespace: CLOUDWATCH_AGENT_SERVICE_ACCOUNT.namespace,
      serviceAccount: CLOUDWATCH_AGENT_SERVICE_ACCOUNT.name,
      managedPolicyArns: [awsManagedPolicy("CloudWatchAgentServerPolicy")],
    });

    this.addon = new EksAddon(this, "addon", {
      clusterName: props.clusterName,
      addonName: CLOUDWATCH_OBSERVABILITY,
      addonVersion: props.addonVersion,
      serviceAccountRoleArn: this.role.role.arn,
      configurationValues: props.configuration ? JSON.stringify(props.configuration) : undefined,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      // The groups exist before the agent writes (it would create them without retention), and
      // the role's policy is attached before the agent starts.
      dependsOn: [...Object.values(groups), ...this.role.attachments, ...(props.dependsOn ?? [])],
    });
  }
}
