import { mkdtempSync, readFileSync, rmSync } from "fs";
import * as os from "os";
import * as path from "path";
import { Testing, TerraformStack } from "cdktf";
import { loadConfig, FactoryConfig, stackName } from "../config";
import { buildPlatform, Platform } from "../stacks/platform";
import { STACK_SHORT_NAMES } from "../lib/stack-names";
import { shareSynthDir, sharedSynthDir } from "./synth-cache";
import type { TfJson } from "../guardrails/types";

/** Settings for tests: the spec's defaults plus `env` overrides. */
export function testConfig(env: Record<string, string> = {}): FactoryConfig {
  return loadConfig(env);
}

/** The whole platform built from the given FACTORY_* overrides (not yet synthesized). */
export function platform(env: Record<string, string> = {}): Platform {
  return buildPlatform(Testing.app(), testConfig(env));
}

// One definition of a stack's JSON for the tests and the guardrails.
export type { TfJson };
export type PlatformJson = { readonly [K in keyof Platform]: TfJson } & { readonly outdir: string; readonly platform: Platform };

// Removed when the test file's worker exits; the parsed JSON is all the tests keep.
const synthDirs: string[] = [];
process.on("exit", () => synthDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * The whole platform synthesized as `cdktf synth` does it, into a temporary directory: unlike
 * Testing.synth of one stack, cross-stack references are resolved to remote-state lookups and
 * outputs. Returns each stack's cdk.tf.json by its short name.
 *
 * Within one jest run the synthesized directory of each settings variant is shared between the
 * test files (see synth-cache.ts): the first file to ask synthesizes it, the others read it. The
 * code cannot change during a run, so both see the same JSON; `platform` (the constructs) is then
 * built again on first use.
 */
export function synthPlatform(env: Record<string, string> = {}): PlatformJson {
  const cached = sharedSynthDir(env);
  // The constructs as a synthesis leaves them (cross-stack references add stack dependencies then).
  if (cached) return readPlatform(cached, env, () => synthesize(env).built);
  const { outdir, built } = synthesize(env);
  const shared = shareSynthDir(env, outdir);
  if (shared !== outdir) synthDirs.splice(synthDirs.indexOf(outdir), 1);
  return readPlatform(shared, env, () => built);
}

function synthesize(env: Record<string, string>): { outdir: string; built: Platform } {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "factory-synth-"));
  synthDirs.push(outdir);
  const app = Testing.app({ outdir });
  const built = buildPlatform(app, testConfig(env));
  app.synth();
  return { outdir, built };
}

function readPlatform(outdir: string, env: Record<string, string>, built: () => Platform): PlatformJson {
  const config = testConfig(env);
  const json: Record<string, TfJson> = {};
  for (const key of STACK_SHORT_NAMES) {
    json[key] = JSON.parse(readFileSync(path.join(outdir, "stacks", stackName(config, key), "cdk.tf.json"), "utf8"));
  }
  let constructs: Platform | undefined;
  const result = { ...(json as { [K in keyof Platform]: TfJson }), outdir } as PlatformJson;
  // Enumerable as before (tests that walk the stacks skip "outdir" and "platform" by name).
  Object.defineProperty(result, "platform", { enumerable: true, get: () => (constructs ??= built()) });
  return result;
}

/** One stack's cdk.tf.json without cross-stack wiring (fast; for stack-local assertions). */
export function synthJson(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack));
}

/** The resources (or data sources, with kind "data") of one type, as a list. */
export function resourcesOf(json: TfJson, type: string, kind: "resource" | "data" = "resource"): TfJson[] {
  return Object.values(json[kind]?.[type] ?? {});
}

/** The single resource of a type; fails the test when there are none or several. */
export function onlyResource(json: TfJson, type: string, kind: "resource" | "data" = "resource"): TfJson {
  const all = resourcesOf(json, type, kind);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/**
 * The value a Terraform attribute path (as `ignore_changes` writes it: `spec[0].items[0].name`)
 * names in a synthesized resource body, whose single blocks cdktf writes as objects or one-element
 * lists; undefined when the path names nothing (a wrong path ignores nothing).
 */
export function atTerraformPath(body: TfJson, attributePath: string): unknown {
  let value: unknown = body;
  for (const step of attributePath.split(".")) {
    const m = /^([a-z_0-9]+)(?:\[(\d+)\])?$/.exec(step);
    if (!m || value === null || typeof value !== "object") return undefined;
    value = (value as TfJson)[m[1]];
    if (m[2] !== undefined) value = Array.isArray(value) ? value[Number(m[2])] : Number(m[2]) === 0 ? value : undefined;
  }
  return value;
}
