import { readFileSync } from "fs";
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
export type StackKey = keyof Platform;

/**
 * Synthesizes the whole app, as `cdktf synth` does (cross-stack references become remote state
 * and outputs only then), and returns each stack's cdk.tf.json by its short name.
 */
export function synthAll(env: Record<string, string> = {}): Record<StackKey, TfJson> {
  const app = Testing.app();
  const built = buildPlatform(app, testConfig(env));
  app.synth();
  return Object.fromEntries(
    Object.entries(built).map(([key, stack]) => [key, readStack(app.outdir, stack as TerraformStack)]),
  ) as Record<StackKey, TfJson>;
}

function readStack(outdir: string, stack: TerraformStack): TfJson {
  const file = path.join(outdir, "stacks", stack.node.id, "cdk.tf.json");
  return JSON.parse(readFileSync(file, "utf8"));
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
