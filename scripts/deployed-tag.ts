/**
 * Prints the image tag the platform runs now (scripts/lib/deployed-tag.ts), for the verbs that
 * plan the app stack when FACTORY_IMAGE_TAG is unset.
 *
 *   node --require ./scripts/ts-register.js scripts/deployed-tag.ts
 *
 * Exit 0: the tag on stdout; 3: no app deployed (no state, or no factory image in it); 1: the
 * state could not be read, or its Deployments disagree (the last line says which); 2: bad settings.
 */
import { ConfigError, loadConfig } from "../config";
import { deployedImageTag } from "./lib/deployed-tag";

/** Exit code when no app is deployed yet (distinct from an error). */
const NO_APP_DEPLOYED = 3;

function main(): number {
  const tag = deployedImageTag(loadConfig(process.env));
  if (tag === undefined) return NO_APP_DEPLOYED;
  process.stdout.write(`${tag}\n`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (e) {
    process.stderr.write(`deployed-tag: ${(e as Error).message}\n`);
    process.exitCode = e instanceof ConfigError ? 2 : 1;
  }
}
