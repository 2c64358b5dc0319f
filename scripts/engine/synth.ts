/**
 * The synthesized output the engine (scripts/engine/cli.ts) works from: `cdktf synth` into an output
 * directory, skipped when the directory already holds the output of the same code and settings,
 * and cdktf's manifest.json (each stack's directory and dependencies).
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "./app-command";
import { UsageError } from "./args";
import type { SynthInputs } from "./platform";
import { say } from "./schedule";

export interface Manifest {
  stacks: Record<string, { workingDirectory: string; dependencies: string[] }>;
}

/** The variables a verb hands the engine for its own output, not settings: they do not change what is synthesized. */
const ENGINE_PLUMBING = ["FACTORY_RESULT_FILE", "FACTORY_OUTCOME_FILE", "FACTORY_ELAPSED_BASE"];

/** A digest of every synth input (file contents, and the settings). */
export function synthKey(inputs: SynthInputs, env: NodeJS.ProcessEnv = process.env, root = PROJECT_ROOT): string {
  const hash = createHash("sha256");
  const add = (rel: string) => {
    const file = path.join(root, rel);
    if (!existsSync(file)) return;
    if (statSync(file).isDirectory()) {
      for (const entry of readdirSync(file).sort()) add(path.join(rel, entry));
      return;
    }
    hash.update(`${rel}\0`).update(readFileSync(file)).update("\0");
  };
  inputs.files.forEach(add);
  for (const key of Object.keys(env)
    .filter((k) => k.startsWith(inputs.settingsPrefix) && !ENGINE_PLUMBING.includes(k))
    .sort())
    hash.update(`${key}=${env[key]}\0`);
  return hash.digest("hex");
}

/**
 * `cdktf synth` into outdir, unless outdir holds the output of the same inputs already (its
 * synth.key): a re-run of a verb, drift, diff then skip the 4-5 s of synthesis.
 */
export function synth(outdir: string, inputs: SynthInputs): Manifest {
  const keyFile = path.join(outdir, "synth.key");
  const manifestFile = path.join(outdir, "manifest.json");
  const key = synthKey(inputs);
  if (existsSync(keyFile) && existsSync(manifestFile) && readFileSync(keyFile, "utf8") === key) {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
    if (Object.values(manifest.stacks).every((s) => existsSync(path.join(outdir, s.workingDirectory, "cdk.tf.json")))) {
      say(`${path.relative(process.cwd(), outdir) || outdir} holds the synthesized output of this code and these settings: synth skipped`);
      return manifest;
    }
  }
  rmSync(keyFile, { force: true });
  rmSync(manifestFile, { force: true });
  mkdirSync(outdir, { recursive: true });
  // The app command of cdktf.json, run the way `cdktf synth` runs it: the output directory and the
  // context in the environment (cdktf's contract between its CLI and an app; a fork that renames
  // the package keeps App's reading of them). Same files as `cdktf synth --output`, in a fifth of
  // the time: the CLI's own start-up costs about 6 s of CPU on every verb.
  const project = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "cdktf.json"), "utf8")) as { app: string; context?: Record<string, unknown> };
  say(`synth: ${project.app} (into ${path.relative(process.cwd(), outdir) || outdir})`);
  const r = spawnSync(project.app, {
    shell: true,
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: outdir, CDKTF_CONTEXT_JSON: JSON.stringify(project.context ?? {}) },
  });
  if (r.status !== 0 || !existsSync(manifestFile)) {
    const detail = `${r.stdout}\n${r.stderr}`
      .split("\n")
      .filter((l) => /error/i.test(l))
      .slice(-3)
      .join(" / ");
    throw new UsageError(`synth failed (${r.status !== 0 ? `exit ${r.status}` : "no manifest.json written"}): ${detail.trim() || "see its output"}`);
  }
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
  // As the CLI does: a stack the app no longer has leaves no directory behind.
  const stacksDir = path.join(outdir, "stacks");
  for (const dir of existsSync(stacksDir) ? readdirSync(stacksDir) : []) {
    if (!manifest.stacks[dir]) rmSync(path.join(stacksDir, dir), { recursive: true, force: true });
  }
  writeFileSync(keyFile, key);
  return manifest;
}
