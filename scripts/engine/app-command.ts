/** The command cdktf runs the app with (cdktf.json "app"), for tests and the benchmark. */
import { readFileSync } from "fs";
import * as path from "path";

export const PROJECT_ROOT = path.join(__dirname, "..", "..");

/**
 * cdktf.json's "app" as a command and arguments, with its entry file (main.ts) replaced by
 * `entry` when given, e.g. to run another program the same way.
 */
export function appCommand(entry?: string): { command: string; args: string[] } {
  const app: string = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "cdktf.json"), "utf8")).app;
  const [command, ...args] = app.split(/\s+/);
  return { command, args: entry ? args.map((a) => (a === "main.ts" ? entry : a)) : args };
}
