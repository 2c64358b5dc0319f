/** BackupVault: an AWS Backup vault with its own KMS key, whose policy denies deleting recovery points. */
import { BackupVault, BackupVaultProps, PROTECTED_RECOVERY_POINT_ACTIONS } from "../../constructs/backup-vault";
import { awsStack, only, ref, synth, TfJson } from "./support";

function build(overrides: Partial<BackupVaultProps> = {}): TfJson {
  const stack = awsStack();
  new BackupVault(stack, "vault", { vaultName: "attractor-factory", ...overrides });
  return synth(stack);
}
const denyStatement = (json: TfJson) => only(json, "aws_iam_policy_document", "data").statement[0];

test("BackupVault: recovery points are encrypted with a key of the vault's own, rotated yearly", () => {
  const json = build();
  expect(only(json, "aws_kms_key")).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
  expect(only(json, "aws_backup_vault")).toMatchObject({ name: "attractor-factory", kms_key_arn: ref(json, "aws_kms_key", "arn") });
  expect(only(json, "aws_kms_alias")).toEqual({ name: "alias/backup/attractor-factory", target_key_id: ref(json, "aws_kms_key", "key_id") });
});

test("BackupVault: the vault can be destroyed with its recovery points (force_destroy; no Vault Lock)", () => {
  const json = build();
  expect(only(json, "aws_backup_vault").force_destroy).toBe(true);
  expect(json.resource.aws_backup_vault_lock_configuration).toBeUndefined();
});

test("BackupVault: the vault's policy denies deleting recovery points or shortening their lifecycle to every principal", () => {
  const json = build();
  expect(denyStatement(json)).toEqual({
    sid: "DenyRecoveryPointDeletion",
    effect: "Deny",
    principals: [{ type: "AWS", identifiers: ["*"] }],
    actions: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
    resources: ["*"],
  });
  expect(PROTECTED_RECOVERY_POINT_ACTIONS).toEqual(denyStatement(json).actions);
  expect(only(json, "aws_backup_vault_policy")).toEqual({
    backup_vault_name: ref(json, "aws_backup_vault", "name"),
    policy: ref(json, "aws_iam_policy_document", "json", "data"),
  });
});

test("BackupVault: breakGlassRoleArn is the one principal the deny does not apply to", () => {
  const role = "arn:aws:iam::111122223333:role/backup-break-glass";
  expect(denyStatement(build({ breakGlassRoleArn: role })).condition).toEqual([{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [role] }]);
});
