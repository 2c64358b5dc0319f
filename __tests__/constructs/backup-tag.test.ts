/** backupTag: the one tag that both the StorageClass writes on every volume and the backup plan selects by. */
import { backupTag } from "../../constructs/backup-tag";

test("backupTag: the key is <stackPrefix>/backup, so that two platforms in one account never select each other's volumes", () => {
  expect(backupTag("attractor-factory").key).toBe("attractor-factory/backup");
  expect(backupTag("attractor-factory-staging").key).toBe("attractor-factory-staging/backup");
});

test('backupTag: the value is "daily-weekly" (the schedule of the plan that selects it)', () => {
  expect(backupTag("attractor-factory")).toEqual({ key: "attractor-factory/backup", value: "daily-weekly" });
});
