"""StartBackupJob, ListRecoveryPointsByBackupVault, DescribeRecoveryPoint,
DeleteRecoveryPoint, StartRestoreJob, DescribeRestoreJob for EBS volumes
(moto 5.2.1 has no route for any of them); DeleteBackupVault refuses a
vault that still holds recovery points, as AWS does.

No schedule ever runs here, so a test starts the backup job a daily rule
would have started. The job completes at once: the recovery point is an
EC2 snapshot of the volume, carrying the volume's tags (AWS Backup copies
a volume's tags to its snapshot), and its ARN is the snapshot's
(arn:aws:ec2:<region>::snapshot/snap-...), as AWS names EBS recovery
points. Deleting the recovery point deletes the snapshot; a deleted one is
ResourceNotFoundException, which the provider's force_destroy waits for.

A restore job creates a volume from the snapshot in the metadata's
availabilityZone (volumeType, volumeSize, encrypted, kmsKeyId honoured),
copying the snapshot's tags when CopySourceTagsToRestoredResource is set.
DescribeRestoreJob answers RUNNING once, then COMPLETED with the volume's
ARN, so that a caller's wait loop is exercised.
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
    from moto.core.exceptions import JsonRESTError
    from moto.core.responses import EmptyResult
    from moto.ec2.models import ec2_backends

    for path in ("{0}/backup-jobs$", "{0}/backup-jobs/$", "{0}/restore-jobs$", "{0}/restore-jobs/$",
                 "{0}/restore-jobs/(?P<job>[^/]+)$",
                 "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/(?P<arn>.+)$"):
        urls.url_paths.setdefault(path, urls.response.dispatch)
    R = responses.BackupResponse

    class InvalidRequestException(JsonRESTError):
        def __init__(self, message: str) -> None:
            super().__init__("InvalidRequestException", message)

    def _state(backend):  # type: ignore[no-untyped-def]
        if not hasattr(backend, "_launcher_points"):
            backend._launcher_points = {}  # vault name -> recovery point arn -> record
            backend._launcher_restores = {}  # job id -> record
        return backend

    def _ec2(self):  # type: ignore[no-untyped-def]
        return ec2_backends[self.current_account][self.region]

    def _vault_name(self):  # type: ignore[no-untyped-def]
        name = re.search(r"/backup-vaults/([^/]+)/", self.path.split("?")[0]).group(1)
        if name not in self.backup_backend.vaults:
            raise ResourceNotFoundException(f"Backup vault {name} does not exist")
        return name

    def _point_arn(self):  # type: ignore[no-untyped-def]
        return unquote(self.path.split("?")[0].split("/recovery-points/", 1)[1])

    def _point(self):  # type: ignore[no-untyped-def]
        backend = _state(self.backup_backend)
        name, arn = _vault_name(self), _point_arn(self)
        record = backend._launcher_points.get(name, {}).get(arn)
        if record is None:
            raise ResourceNotFoundException(f"Recovery point {arn} not found in vault {name}")
        return backend, name, arn, record

    def start_backup_job(self):  # type: ignore[no-untyped-def]
        backend = _state(self.backup_backend)
        body = json.loads(self.body or "{}")
        vault = body["BackupVaultName"]
        if vault not in backend.vaults:
            raise ResourceNotFoundException(f"Backup vault {vault} does not exist")
        resource = body["ResourceArn"]
        m = re.fullmatch(r"arn:aws:ec2:[^:]+:\d{12}:volume/(vol-[0-9a-f]+)", resource)
        if not m:
            raise InvalidRequestException(f"Only EBS volumes are backed up here, not {resource}")
        ec2 = _ec2(self)
        snapshot = ec2.create_snapshot(m.group(1), f"AWS Backup job for {resource}")
        tags = {k: v for k, v in ec2.tags.get(m.group(1), {}).items() if not k.startswith("aws:")}
        if tags:
            ec2.create_tags([snapshot.id], tags)
        arn = f"arn:aws:ec2:{self.region}::snapshot/{snapshot.id}"
        now = time.time()
        record = {"RecoveryPointArn": arn, "BackupVaultName": vault,
                  "BackupVaultArn": backend.vaults[vault].backup_vault_arn, "ResourceArn": resource,
                  "ResourceType": "EBS", "Status": "COMPLETED", "CreationDate": now, "CompletionDate": now,
                  "BackupSizeInBytes": snapshot.volume.size * 1024 ** 3, "IamRoleArn": body.get("IamRoleArn"),
                  "EncryptionKeyArn": backend.vaults[vault].encryption_key_arn}
        backend._launcher_points.setdefault(vault, {})[arn] = record
        return json.dumps({"BackupJobId": str(uuid.uuid4()).upper(), "RecoveryPointArn": arn, "CreationDate": now})

    def list_recovery_points_by_backup_vault(self):  # type: ignore[no-untyped-def]
        backend = _state(self.backup_backend)
        name = _vault_name(self)
        points = list(backend._launcher_points.get(name, {}).values())
        kind, arn = self._get_param("byResourceType"), self._get_param("byResourceArn")
        points = [p for p in points if (not kind or p["ResourceType"] == kind) and (not arn or p["ResourceArn"] == arn)]
        return json.dumps({"RecoveryPoints": points})

    def describe_recovery_point(self):  # type: ignore[no-untyped-def]
        return json.dumps(_point(self)[3])

    def delete_recovery_point(self):  # type: ignore[no-untyped-def]
        backend, name, arn, _ = _point(self)
        del backend._launcher_points[name][arn]
        _ec2(self).delete_snapshot(arn.rsplit("/", 1)[1])
        return EmptyResult()

    original_delete_vault = R.delete_backup_vault

    def delete_backup_vault(self):  # type: ignore[no-untyped-def]
        name = unquote(self.path.split("?")[0].rstrip("/").rsplit("/", 1)[1])
        if _state(self.backup_backend)._launcher_points.get(name):
            raise InvalidRequestException(f"Backup vault {name} cannot be deleted because it contains recovery points")
        return original_delete_vault(self)

    def start_restore_job(self):  # type: ignore[no-untyped-def]
        backend = _state(self.backup_backend)
        body = json.loads(self.body or "{}")
        arn, meta = body["RecoveryPointArn"], body.get("Metadata", {})
        if not any(arn in points for points in backend._launcher_points.values()):
            raise ResourceNotFoundException(f"Recovery point {arn} not found")
        if "availabilityZone" not in meta:
            raise InvalidRequestException("Restore metadata of an EBS recovery point needs availabilityZone")
        ec2 = _ec2(self)
        snapshot = ec2.get_snapshot(arn.rsplit("/", 1)[1])
        encrypted = str(meta.get("encrypted", snapshot.encrypted)).lower() == "true"
        volume = ec2.create_volume(size=int(meta.get("volumeSize", snapshot.volume.size)), zone_name=meta["availabilityZone"],
                                   snapshot_id=snapshot.id, encrypted=encrypted, kms_key_id=meta.get("kmsKeyId"),
                                   volume_type=meta.get("volumeType", "gp3"))
        if body.get("CopySourceTagsToRestoredResource"):
            tags = ec2.tags.get(snapshot.id, {})
            if tags:
                ec2.create_tags([volume.id], dict(tags))
        job_id = str(uuid.uuid4()).upper()
        backend._launcher_restores[job_id] = {
            "RestoreJobId": job_id, "AccountId": self.current_account, "RecoveryPointArn": arn,
            "CreationDate": time.time(), "IamRoleArn": body.get("IamRoleArn"), "ResourceType": "EBS",
            "CreatedResourceArn": f"arn:aws:ec2:{self.region}:{self.current_account}:volume/{volume.id}",
            "_describes": 0}
        return json.dumps({"RestoreJobId": job_id})

    def describe_restore_job(self):  # type: ignore[no-untyped-def]
        backend = _state(self.backup_backend)
        job_id = self.path.split("?")[0].rstrip("/").rsplit("/", 1)[1]
        record = backend._launcher_restores.get(job_id)
        if record is None:
            raise ResourceNotFoundException(f"Restore job {job_id} not found")
        record["_describes"] += 1
        answer = {k: v for k, v in record.items() if not k.startswith("_")}
        if record["_describes"] == 1:
            answer.update(Status="RUNNING", PercentDone="50.00%")
            del answer["CreatedResourceArn"]
        else:
            answer.update(Status="COMPLETED", PercentDone="100.00%", CompletionDate=time.time())
        return json.dumps(answer)

    for fn in (start_backup_job, list_recovery_points_by_backup_vault, describe_recovery_point,
               delete_recovery_point, delete_backup_vault, start_restore_job, describe_restore_job):
        setattr(R, fn.__name__, fn)
