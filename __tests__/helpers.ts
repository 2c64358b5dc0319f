import { Testing, TerraformStack } from "cdktf";
import { loadConfig, FactoryConfig } from "../config";
import { buildPlatform, Platform } from "../stacks/platform";

/** Settings for tests: the spec's defaults plus `env` overrides. */
export function testConfig(env: Record<string, string> = {}): FactoryConfig {
  return loadConfig(env);
}

/** The whole platform built from the given FACTORY_* overrides. */
export function platform(env: Record<string, string> = {}): Platform {
  return buildPlatform(Testing.app(), testConfig(env));
}

/** A stack's synthesized cdk.tf.json, parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TfJson = Record<string, any>;
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
