/** Jest global setup: this run's directory of shared synthesized platforms (synth-cache.ts). */
import { mkdtempSync } from "fs";
import * as os from "os";
import * as path from "path";
import { SYNTH_CACHE_ENV } from "./synth-cache";

export default function setup(): void {
  // Workers start after the global setup and inherit the environment.
  process.env[SYNTH_CACHE_ENV] = mkdtempSync(path.join(os.tmpdir(), "factory-synth-cache-"));
}
