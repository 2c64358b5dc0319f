/**
 * The tag that selects a volume for backup. One definition for both sides: the StorageClass that
 * writes it on every volume it creates (addons stack) and the backup plan's selection that reads it
 * (backup stack). The key carries the stack prefix, so two platforms in one account never select
 * each other's volumes.
 */
export interface BackupTag {
  readonly key: string;
  readonly value: string;
}

export function backupTag(stackPrefix: string): BackupTag {
  return { key: `${stackPrefix}/backup`, value: "daily-weekly" };
}
