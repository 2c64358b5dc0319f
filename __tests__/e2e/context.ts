/**
 * What every part of the e2e shares: the work directory and its logs, the configuration the verbs
 * see, the environment that points them at moto (filled in once moto listens), and the project's
 * stacks by short name, from their one definition in lib/stack-names.ts.
 */
import { mkdtempSync } from "fs";
import * as os from "os";
import * as path from "path";
import { loadConfig, stackName } from "../../config";
import { DEPLOYED_BY, STACK_SHORT_NAMES } from "../../lib/stack-names";

export const root = path.join(__dirname, "..", "..");
export const work = mkdtempSync(path.join(os.tmpdir(), "factory-e2e-"));
export const logDir = path.join(work, "logs");
/** Where the verbs synthesize (--outdir): the work directory, never the checkout's cdktf.out. */
export const outdir = path.join(work, "cdktf.out");

export const EXTRA_ADMIN = "arn:aws:iam::582719176192:role/factory-operators";
/**
 * The node group's capacity type after the roll: the operator's setting from then on (so the verbs
 * after it find the output directory synthesized for it, and never synthesize over a Terraform
 * that the test runs there).
 */
export const SPOT = { FACTORY_NODE_CAPACITY_TYPE: "SPOT" };
export const config = loadConfig({ FACTORY_AWS_PROFILE: "", FACTORY_ADMIN_PRINCIPAL_ARNS: EXTRA_ADMIN });

/**
 * The environment of every command and verb. Empty until moto listens (local-aws.ts fills it in); one
 * object for the whole run, so that every module sees the same one.
 */
export const env: NodeJS.ProcessEnv = {};

export type Short = (typeof STACK_SHORT_NAMES)[number];

/** A stack's name (`<prefix>-<short>`), as config/index.ts names it. */
export function stack(short: Short): string {
  return stackName(config, short);
}

/** The stacks deploy-infra deploys (the state bucket's bootstrap among them), by DEPLOYED_BY. */
export const INFRA_STACKS = STACK_SHORT_NAMES.filter((s) => DEPLOYED_BY[s].startsWith("deploy-infra"));
/** The stacks the other verbs deploy: not deployed until publish-dns (dns), or never here (addons, app: no cluster). */
export const OTHER_STACKS = STACK_SHORT_NAMES.filter((s) => !INFRA_STACKS.includes(s));
/** The stacks whose verb the e2e never runs (it runs deploy-infra and publish-dns only). */
export const NEVER_DEPLOYED = OTHER_STACKS.filter((s) => DEPLOYED_BY[s] !== "publish-dns");
/** The stacks whose state is in the bucket after deploy-infra: all of its stacks, the bootstrap's included (its state moves there once the bucket exists). */
export const BUCKET_STATE_STACKS = INFRA_STACKS;
/** Where the bootstrap keeps its state while the bucket does not exist (scripts/engine/bootstrap-state.ts), for an output directory. */
export function bootstrapStateFile(dir: string = outdir): string {
  return path.join(path.dirname(dir), `terraform.${stack("state")}.tfstate`);
}

/** The directory the verbs synthesize a stack into. */
export function stackDir(short: Short): string {
  return path.join(outdir, "stacks", stack(short));
}
