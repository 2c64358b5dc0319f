"""DeleteObject / DeleteObjects with a VersionId in a bucket whose
versioning is *Suspended* (Terraform destroys aws_s3_bucket_versioning,
which suspends versioning, before aws_s3_bucket force_destroy empties
the bucket version by version).

AWS (S3 User Guide "Deleting object versions from a versioning-suspended
bucket"; DeleteObject API): a request with a versionId permanently deletes
exactly that version or delete marker, whatever the versioning state.
moto 5.2.1 takes its "unversioned" path for any bucket whose state is not
Enabled: it ignores the versionId and pops *all* versions of the key, and
crashes (HTTP 500, 'FakeDeleteMarker' object has no attribute 'dispose')
when one of them is a delete marker. The provider retries 500s, so destroy
hung for the full timeout. Here a versioned delete in a Suspended bucket
removes just that version; delete markers also get a no-op dispose()
(they hold no data buffer) so no other path can crash the same way.
"""
from __future__ import annotations


def apply() -> None:
    from moto.s3 import models as s3_models

    s3_models.FakeDeleteMarker.dispose = lambda self, garbage=False: None
    original = s3_models.S3Backend.delete_object

    def delete_object(self, bucket_name, key_name, version_id=None, bypass=False):  # type: ignore[no-untyped-def]
        bucket = self.get_bucket(bucket_name)
        if version_id is None or getattr(bucket, "versioning_status", None) != "Suspended":
            return original(self, bucket_name, key_name, version_id, bypass)
        versions = bucket.keys.getlist(key_name, [])
        match = [v for v in versions if str(v.version_id) == str(version_id)]
        if not match:
            return False, {}
        target = match[0]
        if isinstance(target, s3_models.FakeKey) and target.is_locked(governance_bypass=bypass):
            raise s3_models.AccessDeniedByLock
        meta = {"version-id": version_id}
        if isinstance(target, s3_models.FakeDeleteMarker):
            meta["delete-marker"] = "true"
        remaining = [v for v in versions if str(v.version_id) != str(version_id)]
        if remaining:
            bucket.keys.setlist(key_name, remaining)
        else:
            bucket.keys.setlist(key_name, [])
            bucket.keys.pop(key_name)
        if isinstance(target, s3_models.FakeKey):
            target.dispose()
        return True, meta

    s3_models.S3Backend.delete_object = delete_object
