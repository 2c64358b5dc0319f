/**
 * Prints the validated configuration for the operator scripts (scripts/aws/*.sh), so that they
 * never re-implement config/index.ts's validation.
 *
 *   tsx scripts/print-config.ts            # CFG_KEY=value lines (the scripts read these)
 *   tsx scripts/print-config.ts --json     # the same values as one JSON object
 *
 * Shell format: one `CFG_<KEY>=<value>` line per value, values unquoted. Every value is checked
 * against a conservative character set (letters, digits and _ . , : / @ + = -), so a line is safe
 * to read with `read` (what load_config in scripts/aws/lib/config.sh does) and even to `eval`.
 * An empty value means "not set" (CFG_AWS_PROFILE: the default credential chain; CFG_IMAGE_TAG:
 * no image tag yet).
 *
 * Bad configuration: one line `error: <config's message>` on stderr, exit code 2, nothing on stdout.
 */
import { ConfigError, FactoryConfig, loadConfig, stackName } from "../config";
import { backupTag } from "../constructs/backup-tag";
import { IMAGES } from "../factory-images";
import { DEPLOYED_BY, STACK_SHORT_NAMES } from "../lib/stack-names";

export { IMAGES } from "../factory-images";

export { STACK_SHORT_NAMES } from "../lib/stack-names";

const SAFE_VALUE = /^[A-Za-z0-9_.,:/@+=-]*$/;

/** The values the scripts use, as ordered [KEY, value] pairs (KEY without the CFG_ prefix). */
export function scriptValues(config: FactoryConfig): Array<[string, string]> {
  const images: readonly string[] = IMAGES;
  const values: Array<[string, string]> = [
    ["ACCOUNT_ID", config.accountId],
    ["AWS_PROFILE", config.awsProfile ?? ""],
    ["REGION", config.region],
    ["HOSTNAME", config.hostname],
    ["HOSTED_ZONE", config.hostedZone],
    ["CLUSTER_NAME", config.clusterName],
    ["KUBERNETES_VERSION", config.kubernetesVersion],
    ["STACK_PREFIX", config.stackPrefix],
    ["STATE_BUCKET", config.stateBucket],
    ["NAMESPACE", config.namespace],
    ["IMAGE_TAG", config.imageTag ?? ""],
    ["API_HEALTH_PATH", config.apiHealthPath],
    ["ALB_NAME", config.albName],
    ["INGRESS_GROUP", config.ingressGroup],
    ["ECR_REGISTRY", `${config.accountId}.dkr.ecr.${config.region}.amazonaws.com`],
    ["IMAGES", images.join(",")],
    ["ECR_REPOSITORIES", images.map((i) => `${config.stackPrefix}/${i}`).join(",")],
    // store=size: the data stores' volume sizes (deploy-app grows a claim whose size grew).
    [
      "DATA_STORE_SIZES",
      Object.entries(config.dataStoreSizes)
        .map(([store, size]) => `${store}=${size}`)
        .join(","),
    ],
    ["BACKUP_VAULT", config.backup.vaultName],
    ["BACKUP_ROLE", config.backup.roleName],
    // key=value: the tag the backup plan selects volumes by (restore-data-store writes it on a restored volume).
    ["BACKUP_TAG", `${backupTag(config.stackPrefix).key}=${backupTag(config.stackPrefix).value}`],
  ];
  values.push(["STACKS", STACK_SHORT_NAMES.join(",")]);
  // What deploy-infra (and deploy-all's infra phase) deploys: the stacks DEPLOYED_BY gives it.
  values.push(["INFRA_STACKS", STACK_SHORT_NAMES.filter((s) => DEPLOYED_BY[s].startsWith("deploy-infra")).join(",")]);
  for (const short of STACK_SHORT_NAMES) values.push([`STACK_${short.toUpperCase()}`, stackName(config, short)]);
  for (const [key, value] of values) {
    if (!SAFE_VALUE.test(value)) throw new Error(`internal: value of ${key} has characters unsafe for the shell: ${JSON.stringify(value)}`);
  }
  return values;
}

export function formatShell(values: Array<[string, string]>): string {
  return values.map(([k, v]) => `CFG_${k}=${v}\n`).join("");
}

export function formatJson(values: Array<[string, string]>): string {
  return JSON.stringify(Object.fromEntries(values), null, 2) + "\n";
}

function main(argv: string[]): number {
  const json = argv.includes("--json");
  const unknown = argv.filter((a) => a !== "--json");
  if (unknown.length > 0) {
    process.stderr.write(`usage: print-config [--json] (unknown argument ${JSON.stringify(unknown[0])})\n`);
    return 2;
  }
  let values: Array<[string, string]>;
  try {
    values = scriptValues(loadConfig(process.env));
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  process.stdout.write(json ? formatJson(values) : formatShell(values));
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
