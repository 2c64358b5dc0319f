/**
 * The account the verbs deploy into: moto started, the environment that points the unchanged
 * stacks and verbs at it, and what exists before this project in a real account (the public
 * hosted zone, the operators' role).
 */
import { terraformCliEnv } from "../terraform-env";
import { aws } from "./aws-queries";
import { directPath } from "./commands";
import { config, env, EXTRA_ADMIN, work } from "./context";
import { startMoto } from "./moto-server";
import { log, StepError } from "./report";

/** Starts moto and fills in the environment of every command after it. */
export async function startLocalAws(): Promise<void> {
  let cliEnv: Record<string, string>;
  try {
    cliEnv = terraformCliEnv(work); // first: no point starting moto without the provider
  } catch (e) {
    throw new StepError((e as Error).message);
  }
  const moto = await startMoto();
  const endpoint = `http://127.0.0.1:${moto.port}`;
  log(`moto listening on ${endpoint} (pid ${moto.pid})`);

  Object.assign(env, {
    PATH: directPath(),
    HOME: process.env.HOME,
    LANG: "C.UTF-8",
    ...cliEnv,
    // Only the environment points the unchanged stacks and verbs at moto.
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: config.region,
    AWS_DEFAULT_REGION: config.region,
    AWS_EC2_METADATA_DISABLED: "true",
    FACTORY_AWS_PROFILE: "",
    // One extra cluster admin, so that the plan-safety rehearsal can plan its removal too.
    FACTORY_ADMIN_PRINCIPAL_ARNS: EXTRA_ADMIN,
    CI: "1",
    DISABLE_VERSION_CHECK: "1",
  });
}

/** The public hosted zone and the operators' role, as a real account has them; the zone's id. */
export function createPreExisting(): string {
  const zone = aws(["route53", "create-hosted-zone", "--name", config.hostedZone, "--caller-reference", `e2e-${Date.now()}`]);
  const zoneId = String(zone.HostedZone.Id).replace("/hostedzone/", "");
  log(`created hosted zone ${config.hostedZone} (${zoneId})`);
  // ... and the operators' role, given cluster admin through FACTORY_ADMIN_PRINCIPAL_ARNS.
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${config.accountId}:root` }, Action: "sts:AssumeRole" }],
  };
  aws(["iam", "create-role", "--role-name", EXTRA_ADMIN.split("/").pop()!, "--assume-role-policy-document", JSON.stringify(trust)]);
  return zoneId;
}
