/**
 * One synthesis per settings variant per jest run, shared by the test files that read it: most
 * files synthesize the default platform, and each synthesis costs a worker about a second. The
 * directory lives as long as the run (synth-cache-setup.ts makes it, synth-cache-teardown.ts
 * removes it) and holds one finished `cdktf.out` per variant, named by a hash of the settings.
 * Without the run's directory (a test run outside jest's config) nothing is shared.
 */
import { createHash } from "crypto";
import { existsSync, renameSync } from "fs";
import * as path from "path";

/** The environment variable naming this run's directory (set by the global setup). */
export const SYNTH_CACHE_ENV = "FACTORY_TEST_SYNTH_CACHE";

/** A settings variant's name: the same for the same variables and values, in any order. */
export function variantKey(env: Record<string, string>): string {
  const sorted = Object.keys(env)
    .sort()
    .map((k) => [k, env[k]]);
  return createHash("sha256").update(JSON.stringify(sorted)).digest("hex").slice(0, 32);
}

function variantDir(env: Record<string, string>): string | undefined {
  const root = process.env[SYNTH_CACHE_ENV];
  return root ? path.join(root, variantKey(env)) : undefined;
}

/** The shared synthesized directory of these settings, when a test file of this run made it. */
export function sharedSynthDir(env: Record<string, string>): string | undefined {
  const dir = variantDir(env);
  return dir && existsSync(dir) ? dir : undefined;
}

/**
 * Offers a finished synthesized directory to the other test files; returns the directory to read
 * (the shared one, which may be another worker's when both synthesized at once). The rename is
 * atomic: a reader never sees a half-written directory.
 */
export function shareSynthDir(env: Record<string, string>, outdir: string): string {
  const dir = variantDir(env);
  if (!dir) return outdir;
  try {
    renameSync(outdir, dir);
    return dir;
  } catch {
    // Another worker shared the same variant first (the target exists and is not empty): use ours.
    return outdir;
  }
}
