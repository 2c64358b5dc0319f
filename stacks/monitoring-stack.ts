import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { FactoryConfig } from "../config";
import { PlatformStack } from "./platform-stack";
import { CertStack } from "./cert-stack";
import { AlertTopic } from "../constructs/alert-topic";
import { BackupFailureRule } from "../constructs/backup-failure-rule";
import { PlatformAlarms } from "../constructs/platform-alarms";
import { dataClaim, DATA_STORES, FACTORY_DEPLOYMENTS } from "../lib/workloads";

export interface MonitoringStackProps {
  /** The validated settings (config/index.ts). */
  readonly config: FactoryConfig;
  /** The certificate whose expiry is watched. */
  readonly cert: CertStack;
}

/**
 * Knowing when the platform breaks: the alert topic (encrypted, only CloudWatch alarms and
 * EventBridge rules may publish; optional e-mail subscribers), the alarms of alarms.yaml on the
 * platform's own failure modes (nodes, the factory's workloads and data stores, their volumes, the
 * certificate, backups) and the rule that sends every failed backup or restore job to the topic.
 * The metrics come from Container Insights (the eks stack's add-on); the load balancer's alarms
 * are the dns stack's (it finds the ALB).
 */
export class MonitoringStack extends PlatformStack {
  /** The alert topic: other stacks' alarms send to it. */
  readonly topicArn: string;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, { config: props.config });
    const { config, cert } = props;
    const prefix = config.stackPrefix;
    const alerts = new AlertTopic(this, "alerts", {
      topicName: `${prefix}-alerts`,
      accountId: config.accountId,
      region: config.region,
      emails: config.alertEmails,
    });
    this.topicArn = alerts.topic.arn;
    const alarms = new PlatformAlarms(this, "alarms", {
      stack: "monitoring",
      prefix,
      topicArn: alerts.topic.arn,
      values: {
        cluster: config.clusterName,
        namespace: config.namespace,
        nodeMin: config.nodeGroup.minSize,
        vault: config.backup.vaultName,
        certificateArn: cert.certificateArn,
      },
      lists: {
        deployments: FACTORY_DEPLOYMENTS.map((name) => ({ name })),
        workloads: [...FACTORY_DEPLOYMENTS, ...DATA_STORES].map((name) => ({ name })),
        dataStores: DATA_STORES.map((name) => ({ name, claim: dataClaim(name) })),
      },
    });
    const rule = new BackupFailureRule(this, "backup-failures", {
      ruleName: `${prefix}-backup-job-failed`,
      topicArn: alerts.topic.arn,
      vaultName: config.backup.vaultName,
    });
    new TerraformOutput(this, "AlertTopicArn", { value: alerts.topic.arn, description: "The SNS topic of the platform's alerts (subscribe endpoints here)" });
    new TerraformOutput(this, "AlarmNames", { value: alarms.alarms.map((a) => a.alarmName), description: "The alarms of this stack (alarms.yaml)" });
    new TerraformOutput(this, "BackupFailureRuleName", { value: rule.rule.name, description: "The EventBridge rule of failed backup and restore jobs" });
  }
}
