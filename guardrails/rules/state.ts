/**
 * Terraform state rules: the state bucket is hardened, and every stack's backend is S3, encrypted,
 * locked and under a key of its own.
 */
import { isTrue, items, many, one, parseRef, refersTo } from "../resolve";
import { rule } from "../rule";
import type { Rule, SynthesizedStack, TfJson } from "../types";

/** Whether a statement set denies non-TLS access to bucket and objects. */
function deniesInsecureTransport(statements: TfJson[]): boolean {
  return statements.some((s) => {
    const effect = s.effect ?? s.Effect;
    const actions = many(s.actions ?? s.Action).map(String);
    const conds = s.condition
      ? many(s.condition).map((c) => ({ test: c.test, variable: c.variable, values: many(c.values).map(String) }))
      : Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(([test, vars]) =>
          Object.entries(vars).map(([variable, values]) => ({ test, variable, values: many(values).map(String) })),
        );
    const resources = many(s.resources ?? s.Resource).map(String);
    return (
      effect === "Deny" &&
      actions.some((a) => a === "s3:*" || a === "*") &&
      conds.some((c) => c.test === "Bool" && c.variable === "aws:SecureTransport" && c.values.includes("false")) &&
      resources.some((r) => !r.endsWith("/*")) &&
      resources.some((r) => r.endsWith("/*"))
    );
  });
}

const stateBucketHardened = rule(
  "state-bucket-hardened",
  "The bucket the S3 backends name is defined by a stack: versioned, encrypted by default, all public access blocked, a TLS-only bucket policy, `prevent_destroy`.",
  (stacks, report) => {
    const names = new Set(stacks.map((s) => s.json.terraform?.backend?.s3?.bucket).filter((b): b is string => typeof b === "string"));
    for (const name of names) {
      const bucket = items(stacks, ["aws_s3_bucket"]).find((b) => b.body.bucket === name);
      if (!bucket) {
        const user = stacks.find((s) => s.json.terraform?.backend?.s3?.bucket === name)!;
        report.add(user, "terraform.backend", `state bucket ${name} is defined by no stack: its settings cannot be verified`);
        continue;
      }
      const add = (why: string) => report.add(bucket.stack, bucket.address, why);
      const of = (type: string) => items([bucket.stack], [type]).filter((i) => refersTo(i.body.bucket, bucket, ["id", "bucket"]) || i.body.bucket === name);
      if (!isTrue(one(bucket.body.lifecycle)?.prevent_destroy))
        add("lifecycle.prevent_destroy is not true: terraform destroy would delete every stack's state");
      const versioned =
        of("aws_s3_bucket_versioning").some((v) => one(v.body.versioning_configuration)?.status === "Enabled") || isTrue(one(bucket.body.versioning)?.enabled);
      if (!versioned) add("not versioned (no aws_s3_bucket_versioning with status Enabled)");
      const encrypted = of("aws_s3_bucket_server_side_encryption_configuration").some((e) =>
        many(e.body.rule).some((r) => ["aws:kms", "aws:kms:dsse", "AES256"].includes(String(one(r.apply_server_side_encryption_by_default)?.sse_algorithm))),
      );
      if (!encrypted) add("no default encryption (aws_s3_bucket_server_side_encryption_configuration)");
      const blocked = of("aws_s3_bucket_public_access_block").some((p) =>
        ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].every((k) => isTrue(p.body[k])),
      );
      if (!blocked) add("public access not fully blocked (aws_s3_bucket_public_access_block with all four settings true)");
      const tlsOnly = of("aws_s3_bucket_policy").some((p) => {
        const doc = parseRef(bucket.stack, p.body.policy);
        if (doc?.type === "aws_iam_policy_document" && doc.body) return deniesInsecureTransport(many(doc.body.statement));
        try {
          return typeof p.body.policy === "string" && deniesInsecureTransport(many(JSON.parse(p.body.policy).Statement));
        } catch {
          return false;
        }
      });
      if (!tlsOnly) add("no bucket policy denying s3:* without TLS (aws:SecureTransport false) on the bucket and its objects");
    }
  },
);

const backendEncryptedLocked = rule(
  "backend-encrypted-locked",
  "Every stack keeps its state in the S3 backend, encrypted, with locking (`use_lockfile` or a DynamoDB table), under a key no other stack uses.",
  (stacks, report) => {
    // Where each stack keeps its state; two stacks in one place overwrite each other's state.
    const keys = new Map<string, string[]>();
    const place = (where: string, stack: SynthesizedStack) => keys.set(where, [...(keys.get(where) ?? []), stack.name]);
    for (const stack of stacks) {
      const backend = (stack.json.terraform?.backend ?? {}) as TfJson;
      const kinds = Object.keys(backend);
      if (kinds.length !== 1 || kinds[0] !== "s3") {
        const kind = kinds[0] ?? "none";
        report.add(stack, "terraform.backend", `backend is ${kind}, not s3`, { backend: kind });
        if (kind === "local") place(`local state file ${backend.local?.path ?? "terraform.tfstate"}`, stack);
        continue;
      }
      const s3 = backend.s3 as TfJson;
      if (!isTrue(s3.encrypt)) report.add(stack, "terraform.backend", "s3 backend without encrypt = true");
      if (!isTrue(s3.use_lockfile) && !s3.dynamodb_table) report.add(stack, "terraform.backend", "s3 backend without locking (use_lockfile or dynamodb_table)");
      place(`state key s3://${s3.bucket}/${s3.key}`, stack);
    }
    for (const [where, users] of keys) {
      if (users.length < 2) continue;
      for (const name of users) report.add(name, "terraform.backend", `${where} is shared by ${users.join(", ")}: they would overwrite each other's state`);
    }
  },
);

/** In docs/guardrails.md's order; rules.ts concatenates the families in turn. */
export const STATE_RULES: readonly Rule[] = [stateBucketHardened, backendEncryptedLocked];
