/**
 * The cdktf app: reads the configuration (environment variables FACTORY_*, see docs/configuration.md), then
 * synthesizes every stack. Bad configuration stops here with one line on stderr and exit code 1,
 * before anything is written.
 */
import { loadConfig } from "./config";

function main(): void {
  const config = loadConfig();
  // Loaded after the settings are valid: a bad setting is reported without loading cdktf and the
  // provider bindings (about a second saved on every mistyped variable).
  const { App } = require("cdktf") as typeof import("cdktf");
  const { buildPlatform } = require("./stacks/platform") as typeof import("./stacks/platform");
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
