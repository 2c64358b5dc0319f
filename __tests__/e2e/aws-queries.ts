/**
 * Questions to the local AWS API through the real aws CLI (JSON answers), and the counts and lists
 * that several stages ask for.
 */
import { config } from "./context";
import { mustRun, run, runAsync, succeeded } from "./commands";

/** The CLI's JSON answer; a StepError when the call fails. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function aws(args: string[]): any {
  const r = mustRun(`aws ${args.slice(0, 2).join(" ")}`, "aws", [...args, "--output", "json"]);
  return r.stdout.trim() ? JSON.parse(r.stdout) : {};
}

/** aws(), without blocking: questions that do not depend on each other go side by side. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function awsAsync(args: string[]): Promise<any> {
  const r = await runAsync("aws", [...args, "--output", "json"], { logName: `aws-${args.slice(0, 2).join("-")}` });
  succeeded(`aws ${args.slice(0, 2).join(" ")}`, r);
  return r.stdout.trim() ? JSON.parse(r.stdout) : {};
}

/** Whether the call succeeds (the thing it describes exists). */
export function exists(args: string[]): boolean {
  return run("aws", [...args, "--output", "json"]).status === 0;
}

/** The state bucket's object keys. */
export function stateObjects(): string[] {
  return (aws(["s3api", "list-objects-v2", "--bucket", config.stateBucket]).Contents ?? []).map((o: { Key: string }) => o.Key) as string[];
}

/** The Terraform locks in the state bucket. */
export function lockObjects(): string[] {
  return stateObjects().filter((k) => k.endsWith(".tflock"));
}

/** What a duplicate would show in: the platform's VPCs, clusters, enabled KMS keys, node groups and NAT gateways. */
export function countPlatform(): { vpcs: number; clusters: number; kmsKeys: number; nodegroups: number; natGateways: number } {
  const vpcs = aws(["ec2", "describe-vpcs"]).Vpcs.filter((v: { IsDefault: boolean }) => !v.IsDefault).length;
  const clusters = aws(["eks", "list-clusters"]).clusters.length;
  const keyIds = aws(["kms", "list-keys"]).Keys.map((k: { KeyId: string }) => k.KeyId) as string[];
  const kmsKeys = keyIds.filter((id) => aws(["kms", "describe-key", "--key-id", id]).KeyMetadata.KeyState === "Enabled").length;
  const nodegroups = clusters ? aws(["eks", "list-nodegroups", "--cluster-name", config.clusterName]).nodegroups.length : 0;
  const natGateways = aws(["ec2", "describe-nat-gateways"]).NatGateways.filter((n: { State: string }) => n.State === "available").length;
  return { vpcs, clusters, kmsKeys, nodegroups, natGateways };
}
