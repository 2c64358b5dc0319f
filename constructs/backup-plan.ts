import { Construct } from "constructs";
import { BackupPlan as BackupPlanResource } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupTag } from "./backup-tag";
import { awsManagedPolicy, ServiceRole } from "./service-role";

export interface BackupPlanProps {
  /** The plan's name, also its selection's prefix (`<planName>-tagged-volumes`). */
  readonly planName: string;
  /** The vault the recovery points go to. */
  readonly vaultName: string;
  /** How long a daily recovery point is kept. */
  readonly dailyRetentionDays: number;
  /** How long a weekly recovery point is kept; more than `dailyRetentionDays`. */
  readonly weeklyRetentionDays: number;
  /** The tag that selects what is backed up. */
  readonly selectionTag: BackupTag;
  /** The service role's name. */
  readonly roleName: string;
  /**
   * The resource types selected (ARN patterns): the tag alone would also select any other tagged
   * resource type AWS Backup supports.
   * @default EBS volumes only
   */
  readonly resources?: readonly string[];
}

/** Daily at 03:00 UTC; weekly on Sundays at 04:00 UTC (AWS Backup's cron syntax). */
export const BACKUP_SCHEDULES = { daily: "cron(0 3 ? * * *)", weekly: "cron(0 4 ? * SUN *)" } as const;

/**
 * An AWS Backup plan: a daily rule and a weekly rule kept longer, both into one vault; the service
 * role with AWS's managed backup and restore policies; and a selection by tag (so that every
 * volume created with the tag is backed up, without anyone listing volume ids). The tag is a
 * condition, which AWS Backup ANDs with the resource types; a `selection_tag` would be ORed with
 * them, and select every EBS volume of the account.
 */
export class BackupPlan extends Construct {
  readonly plan: BackupPlanResource;
  readonly role: ServiceRole;
  readonly selection: BackupSelection;

  constructor(scope: Construct, id: string, props: BackupPlanProps) {
    super(scope, id);
    if (props.weeklyRetentionDays <= props.dailyRetentionDays) {
      throw new Error(
        `BackupPlan ${this.node.path}: weeklyRetentionDays (${props.weeklyRetentionDays}) must be more than dailyRetentionDays (${props.dailyRetentionDays})`,
      );
    }
    this.plan = new BackupPlanResource(this, "plan", {
      name: props.planName,
      rule: [
        // Start within an hour, finish within six: a missed window is reported, not silently skipped.
        {
          ruleName: "daily",
          targetVaultName: props.vaultName,
          schedule: BACKUP_SCHEDULES.daily,
          startWindow: 60,
          completionWindow: 360,
          lifecycle: { deleteAfter: props.dailyRetentionDays },
        },
        {
          ruleName: "weekly",
          targetVaultName: props.vaultName,
          schedule: BACKUP_SCHEDULES.weekly,
          startWindow: 60,
          completionWindow: 360,
          lifecycle: { deleteAfter: props.weeklyRetentionDays },
        },
      ],
    });
    this.role = new ServiceRole(this, "role", {
      roleName: props.roleName,
      servicePrincipal: "backup.amazonaws.com",
      managedPolicyArns: [
        awsManagedPolicy("service-role/AWSBackupServiceRolePolicyForBackup"),
        awsManagedPolicy("service-role/AWSBackupServiceRolePolicyForRestores"),
      ],
    });
    this.selection = new BackupSelection(this, "selection", {
      name: `${props.planName}-tagged-volumes`,
      planId: this.plan.id,
      iamRoleArn: this.role.role.arn,
      resources: [...(props.resources ?? ["arn:aws:ec2:*:*:volume/*"])],
      condition: [{ stringEquals: [{ key: `aws:ResourceTag/${props.selectionTag.key}`, value: props.selectionTag.value }] }],
    });
  }
}
