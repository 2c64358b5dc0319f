import { Construct } from "constructs";
import { BackupVault as BackupVaultResource } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupVaultPolicy } from "@cdktf/provider-aws/lib/backup-vault-policy";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";

/** What the vault's access policy denies to every principal but the break-glass role. */
export const PROTECTED_RECOVERY_POINT_ACTIONS: readonly string[] = ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"];

export interface BackupVaultProps {
  /** The vault's name (also its key's alias, alias/backup/<name>). */
  readonly vaultName: string;
  /**
   * The one role that may delete recovery points or shorten their lifecycle.
   * @default undefined: nobody may (the policy denies it to every principal)
   */
  readonly breakGlassRoleArn?: string;
}

/**
 * An AWS Backup vault encrypted with a key of its own (rotated yearly), whose access policy denies
 * deleting recovery points to everyone but the break-glass role. The policy guards against
 * mistakes (a script, a console click); a principal allowed to delete the policy itself, as the
 * destroy verb's credentials are, can remove it first (that is how the destroy verb empties the
 * vault: Terraform deletes the policy, then the vault with `force_destroy` its recovery points). Vault Lock would make points undeletable even
 * for administrators, and the vault with them: not used, so that the platform can be decommissioned.
 */
export class BackupVault extends Construct {
  readonly vault: BackupVaultResource;
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: BackupVaultProps) {
    super(scope, id);
    this.key = new KmsKey(this, "key", {
      description: `Encryption of the recovery points in AWS Backup vault ${props.vaultName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new KmsAlias(this, "key-alias", { name: `alias/backup/${props.vaultName}`, targetKeyId: this.key.keyId });
    this.vault = new BackupVaultResource(this, "vault", { name: props.vaultName, kmsKeyArn: this.key.arn, forceDestroy: true });
    const deny = new DataAwsIamPolicyDocument(this, "deny-delete", {
      statement: [
        {
          sid: "DenyRecoveryPointDeletion",
          effect: "Deny",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: [...PROTECTED_RECOVERY_POINT_ACTIONS],
          resources: ["*"],
          condition: props.breakGlassRoleArn ? [{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [props.breakGlassRoleArn] }] : undefined,
        },
      ],
    });
    new BackupVaultPolicy(this, "policy", { backupVaultName: this.vault.name, policy: deny.json });
  }
}
