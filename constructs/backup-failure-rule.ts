import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";

/** The job states that are failures (AWS Backup's "Backup Job State Change" and "Restore Job State Change" events). */
export const FAILED_JOB_STATES = ["FAILED", "ABORTED", "EXPIRED"] as const;

export interface BackupFailureRuleProps {
  /** The rule's name. */
  readonly ruleName: string;
  /** Where the events go (the alert topic). */
  readonly topicArn: string;
  /** The platform's vault (named in the rule's description). */
  readonly vaultName: string;
}

/**
 * An EventBridge rule on the default bus: every backup or restore job of the account and region
 * that ends FAILED, ABORTED or EXPIRED goes to the alert topic as AWS Backup sent it (one store's failing
 * job, which the vault-wide "no backup completed" alarm would not see while the others succeed).
 */
export class BackupFailureRule extends Construct {
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: BackupFailureRuleProps) {
    super(scope, id);
    this.rule = new CloudwatchEventRule(this, "rule", {
      name: props.ruleName,
      description: `Backup and restore jobs (the platform's vault: ${props.vaultName}) that end ${FAILED_JOB_STATES.join(", ")}, to the alert topic`,
      eventPattern: JSON.stringify({
        source: ["aws.backup"],
        "detail-type": ["Backup Job State Change", "Restore Job State Change"],
        // Not filtered by vault: a restore job's event does not name one, and this account's
        // other jobs failing are worth knowing too.
        detail: { state: [...FAILED_JOB_STATES] },
      }),
    });
    new CloudwatchEventTarget(this, "to-topic", { rule: this.rule.name, targetId: "alert-topic", arn: props.topicArn });
  }
}
