"""Tests patches/backup_selections_vault_policy_recovery_points.py: backup selections, vault access
policies, ListTags without a trailing slash (missing or wrong in moto 5.2.1).
"""
from __future__ import annotations

import unittest

from .support import ACCOUNT, server


class BackupSelectionsVaultPolicyRecoveryPointsTest(unittest.TestCase):
    def test_backup_selections_vault_policy_recovery_points(self) -> None:
        # Without the patch: no selections (the provider crashed on the answer),
        # no vault access policy and no recovery-point list (404), and ListTags
        # without the trailing slash the Go SDK sends answered no tags.
        backup = server().client("backup")
        vault = backup.create_backup_vault(BackupVaultName="data", BackupVaultTags={"Stack": "s"})
        plan = backup.create_backup_plan(BackupPlan={"BackupPlanName": "data", "Rules": [
            {"RuleName": "daily", "TargetBackupVaultName": "data", "ScheduleExpression": "cron(0 3 ? * * *)"}]})
        selection = {"SelectionName": "tagged", "IamRoleArn": f"arn:aws:iam::{ACCOUNT}:role/backup",
                     "Resources": ["arn:aws:ec2:*:*:volume/*"],
                     "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "k/backup", "ConditionValue": "v"}]}
        created = backup.create_backup_selection(BackupPlanId=plan["BackupPlanId"], BackupSelection=selection)
        got = backup.get_backup_selection(BackupPlanId=plan["BackupPlanId"], SelectionId=created["SelectionId"])
        self.assertEqual(got["BackupSelection"], selection)
        listed = backup.list_backup_selections(BackupPlanId=plan["BackupPlanId"])["BackupSelectionsList"]
        self.assertEqual([s["SelectionName"] for s in listed], ["tagged"])
        backup.delete_backup_selection(BackupPlanId=plan["BackupPlanId"], SelectionId=created["SelectionId"])
        with self.assertRaises(backup.exceptions.ResourceNotFoundException):
            backup.get_backup_selection(BackupPlanId=plan["BackupPlanId"], SelectionId=created["SelectionId"])
        with self.assertRaises(backup.exceptions.ResourceNotFoundException):
            backup.get_backup_vault_access_policy(BackupVaultName="data")
        backup.put_backup_vault_access_policy(BackupVaultName="data", Policy='{"Statement": []}')
        self.assertEqual(backup.get_backup_vault_access_policy(BackupVaultName="data")["Policy"], '{"Statement": []}')
        backup.delete_backup_vault_access_policy(BackupVaultName="data")
        with self.assertRaises(backup.exceptions.ResourceNotFoundException):
            backup.get_backup_vault_access_policy(BackupVaultName="data")
        self.assertEqual(backup.list_recovery_points_by_backup_vault(BackupVaultName="data")["RecoveryPoints"], [])

        def without_trailing_slash(request, **_):  # type: ignore[no-untyped-def]
            request.url = request.url.rstrip("/")
        backup.meta.events.register("before-send.backup.ListTags", without_trailing_slash)
        self.assertEqual(backup.list_tags(ResourceArn=vault["BackupVaultArn"])["Tags"], {"Stack": "s"})
