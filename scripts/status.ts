/**
 * The platform's health on one screen (scripts/lib/status.ts), from the AWS APIs:
 *
 *   node --require ./scripts/ts-register.js scripts/status.ts     (npm run status; scripts/aws/status.sh)
 *
 * Exit 0: healthy; 2: something is in ALARM, an alarm has had no data for 6 hours, a backup is
 * overdue, the certificate expires within 30 days, or a node group or the cluster is not ACTIVE
 * (the last line names each); 1: AWS could not be asked, or a setting is bad (the last line says why).
 */
import { loadConfig } from "../config";
import { AwsCli } from "./lib/aws-cli";
import { gatherStatus, judge } from "./lib/status";

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const aws = new AwsCli({ region: config.region, profile: config.awsProfile });
  const { lines, problems } = judge(await gatherStatus(config, aws), new Date());
  process.stdout.write(`${config.stackPrefix} in ${config.accountId} (${config.region}), ${new Date().toISOString()}\n`);
  for (const line of lines) process.stdout.write(`${line}\n`);
  if (problems.length === 0) {
    process.stderr.write("status: healthy\n");
    return 0;
  }
  process.stderr.write(`status: UNHEALTHY: ${problems.join("; ")}\n`);
  return 2;
}

if (require.main === module) {
  main()
    .then((code) => (process.exitCode = code))
    .catch((e: Error) => {
      process.stderr.write(`status: error: ${e.message.trim().split("\n").pop()}\n`);
      // 2 means "unhealthy" here: a bad setting is an error like any other.
      process.exitCode = 1;
    });
}
