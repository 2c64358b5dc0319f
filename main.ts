/**
 * The cdktf app: reads the configuration (environment variables FACTORY_*, see README), then
 * synthesizes every stack. Bad configuration stops here with one line on stderr and exit code 1,
 * before anything is written.
 */
import { App } from "cdktf";
import { loadConfig } from "./config";
import { buildPlatform } from "./stacks/platform";

function main(): void {
  const config = loadConfig();
  const app = new App();
  buildPlatform(app, config);
  app.synth();
}

try {
  main();
} catch (e) {
  // One line, no stack trace: the message names the setting and what is allowed.
  // FACTORY_DEBUG=1 shows the trace for errors in the code itself.
  const err = e as Error;
  console.error(`error: ${err.message}`);
  if (process.env.FACTORY_DEBUG === "1") console.error(err.stack);
  process.exit(1);
}
