"""Tests patches/backup_jobs_recovery_points_restores.py: backup jobs, recovery points and restore
jobs for EBS volumes (no route in moto 5.2.1).
"""
from __future__ import annotations

import unittest

from botocore.exceptions import ClientError

from .support import ACCOUNT, REGION, server


class BackupJobsRecoveryPointsRestoresTest(unittest.TestCase):
    def test_backup_jobs_recovery_points_restores(self) -> None:
        # Without the patch none of these calls has a route (404), and a vault
        # holding recovery points was deleted with them.
        backup, ec2 = server().client("backup"), server().client("ec2")
        backup.create_backup_vault(BackupVaultName="jobs")
        volume = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8, VolumeType="gp3", Encrypted=True,
                                   TagSpecifications=[{"ResourceType": "volume", "Tags": [
                                       {"Key": "k/backup", "Value": "v"}, {"Key": "pvc", "Value": "data-postgres-0"}]}])
        volume_arn = f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/{volume['VolumeId']}"
        role = f"arn:aws:iam::{ACCOUNT}:role/backup"
        job = backup.start_backup_job(BackupVaultName="jobs", ResourceArn=volume_arn, IamRoleArn=role)
        point = job["RecoveryPointArn"]
        self.assertRegex(point, rf"^arn:aws:ec2:{REGION}::snapshot/snap-[0-9a-f]+$")
        snapshot_id = point.rsplit("/", 1)[1]
        snapshot = ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]
        self.assertEqual(snapshot["VolumeId"], volume["VolumeId"])
        self.assertEqual({t["Key"]: t["Value"] for t in snapshot["Tags"]}, {"k/backup": "v", "pvc": "data-postgres-0"})
        listed = backup.list_recovery_points_by_backup_vault(BackupVaultName="jobs", ByResourceType="EBS")["RecoveryPoints"]
        self.assertEqual([(p["RecoveryPointArn"], p["ResourceArn"], p["Status"]) for p in listed], [(point, volume_arn, "COMPLETED")])
        self.assertEqual(backup.describe_recovery_point(BackupVaultName="jobs", RecoveryPointArn=point)["ResourceArn"], volume_arn)

        restore = backup.start_restore_job(RecoveryPointArn=point, IamRoleArn=role, ResourceType="EBS",
                                           CopySourceTagsToRestoredResource=True,
                                           Metadata={"availabilityZone": f"{REGION}b", "volumeType": "gp3", "volumeSize": "10"})
        first = backup.describe_restore_job(RestoreJobId=restore["RestoreJobId"])
        self.assertEqual(first["Status"], "RUNNING")
        done = backup.describe_restore_job(RestoreJobId=restore["RestoreJobId"])
        self.assertEqual(done["Status"], "COMPLETED")
        restored_id = done["CreatedResourceArn"].rsplit("/", 1)[1]
        restored = ec2.describe_volumes(VolumeIds=[restored_id])["Volumes"][0]
        self.assertEqual((restored["AvailabilityZone"], restored["SnapshotId"], restored["Size"], restored["VolumeType"]),
                         (f"{REGION}b", snapshot_id, 10, "gp3"))
        self.assertEqual({t["Key"]: t["Value"] for t in restored["Tags"]}, {"k/backup": "v", "pvc": "data-postgres-0"})

        with self.assertRaises(ClientError) as refused:
            backup.delete_backup_vault(BackupVaultName="jobs")
        self.assertEqual(refused.exception.response["Error"]["Code"], "InvalidRequestException")
        backup.delete_recovery_point(BackupVaultName="jobs", RecoveryPointArn=point)
        with self.assertRaises(backup.exceptions.ResourceNotFoundException):
            backup.describe_recovery_point(BackupVaultName="jobs", RecoveryPointArn=point)
        self.assertEqual(ec2.describe_snapshots(Filters=[{"Name": "snapshot-id", "Values": [snapshot_id]}])["Snapshots"], [])
        backup.delete_backup_vault(BackupVaultName="jobs")
