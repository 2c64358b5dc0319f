/**
 * The backup stack (issue: data protection): AWS Backup of the data stores' volumes, selected by
 * the tag that the data stores' StorageClass writes on every volume it creates.
 */
import { platform, synthPlatform, synthJson, resourcesOf, onlyResource, TfJson } from "../helpers";

const json = synthPlatform();
const backup = json.backup;

/** The first statement of the policy document whose construct id contains `id`. */
function statement(stack: TfJson, id: string): TfJson {
  const [doc] = Object.entries(stack.data.aws_iam_policy_document as Record<string, TfJson>).filter(([name]) => name.includes(id));
  return doc[1].statement[0];
}

describe("backup stack", () => {
  test("a stack of its own, attractor-factory-backup, with state in the bucket and depending on the state stack only", () => {
    expect(backup.terraform.backend.s3.key).toBe("attractor-factory-backup/terraform.tfstate");
    expect(backup.data?.terraform_remote_state).toBeUndefined();
    const manifest = require(`${json.outdir}/manifest.json`);
    expect(manifest.stacks["attractor-factory-backup"].dependencies).toEqual(["attractor-factory-state"]);
  });

  test("the vault is encrypted with a key of its own, rotated", () => {
    const key = onlyResource(backup, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    const vault = onlyResource(backup, "aws_backup_vault");
    expect(vault.name).toBe("attractor-factory-data");
    expect(vault.kms_key_arn).toMatch(/^\$\{aws_kms_key\.vault_key_[0-9A-F]+\.arn\}$/);
  });

  test("the vault's access policy denies deleting recovery points to everyone when no break-glass role is set", () => {
    const doc = statement(backup, "deny-delete");
    expect(doc).toMatchObject({
      effect: "Deny",
      actions: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
      principals: [{ type: "AWS", identifiers: ["*"] }],
    });
    expect(doc.condition).toBeUndefined();
    expect(onlyResource(backup, "aws_backup_vault_policy").policy).toMatch(/^\$\{data\.aws_iam_policy_document\.vault_deny-delete_[0-9A-F]+\.json\}$/);
  });

  test("with FACTORY_BACKUP_BREAK_GLASS_ROLE_ARN, every principal but that role is denied", () => {
    const role = "arn:aws:iam::582719176192:role/break-glass";
    const doc = statement(synthJson(platform({ FACTORY_BACKUP_BREAK_GLASS_ROLE_ARN: role }).backup), "deny-delete");
    expect(doc.condition).toEqual([{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [role] }]);
  });

  test("the destroy verb can empty the vault: force_destroy deletes its recovery points once Terraform has removed the policy", () => {
    expect(onlyResource(backup, "aws_backup_vault").force_destroy).toBe(true);
  });

  test("a daily rule kept FACTORY_BACKUP_RETENTION_DAYS (default 35) and a weekly rule kept longer, into the vault", () => {
    const rules = onlyResource(backup, "aws_backup_plan").rule as TfJson[];
    expect(rules.map((r) => [r.rule_name, r.lifecycle.delete_after])).toEqual([
      ["daily", 35],
      ["weekly", 180],
    ]);
    for (const rule of rules) expect(rule.target_vault_name).toMatch(/^\$\{aws_backup_vault\.vault_[0-9A-F]+\.name\}$/);
    const changed = onlyResource(
      synthJson(platform({ FACTORY_BACKUP_RETENTION_DAYS: "14", FACTORY_BACKUP_WEEKLY_RETENTION_DAYS: "90" }).backup),
      "aws_backup_plan",
    ).rule as TfJson[];
    expect(changed.map((r) => r.lifecycle.delete_after)).toEqual([14, 90]);
  });

  test("the daily rule runs every day, the weekly rule on Sundays", () => {
    const rules = onlyResource(backup, "aws_backup_plan").rule as TfJson[];
    expect(rules.map((r) => r.schedule)).toEqual(["cron(0 3 ? * * *)", "cron(0 4 ? * SUN *)"]);
  });

  test("the BackupPlan construct refuses a weekly retention not longer than the daily one, naming both values", () => {
    const { BackupPlan } = require("../../constructs/backup-plan") as typeof import("../../constructs/backup-plan");
    const { TerraformStack, Testing } = require("cdktf") as typeof import("cdktf");
    const stack = new TerraformStack(Testing.app(), "mini");
    expect(
      () =>
        new BackupPlan(stack, "plan", {
          planName: "p",
          vaultName: "v",
          dailyRetentionDays: 30,
          weeklyRetentionDays: 30,
          selectionTag: { key: "k", value: "v" },
          roleName: "r",
        }),
    ).toThrow("BackupPlan mini/plan: weeklyRetentionDays (30) must be more than dailyRetentionDays (30)");
  });

  test("the service role has the AWS managed backup and restore policies", () => {
    const arns = resourcesOf(backup, "aws_iam_role_policy_attachment")
      .map((a) => a.policy_arn)
      .sort();
    expect(arns).toEqual([
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
    expect(statement(backup, "trust")).toMatchObject({ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["backup.amazonaws.com"] }] });
  });

  test("the selection is EBS volumes AND the tag: a condition (ANDed), not a selection_tag (ORed with the resources: every volume)", () => {
    const selection = onlyResource(backup, "aws_backup_selection");
    expect(selection.condition).toEqual([{ string_equals: [{ key: "aws:ResourceTag/attractor-factory/backup", value: "daily-weekly" }] }]);
    expect(selection.selection_tag).toBeUndefined();
    expect(selection.resources).toEqual(["arn:aws:ec2:*:*:volume/*"]);
  });

  test("the tag the data stores' StorageClass writes on its volumes is exactly the tag the selection reads; the scratch class writes no backup tag (both write the cost allocation tags)", () => {
    const classes = Object.fromEntries(resourcesOf(json.addons, "kubernetes_storage_class_v1").map((c) => [c.metadata.name, c]));
    const condition = onlyResource(backup, "aws_backup_selection").condition[0].string_equals[0];
    const written = (name: string) =>
      Object.entries(classes[name].parameters as Record<string, string>)
        .filter(([k]) => k.startsWith("tagSpecification_"))
        .map(([, v]) => v)
        .sort();
    const costTags = ["Project=attractor-factory", "Stack=attractor-factory-addons"];
    expect(written("gp3-retain")).toEqual([`${String(condition.key).replace(/^aws:ResourceTag\//, "")}=${condition.value}`, ...costTags].sort());
    expect(written("gp3")).toEqual(costTags);
  });

  test("every output has a description", () => {
    for (const [name, output] of Object.entries(backup.output as Record<string, TfJson>)) expect([name, typeof output.description]).toEqual([name, "string"]);
  });
});

describe("backup settings: bad input", () => {
  test.each([
    [{ FACTORY_BACKUP_RETENTION_DAYS: "0" }, /FACTORY_BACKUP_RETENTION_DAYS="0" is invalid/],
    [
      { FACTORY_BACKUP_RETENTION_DAYS: "200" },
      /FACTORY_BACKUP_RETENTION_DAYS="200" and FACTORY_BACKUP_WEEKLY_RETENTION_DAYS="180" \(default\) are invalid together: a weekly recovery point must be kept longer than a daily one/,
    ],
    [
      { FACTORY_BACKUP_BREAK_GLASS_ROLE_ARN: "arn:aws:iam::111111111111:role/other-account" },
      /FACTORY_BACKUP_BREAK_GLASS_ROLE_ARN=".*" is invalid: an IAM role ARN in account 582719176192/,
    ],
    [{ FACTORY_BACKUP_BREAK_GLASS_ROLE_ARN: "arn:aws:iam::582719176192:user/someone" }, /FACTORY_BACKUP_BREAK_GLASS_ROLE_ARN=".*" is invalid/],
  ])("%j is refused with one line naming the setting", (env, message) => {
    expect(() => platform(env)).toThrow(message);
  });
});
