"""Tests patches/s3_delete_version_in_suspended_bucket.py: versioned deletes in a Suspended bucket,
which crashed moto 5.2.1 (HTTP 500).
"""
from __future__ import annotations

import unittest

from .support import REGION, server


class S3DeleteVersionInSuspendedBucketTest(unittest.TestCase):
    def test_s3_delete_version_in_suspended_bucket(self) -> None:
        # Without the patch: DeleteObjects with VersionIds in a Suspended bucket
        # answered HTTP 500 ('FakeDeleteMarker' object has no attribute 'dispose')
        # and ignored the VersionId (dropped every version of the key).
        s3 = server().client("s3")
        bucket = "versioned-destroy"
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        for body in (b"1", b"2"):
            s3.put_object(Bucket=bucket, Key="a.tfstate", Body=body)
        s3.put_object(Bucket=bucket, Key="a.tfstate.tflock", Body=b"lock")
        s3.delete_object(Bucket=bucket, Key="a.tfstate.tflock")  # delete marker
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})

        listing = s3.list_object_versions(Bucket=bucket)
        versions = listing["Versions"] + listing["DeleteMarkers"]
        self.assertEqual(len(versions), 4)
        # Delete just one version first: the others must survive.
        first = [v for v in listing["Versions"] if v["Key"] == "a.tfstate"][0]
        s3.delete_object(Bucket=bucket, Key="a.tfstate", VersionId=first["VersionId"])
        self.assertEqual(len(s3.list_object_versions(Bucket=bucket)["Versions"]), 2)
        rest = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions
                if v["VersionId"] != first["VersionId"]]
        result = s3.delete_objects(Bucket=bucket, Delete={"Objects": rest})
        self.assertFalse(result.get("Errors"))
        self.assertEqual(len(result["Deleted"]), 3)
        listing = s3.list_object_versions(Bucket=bucket)
        self.assertFalse(listing.get("Versions") or listing.get("DeleteMarkers"))
        s3.delete_bucket(Bucket=bucket)
