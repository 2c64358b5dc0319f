/** BackupPlan: a daily and a longer-kept weekly backup into one vault, of the EBS volumes that carry the backup tag. */
import { BACKUP_SCHEDULES, BackupPlan, BackupPlanProps } from "../../constructs/backup-plan";
import { backupTag } from "../../constructs/backup-tag";
import { all, awsStack, emptyStack, only, ref, synth, TfJson } from "./support";

const props: BackupPlanProps = {
  planName: "attractor-factory",
  vaultName: "attractor-factory",
  dailyRetentionDays: 7,
  weeklyRetentionDays: 35,
  selectionTag: backupTag("attractor-factory"),
  roleName: "attractor-factory-backup",
};

function build(overrides: Partial<BackupPlanProps> = {}): TfJson {
  const stack = awsStack();
  new BackupPlan(stack, "backup", { ...props, ...overrides });
  return synth(stack);
}
const rules = (json: TfJson) => only(json, "aws_backup_plan").rule;
const selection = (json: TfJson) => only(json, "aws_backup_selection");

test("BackupPlan: the plan is named planName, with a daily and a weekly rule, both into vaultName", () => {
  const json = build({ vaultName: "factory-vault" });
  expect(only(json, "aws_backup_plan").name).toBe("attractor-factory");
  expect(rules(json).map((r: TfJson) => [r.rule_name, r.target_vault_name])).toEqual([
    ["daily", "factory-vault"],
    ["weekly", "factory-vault"],
  ]);
});

test("BackupPlan: daily at 03:00 UTC, weekly on Sundays at 04:00 UTC", () => {
  expect(BACKUP_SCHEDULES).toEqual({ daily: "cron(0 3 ? * * *)", weekly: "cron(0 4 ? * SUN *)" });
  expect(rules(build()).map((r: TfJson) => r.schedule)).toEqual([BACKUP_SCHEDULES.daily, BACKUP_SCHEDULES.weekly]);
});

test("BackupPlan: daily points are kept dailyRetentionDays, weekly ones weeklyRetentionDays", () => {
  expect(rules(build()).map((r: TfJson) => r.lifecycle)).toEqual([{ delete_after: 7 }, { delete_after: 35 }]);
  expect(rules(build({ dailyRetentionDays: 14, weeklyRetentionDays: 90 })).map((r: TfJson) => r.lifecycle)).toEqual([
    { delete_after: 14 },
    { delete_after: 90 },
  ]);
});

test("BackupPlan: a backup starts within an hour and finishes within six, or it is reported as missed", () => {
  for (const rule of rules(build())) expect(rule).toMatchObject({ start_window: 60, completion_window: 360 });
});

test("BackupPlan: weeklyRetentionDays must be more than dailyRetentionDays", () => {
  expect(() => new BackupPlan(emptyStack(), "backup", { ...props, weeklyRetentionDays: 7 })).toThrow(
    "BackupPlan t/backup: weeklyRetentionDays (7) must be more than dailyRetentionDays (7)",
  );
  expect(() => new BackupPlan(emptyStack(), "backup", { ...props, weeklyRetentionDays: 5 })).toThrow(
    "weeklyRetentionDays (5) must be more than dailyRetentionDays (7)",
  );
  expect(() => new BackupPlan(emptyStack(), "backup", { ...props, weeklyRetentionDays: 8 })).not.toThrow();
});

test("BackupPlan: the service role named roleName is assumed by AWS Backup and has AWS's managed backup and restore policies", () => {
  const json = build();
  expect(only(json, "aws_iam_role").name).toBe("attractor-factory-backup");
  expect(only(json, "aws_iam_policy_document", "data").statement[0].principals).toEqual([{ type: "Service", identifiers: ["backup.amazonaws.com"] }]);
  expect(all(json, "aws_iam_role_policy_attachment").map((a) => a.policy_arn)).toEqual([
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
  ]);
});

test("BackupPlan: the selection belongs to the plan and backs up with the service role", () => {
  const json = build();
  expect(selection(json)).toMatchObject({
    name: "attractor-factory-tagged-volumes",
    plan_id: ref(json, "aws_backup_plan", "id"),
    iam_role_arn: ref(json, "aws_iam_role", "arn"),
  });
});

test("BackupPlan: what carries selectionTag is selected, as a condition (ANDed with the resource types), never as a selection_tag (ORed)", () => {
  const s = selection(build());
  expect(s.condition).toEqual([{ string_equals: [{ key: "aws:ResourceTag/attractor-factory/backup", value: "daily-weekly" }] }]);
  expect(s.selection_tag).toBeUndefined();
});

test("BackupPlan: EBS volumes only, by default", () => {
  expect(selection(build()).resources).toEqual(["arn:aws:ec2:*:*:volume/*"]);
});

test("BackupPlan: resources sets the resource types selected", () => {
  const resources = ["arn:aws:ec2:*:*:volume/*", "arn:aws:elasticfilesystem:*:*:file-system/*"];
  expect(selection(build({ resources })).resources).toEqual(resources);
});
