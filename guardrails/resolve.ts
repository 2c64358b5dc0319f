/**
 * Reading synthesized JSON, shared by the rules: resources by type, nested blocks however cdktf
 * rendered them, and Terraform references followed to what they name, within a stack and across
 * stacks (a remote state's output to the producing stack's output and on to its resource). Also
 * the values a helm_release passes, which two rule families read.
 */
import { parse as parseYaml } from "yaml";
import type { SynthesizedStack, TfJson } from "./types";

export interface Item {
  readonly stack: SynthesizedStack;
  readonly type: string;
  readonly name: string;
  readonly body: TfJson;
  readonly address: string;
}

/** Resources (or data sources) of the given types, in every stack. */
export function items(stacks: readonly SynthesizedStack[], types: readonly string[], kind: "resource" | "data" = "resource"): Item[] {
  const out: Item[] = [];
  for (const stack of stacks) {
    for (const type of types) {
      for (const [name, body] of Object.entries((stack.json[kind]?.[type] ?? {}) as Record<string, TfJson>)) {
        out.push({ stack, type, name, body, address: `${kind === "data" ? "data." : ""}${type}.${name}` });
      }
    }
  }
  return out;
}

/** A single nested block, whether cdktf rendered it as an object or a one-element list. */
export function one(v: unknown): TfJson | undefined {
  if (Array.isArray(v)) return v[0] as TfJson | undefined;
  return v && typeof v === "object" ? (v as TfJson) : undefined;
}

/** A repeated block or list as a list. */
export function many(v: unknown): TfJson[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as TfJson[];
}

export function isTrue(v: unknown): boolean {
  return v === true || v === "true";
}
export function isFalse(v: unknown): boolean {
  return v === false || v === "false";
}

const WHOLE_REF = /^\$\{([^{}]+)\}$/;
export const isRef = (v: unknown): v is string => typeof v === "string" && v.includes("${");

/** A whole-string reference `${(data.)type.name.attr...}` to a resource of the stack. */
export interface Ref {
  readonly stack: SynthesizedStack;
  readonly kind: "resource" | "data";
  readonly type: string;
  readonly name: string;
  /** The attribute path after the name, e.g. "id" or "vpc_config[0].cluster_security_group_id". */
  readonly attr: string;
  readonly address: string;
  readonly body: TfJson | undefined;
}

export function parseRef(stack: SynthesizedStack, value: unknown): Ref | undefined {
  if (typeof value !== "string") return undefined;
  const m = WHOLE_REF.exec(value);
  if (!m) return undefined;
  const r = /^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.(.+)$/.exec(m[1].trim());
  if (!r) return undefined;
  const kind = r[1] ? "data" : "resource";
  return {
    stack,
    kind,
    type: r[2],
    name: r[3],
    attr: r[4],
    address: `${r[1] ?? ""}${r[2]}.${r[3]}`,
    body: stack.json[kind]?.[r[2]]?.[r[3]] as TfJson | undefined,
  };
}

/**
 * Follows a value to what it finally refers to: a remote-state output is followed to the stack
 * whose backend key the remote state reads, then to that output's value, recursively; lists are
 * flattened. Returns the terminal values with the stack they are in (literals, references to
 * resources, or expressions that cannot be followed).
 */
export function resolve(
  stacks: readonly SynthesizedStack[],
  stack: SynthesizedStack,
  value: unknown,
  depth = 0,
): { stack: SynthesizedStack; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v) => resolve(stacks, stack, v, depth));
  const ref = parseRef(stack, value);
  if (depth < 10 && ref && ref.kind === "data" && ref.type === "terraform_remote_state") {
    const out = /^outputs\.([A-Za-z0-9_-]+)$/.exec(ref.attr);
    const key = ref.body?.config?.key;
    // The stack that keeps its state under that key and has that output.
    const producer = out ? stacks.find((s) => s.json.terraform?.backend?.s3?.key === key && s.json.output?.[out[1]]) : undefined;
    const output = out && producer?.json.output?.[out[1]];
    if (producer && output) return resolve(stacks, producer, output.value, depth + 1);
  }
  return [{ stack, value }];
}

/** The resource a value refers to (after following remote state), when it is one of `types`. */
export function resolveTo(stacks: readonly SynthesizedStack[], stack: SynthesizedStack, value: unknown, types: readonly string[]): Ref[] {
  return resolve(stacks, stack, value)
    .map((t) => parseRef(t.stack, t.value))
    .filter((r): r is Ref => !!r && r.kind === "resource" && types.includes(r.type) && r.body !== undefined);
}

/** Whether `value` names the resource `item` (a reference to any of its attributes). */
export function refersTo(value: unknown, item: Item, attrs: readonly string[] = ["id", "name", "arn", "bucket"]): boolean {
  const ref = parseRef(item.stack, value);
  return !!ref && ref.address === item.address && attrs.includes(ref.attr);
}

/** The values a helm_release passes: every `values` document merged, then `set` entries. */
export function helmValues(item: Item): { values: TfJson; error?: string } {
  let values: TfJson = {};
  for (const doc of many(item.body.values)) {
    try {
      const parsed = parseYaml(String(doc));
      if (parsed && typeof parsed === "object") values = { ...values, ...(parsed as TfJson) };
    } catch (e) {
      return { values, error: `values are not YAML: ${(e as Error).message.split("\n")[0]}` };
    }
  }
  for (const s of many(item.body.set)) values = { ...values, [String(s.name)]: s.value };
  return { values };
}
