/**
 * Fixtures of the per-construct tests: a minimal stack with only the providers a construct needs,
 * synthesized alone (no platform, no config).
 */
import { Construct } from "constructs";
import { DefaultTokenResolver, StringConcat, Testing, TerraformStack, Tokenization } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";

// Type only: importing ../helpers for its values would load the whole platform.
import type { TfJson } from "../helpers";
export type { TfJson };

/** An empty stack "t" in a test app. */
export function emptyStack(): TerraformStack {
  return new TerraformStack(Testing.app(), "t");
}

/** A stack with the AWS provider (for the constructs in constructs/). */
export function awsStack(): TerraformStack {
  const stack = emptyStack();
  new AwsProvider(stack, "aws", { region: "us-west-2" });
  return stack;
}

/** A stack with the kubernetes and random providers (for the constructs in constructs/k8s/). */
export function kubernetesStack(): TerraformStack {
  const stack = emptyStack();
  new KubernetesProvider(stack, "kubernetes", {});
  new RandomProvider(stack, "random", {});
  return stack;
}

/** A stack with the helm provider (for PinnedHelmRelease). */
export function helmStack(): TerraformStack {
  const stack = emptyStack();
  new HelmProvider(stack, "helm", {});
  return stack;
}

/** The stack's cdk.tf.json. */
export function synth(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack));
}

/** The resources (or data sources, with kind "data") of one type, by their construct-derived key. */
export function byKey(json: TfJson, type: string, kind: "resource" | "data" = "resource"): Record<string, TfJson> {
  return json[kind]?.[type] ?? {};
}

/** The resources (or data sources) of one type, as a list. */
export function all(json: TfJson, type: string, kind: "resource" | "data" = "resource"): TfJson[] {
  return Object.values(byKey(json, type, kind));
}

/** The single resource (or data source) of a type; fails the test when there are none or several. */
export function only(json: TfJson, type: string, kind: "resource" | "data" = "resource"): TfJson {
  const found = all(json, type, kind);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0];
}

/** A Terraform reference to an attribute of the one resource of a type: "${type.key.attribute}". */
export function ref(json: TfJson, type: string, attribute: string, kind: "resource" | "data" = "resource"): string {
  const keys = Object.keys(byKey(json, type, kind));
  if (keys.length !== 1) throw new Error(`expected exactly one ${type}, found ${keys.length}`);
  return `\${${kind === "data" ? "data." : ""}${type}.${keys[0]}.${attribute}}`;
}

/** A value with its tokens resolved as they synthesize in `scope`'s stack (e.g. "${type.key.attribute}"). */
export function resolved<T>(scope: Construct, value: T): T {
  return Tokenization.resolve(value, { scope: TerraformStack.of(scope), resolver: new DefaultTokenResolver(new StringConcat()), preparing: false });
}
