/**
 * What one synthesized stack's code (its cdk.tf.json) says about the work around it: the stacks it
 * must wait for, and how much work it is. Its backend is read by stack-backend.ts.
 */
import { readFileSync } from "fs";
import * as path from "path";

/**
 * The stacks whose outputs `stack` reads (its cross-stack remote state data sources). Only these
 * must have state before it is planned; a dependency that only orders (dns after app) need not.
 */
export function remoteStateStacks(stackDir: string): string[] {
  const json = JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const sources = Object.values(json.data?.terraform_remote_state ?? {}) as { config?: { key?: string } }[];
  return [...new Set(sources.map((d) => String(d.config?.key ?? "").split("/")[0]).filter(Boolean))];
}

/** How many resources the stack's code declares: a measure of the work its plan and apply take. */
export function countDeclaredResources(stackDir: string): number {
  const json = JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, unknown>> };
  return Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

/**
 * The stack creates the bucket its own backend keeps state in (the bootstrap): until that bucket
 * exists, it is applied with a local state file (bootstrap-state.ts).
 */
export function definesOwnStateBucket(stackDir: string): boolean {
  const json = JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as {
    terraform?: { backend?: { s3?: { bucket?: string } } };
    resource?: { aws_s3_bucket?: Record<string, { bucket?: string }> };
  };
  const bucket = json.terraform?.backend?.s3?.bucket;
  return bucket !== undefined && Object.values(json.resource?.aws_s3_bucket ?? {}).some((b) => b.bucket === bucket);
}
