import { readFileSync } from "fs";
import * as path from "path";
import { parseDocument } from "yaml";

/** Directory of the add-ons' static Helm values files. */
export const HELM_VALUES_DIR = path.join(__dirname, "..", "..", "helm-values");

export type HelmValues = { [key: string]: unknown };

/**
 * Reads a Helm values file: one YAML mapping (an empty file is an empty mapping). Anything else
 * (unreadable file, YAML syntax error, a list or scalar at the top) throws a one-line error naming
 * the file, at synth rather than in `helm upgrade` on the cluster.
 */
export function loadHelmValues(file: string): HelmValues {
  const fail = (why: string): never => {
    throw new Error(`${file}: not a valid Helm values file: ${why.split("\n")[0].replace(/:$/, "")}`);
  };
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    fail((e as Error).message);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  // prettyErrors: the message's first line ends with the line and column.
  if (doc.errors.length > 0) fail(doc.errors[0].message);
  const values: unknown = doc.toJS() ?? {};
  if (!isMapping(values)) fail("the top level must be a mapping of keys to values");
  return values as HelmValues;
}

function isMapping(v: unknown): v is HelmValues {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * `computed` merged over `base`, mappings merged key by key (what Helm does with several values
 * files). Throws when `base` sets a key that `computed` owns: a value that is derived from the
 * stacks must not be silently overridden or shadowed by a file.
 */
export function mergeHelmValues(base: HelmValues, computed: HelmValues, source: string, prefix = ""): HelmValues {
  const out: HelmValues = { ...base };
  for (const [key, value] of Object.entries(computed)) {
    const here = base[key];
    if (here !== undefined && isMapping(here) && isMapping(value)) {
      out[key] = mergeHelmValues(here, value, source, `${prefix}${key}.`);
    } else if (here !== undefined) {
      throw new Error(`${source}: ${prefix}${key} is computed from the stacks; remove it from the file`);
    } else {
      out[key] = value;
    }
  }
  return out;
}
