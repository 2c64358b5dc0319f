import { mkdtempSync, readFileSync, rmSync } from "fs";
import * as os from "os";
import * as path from "path";
import { Testing, TerraformStack } from "cdktf";
import { loadConfig, FactoryConfig } from "../config";
import { buildPlatform, Platform } from "../stacks/platform";

/** Settings for tests: the spec's defaults plus `env` overrides. */
export function testConfig(env: Record<string, string> = {}): FactoryConfig {
  return loadConfig(env);
}

/** The whole platform built from the given FACTORY_* overrides (not yet synthesized). */
export function platform(env: Record<string, string> = {}): Platform {
  return buildPlatform(Testing.app(), testConfig(env));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TfJson = Record<string, any>;
export type PlatformJson = { readonly [K in keyof Platform]: TfJson } & { readonly outdir: string; readonly platform: Platform };

// Removed when the test file's worker exits; the parsed JSON is all the tests keep.
const synthDirs: string[] = [];
process.on("exit", () => synthDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * The whole platform synthesized as `cdktf synth` does it, into a temporary directory: unlike
 * Testing.synth of one stack, cross-stack references are resolved to remote-state lookups and
 * outputs. Returns each stack's cdk.tf.json by its short name.
 */
export function synthPlatform(env: Record<string, string> = {}): PlatformJson {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "factory-synth-"));
  synthDirs.push(outdir);
  const app = Testing.app({ outdir });
  const built = buildPlatform(app, testConfig(env));
  app.synth();
  const json: Record<string, TfJson> = {};
  for (const [key, stack] of Object.entries(built)) {
    json[key] = JSON.parse(readFileSync(path.join(outdir, "stacks", (stack as TerraformStack).node.id, "cdk.tf.json"), "utf8"));
  }
  return { ...(json as { [K in keyof Platform]: TfJson }), outdir, platform: built };
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
