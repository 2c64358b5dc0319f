"""Tests patches/backup_plan_name_after_delete.py: a deleted backup plan's name is free again,
which moto 5.2.1 refused (AlreadyExistsException).
"""
from __future__ import annotations

import unittest

from .support import server

PLAN = {"BackupPlanName": "recreated", "Rules": [
    {"RuleName": "daily", "TargetBackupVaultName": "recreated", "ScheduleExpression": "cron(0 3 ? * * *)"}]}


class BackupPlanNameAfterDeleteTest(unittest.TestCase):
    def test_a_deleted_plans_name_is_free_and_the_deleted_plan_stays_listed(self) -> None:
        backup = server().client("backup")
        first = backup.create_backup_plan(BackupPlan=PLAN)
        with self.assertRaises(backup.exceptions.AlreadyExistsException):
            backup.create_backup_plan(BackupPlan=PLAN)  # a live plan of that name: still a conflict
        backup.delete_backup_plan(BackupPlanId=first["BackupPlanId"])
        second = backup.create_backup_plan(BackupPlan=PLAN)
        self.assertNotEqual(second["BackupPlanId"], first["BackupPlanId"])
        live = [p["BackupPlanId"] for p in backup.list_backup_plans()["BackupPlansList"] if p["BackupPlanName"] == "recreated"]
        self.assertEqual(live, [second["BackupPlanId"]])
        every = backup.list_backup_plans(IncludeDeleted=True)["BackupPlansList"]
        deleted = [p for p in every if p["BackupPlanId"] == first["BackupPlanId"]]
        self.assertEqual(len(deleted), 1)
        self.assertIsNotNone(deleted[0].get("DeletionDate"))
