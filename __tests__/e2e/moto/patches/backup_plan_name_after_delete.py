"""CreateBackupPlan with the name of a deleted plan (moto 5.2.1: AlreadyExistsException
"Backup plan with the same plan document already exists").

AWS Backup keeps a deleted plan listable (ListBackupPlans --include-deleted, with its
DeletionDate) but frees its name: only a plan that is not deleted makes a second one of the
same name a conflict. moto compared the new name with every plan it ever held, so after
destroy-all the same account could not deploy its backup stack again.
"""
from __future__ import annotations


def apply() -> None:
    from moto.backup import models

    original = models.BackupBackend.create_backup_plan

    def create_backup_plan(self, backup_plan, backup_plan_tags, creator_request_id):  # type: ignore[no-untyped-def]
        # Deleted plans are set aside while moto checks the name, then kept as before.
        deleted = {pid: p for pid, p in self.plans.items() if p.deletion_date is not None}
        for pid in deleted:
            del self.plans[pid]
        try:
            return original(self, backup_plan, backup_plan_tags, creator_request_id)
        finally:
            self.plans.update(deleted)

    models.BackupBackend.create_backup_plan = create_backup_plan
