"""Tests patches/s3_bucket_policy_secure_transport.py: the aws:SecureTransport condition moto 5.2.1
ignored (the deny-non-TLS policy denied everything).
"""
from __future__ import annotations

import json
import unittest

from botocore.exceptions import ClientError

from .support import REGION, Server, server


def _deny_insecure_policy(bucket: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})


class S3BucketPolicySecureTransportTest(unittest.TestCase):
    def test_s3_bucket_policy_secure_transport(self) -> None:
        # Without the patch moto ignored the Bool condition, so this Deny
        # matched every request: PutObject/GetObject returned 403.
        s3 = server().client("s3")
        bucket = "policy-tls"
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_policy(Bucket=bucket, Policy=_deny_insecure_policy(bucket))
        s3.put_object(Bucket=bucket, Key="state", Body=b"{}")  # treated as TLS
        self.assertEqual(s3.get_object(Bucket=bucket, Key="state")["Body"].read(), b"{}")

        # Derived from the real scheme: plain http is denied, https (as told by
        # a TLS-terminating proxy) is allowed, like AWS.
        strict = Server("--no-assume-tls")
        try:
            s3s = strict.client("s3")
            s3s.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
            s3s.put_bucket_policy(Bucket=bucket, Policy=_deny_insecure_policy(bucket))
            with self.assertRaises(ClientError) as ctx:
                s3s.put_object(Bucket=bucket, Key="state", Body=b"{}")
            self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
            s3s.meta.events.register("before-send.s3.*", lambda request, **_: request.headers.__setitem__(
                "X-Forwarded-Proto", "https"))
            s3s.put_object(Bucket=bucket, Key="state", Body=b"{}")
        finally:
            strict.stop()
