"""CreateBackupSelection, GetBackupSelection, ListBackupSelections,
DeleteBackupSelection; Put/Get/DeleteBackupVaultAccessPolicy;
ListRecoveryPointsByBackupVault (moto 5.2.1 implements none of them: the
selection calls reach BackupResponse without a method, the others have no
route, and the provider fails on the answer).

Selections belong to their plan (ResourceNotFoundException for an unknown
plan or selection) and are answered as stored. A vault's access policy is
kept as given; asking for the policy of a vault without one is
ResourceNotFoundException, as in AWS. Recovery points: none exist here (no
job ever runs), so the list is empty; that is what the provider's
force_destroy walks before it deletes a vault.

ListTags: the Go SDK asks GET /tags/{arn} without the trailing slash, and
moto reads the ARN from the segment before the last one ("tags"), so every
resource had no tags and default_tags diffed forever.
"""
from __future__ import annotations

import json


def apply() -> None:
    import re
    import time
    import uuid

    from urllib.parse import unquote

    from moto.backup import responses, urls
    from moto.backup.exceptions import ResourceNotFoundException
    from moto.core.responses import EmptyResult

    for path in ("{0}/backup-vaults/(?P<name>[^/]+)/access-policy$",
                 "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/$",
                 "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points$"):
        urls.url_paths.setdefault(path, urls.response.dispatch)
    R = responses.BackupResponse

    def _state(backend):  # type: ignore[no-untyped-def]
        if not hasattr(backend, "_launcher_selections"):
            backend._launcher_selections = {}  # plan id -> selection id -> record
            backend._launcher_vault_policies = {}  # vault name -> policy text
        return backend

    def _plan_and_selection(self):  # type: ignore[no-untyped-def]
        m = re.search(r"/backup/plans/([^/]+)/selections/?([^/]*)$", self.path.split("?")[0])
        plan_id, selection_id = m.group(1), m.group(2)
        backend = _state(self.backup_backend)
        if plan_id not in backend.plans:
            raise ResourceNotFoundException(f"Failed reading Backup plan with provided version {plan_id}")
        return backend, plan_id, selection_id

    def _vault(self):  # type: ignore[no-untyped-def]
        name = re.search(r"/backup-vaults/([^/]+)/", self.path.split("?")[0]).group(1)
        backend = _state(self.backup_backend)
        if name not in backend.vaults:
            raise ResourceNotFoundException(f"Backup vault {name} does not exist")
        return backend, name

    def create_backup_selection(self):  # type: ignore[no-untyped-def]
        backend, plan_id, _ = _plan_and_selection(self)
        body = json.loads(self.body or "{}")
        selection_id = str(uuid.uuid4())
        record = {"SelectionId": selection_id, "BackupPlanId": plan_id, "CreationDate": time.time(),
                  "CreatorRequestId": body.get("CreatorRequestId"), "BackupSelection": body["BackupSelection"]}
        backend._launcher_selections.setdefault(plan_id, {})[selection_id] = record
        return json.dumps({k: record[k] for k in ("SelectionId", "BackupPlanId", "CreationDate")})

    def _selection(backend, plan_id, selection_id):  # type: ignore[no-untyped-def]
        record = backend._launcher_selections.get(plan_id, {}).get(selection_id)
        if record is None:
            raise ResourceNotFoundException(f"Failed reading Backup selection {selection_id} of plan {plan_id}")
        return record

    def get_backup_selection(self):  # type: ignore[no-untyped-def]
        backend, plan_id, selection_id = _plan_and_selection(self)
        return json.dumps(_selection(backend, plan_id, selection_id))

    def delete_backup_selection(self):  # type: ignore[no-untyped-def]
        backend, plan_id, selection_id = _plan_and_selection(self)
        _selection(backend, plan_id, selection_id)
        del backend._launcher_selections[plan_id][selection_id]
        return EmptyResult()

    def list_backup_selections(self):  # type: ignore[no-untyped-def]
        backend, plan_id, _ = _plan_and_selection(self)
        return json.dumps({"BackupSelectionsList": [
            {"SelectionId": r["SelectionId"], "SelectionName": r["BackupSelection"]["SelectionName"],
             "BackupPlanId": plan_id, "CreationDate": r["CreationDate"],
             "IamRoleArn": r["BackupSelection"]["IamRoleArn"]}
            for r in backend._launcher_selections.get(plan_id, {}).values()]})

    def put_backup_vault_access_policy(self):  # type: ignore[no-untyped-def]
        backend, name = _vault(self)
        backend._launcher_vault_policies[name] = json.loads(self.body or "{}").get("Policy")
        return EmptyResult()

    def get_backup_vault_access_policy(self):  # type: ignore[no-untyped-def]
        backend, name = _vault(self)
        if name not in backend._launcher_vault_policies:
            raise ResourceNotFoundException(f"Backup vault {name} has no access policy")
        return json.dumps({"BackupVaultName": name, "BackupVaultArn": backend.vaults[name].backup_vault_arn,
                           "Policy": backend._launcher_vault_policies[name]})

    def delete_backup_vault_access_policy(self):  # type: ignore[no-untyped-def]
        backend, name = _vault(self)
        backend._launcher_vault_policies.pop(name, None)
        return EmptyResult()

    def list_recovery_points_by_backup_vault(self):  # type: ignore[no-untyped-def]
        _vault(self)
        return json.dumps({"RecoveryPoints": []})

    def list_tags(self):  # type: ignore[no-untyped-def]
        arn = unquote(self.path.split("?")[0].split("/tags/", 1)[1].rstrip("/"))
        return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=arn)})

    for fn in (list_tags, create_backup_selection, get_backup_selection, delete_backup_selection,
               list_backup_selections, put_backup_vault_access_policy,
               get_backup_vault_access_policy, delete_backup_vault_access_policy,
               list_recovery_points_by_backup_vault):
        setattr(R, fn.__name__, fn)
