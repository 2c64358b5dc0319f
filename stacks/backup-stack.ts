import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { FactoryConfig } from "../config";
import { PlatformStack } from "./platform-stack";
import { BackupVault } from "../constructs/backup-vault";
import { BackupPlan } from "../constructs/backup-plan";
import { backupTag } from "../constructs/backup-tag";

export interface BackupStackProps {
  /** The validated settings (config/index.ts). */
  readonly config: FactoryConfig;
}

/**
 * Backups in AWS, not in the cluster: a vault of its own and a plan that backs up every EBS volume
 * carrying the backup tag (the data stores' StorageClass writes it on each volume it creates).
 * Depends on the state stack only: it outlives the cluster and can be deployed before it.
 */
export class BackupStack extends PlatformStack {
  constructor(scope: Construct, id: string, props: BackupStackProps) {
    super(scope, id, { config: props.config });
    const { config } = props;
    const name = config.backup.vaultName;
    const vault = new BackupVault(this, "vault", { vaultName: name, breakGlassRoleArn: config.backup.breakGlassRoleArn });
    const tag = backupTag(config.stackPrefix);
    const plan = new BackupPlan(this, "plan", {
      planName: name,
      vaultName: vault.vault.name,
      dailyRetentionDays: config.backup.dailyRetentionDays,
      weeklyRetentionDays: config.backup.weeklyRetentionDays,
      selectionTag: tag,
      roleName: config.backup.roleName,
    });
    new TerraformOutput(this, "BackupVaultName", { value: vault.vault.name, description: "The AWS Backup vault of the data stores' recovery points" });
    new TerraformOutput(this, "BackupVaultArn", { value: vault.vault.arn, description: "ARN of the backup vault" });
    new TerraformOutput(this, "BackupPlanId", { value: plan.plan.id, description: "The backup plan (daily and weekly rules)" });
    new TerraformOutput(this, "BackupRoleArn", { value: plan.role.role.arn, description: "The role AWS Backup backs up and restores with" });
    new TerraformOutput(this, "BackupSelectionTag", { value: `${tag.key}=${tag.value}`, description: "The tag that selects a volume for backup" });
  }
}
