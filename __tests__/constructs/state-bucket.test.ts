/** StateBucket: the bucket of every stack's Terraform state: versioned, encrypted, private, TLS-only, not destroyable. */
import { StateBucket, StateBucketProps } from "../../constructs/state-bucket";
import { awsStack, byKey, only, ref, synth, TfJson } from "./support";

function build(overrides: Partial<StateBucketProps> = {}): TfJson {
  const stack = awsStack();
  new StateBucket(stack, "state", { bucketName: "attractor-factory-tfstate-111122223333", ...overrides });
  return synth(stack);
}
const BUCKET_RESOURCES = [
  "aws_s3_bucket_versioning",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_ownership_controls",
  "aws_s3_bucket_policy",
  "aws_s3_bucket_lifecycle_configuration",
];
const lifecycleRule = (json: TfJson) => only(json, "aws_s3_bucket_lifecycle_configuration").rule[0];

test("StateBucket: the bucket is named bucketName and `terraform destroy` refuses to delete it", () => {
  expect(only(build(), "aws_s3_bucket")).toEqual({ bucket: "attractor-factory-tfstate-111122223333", lifecycle: { prevent_destroy: true } });
});

test("StateBucket: every setting applies to this bucket", () => {
  const json = build();
  for (const type of BUCKET_RESOURCES) expect(only(json, type).bucket).toBe(ref(json, "aws_s3_bucket", "id"));
});

test("StateBucket: versioned, so that every superseded state can be restored", () => {
  expect(only(build(), "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
});

test("StateBucket: encrypted with KMS by default, with an S3 bucket key", () => {
  expect(only(build(), "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
    { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" }, bucket_key_enabled: true },
  ]);
});

test("StateBucket: private: every kind of public access is blocked and ACLs are disabled (the bucket owner owns every object)", () => {
  const json = build();
  expect(only(json, "aws_s3_bucket_public_access_block")).toMatchObject({
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  });
  expect(only(json, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
});

test("StateBucket: TLS only: the bucket policy denies every request that is not over TLS, to everyone, on the bucket and its objects", () => {
  const json = build();
  const arn = ref(json, "aws_s3_bucket", "arn");
  expect(only(json, "aws_iam_policy_document", "data").statement).toEqual([
    {
      sid: "DenyInsecureTransport",
      effect: "Deny",
      principals: [{ type: "*", identifiers: ["*"] }],
      actions: ["s3:*"],
      resources: [arn, `${arn}/*`],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    },
  ]);
  expect(only(json, "aws_s3_bucket_policy").policy).toBe(ref(json, "aws_iam_policy_document", "json", "data"));
});

test("StateBucket: superseded state versions are kept 90 days by default, for every object", () => {
  const rule = lifecycleRule(build());
  expect(rule).toMatchObject({ id: "expire-old-state-versions", status: "Enabled", filter: [{ prefix: "" }] });
  expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
});

test("StateBucket: noncurrentVersionDays sets how long superseded state versions are kept", () => {
  expect(lifecycleRule(build({ noncurrentVersionDays: 365 })).noncurrent_version_expiration).toEqual([{ noncurrent_days: 365 }]);
});

test("StateBucket: incomplete multipart uploads are aborted after 7 days", () => {
  expect(lifecycleRule(build()).abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
});

test("StateBucket: the current state version never expires (only noncurrent versions do)", () => {
  expect(lifecycleRule(build()).expiration).toBeUndefined();
});

test("StateBucket: the lifecycle rules wait for versioning, the bucket policy for the public access block (S3 refuses some changes at once)", () => {
  const json = build();
  const address = (type: string) => `${type}.${Object.keys(byKey(json, type))[0]}`;
  expect(only(json, "aws_s3_bucket_lifecycle_configuration").depends_on).toEqual([address("aws_s3_bucket_versioning")]);
  expect(only(json, "aws_s3_bucket_policy").depends_on).toEqual([address("aws_s3_bucket_public_access_block")]);
});

test("StateBucket: the bucket is exposed", () => {
  const stack = awsStack();
  expect(new StateBucket(stack, "state", { bucketName: "b" }).bucket.node.path).toBe("t/state/bucket");
});
