/** Jest global teardown: removes this run's shared synthesized platforms (synth-cache.ts). */
import { rmSync } from "fs";
import { SYNTH_CACHE_ENV } from "./synth-cache";

export default function teardown(): void {
  const dir = process.env[SYNTH_CACHE_ENV];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
