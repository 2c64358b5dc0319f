/**
 * The secrets rule: no credential as a literal anywhere in the synthesized JSON; Kubernetes
 * Secrets hold values of the random provider only.
 */
import { helmValues, isRef, items, many } from "../resolve";
import { rule } from "../rule";
import type { Rule } from "../types";
import { podSpecs } from "./workloads";

/** Keys of a Secret that are identifiers, not credentials, and may be literals. */
export const NON_SECRET_KEYS = ["username", "user", "database", "db", "host", "port"];

/** Attribute, value and environment variable names that hold credentials. */
const SECRET_NAME = /pass(word|wd)?($|[^a-z])|passphrase|secret|token|private_?key|access_?key|api_?key|client_?key|credential|auth$/i;
/** Names that match SECRET_NAME but name or point at a secret rather than hold one. */
const NOT_A_SECRET_VALUE =
  /(_ref|_refs|_name|_names|_arn|_id|_ids|_file|_path|_type|_version|_length|_policy|_enabled|_ttl|_count|_mode|Ref|Name|Arn|Id|File|Path)$|^automount_service_account_token$|^http_tokens$|^existing|^(key|secret)$|^use_|^cluster_ca_certificate$/i;

/** Values that look like credentials wherever they appear. */
const SECRET_SHAPES: [string, RegExp][] = [
  ["an AWS access key id", /\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/],
  ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["a GitHub token", /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ["a Slack token", /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  ["a JSON web token", /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
];

/** The Terraform address a JSON path (resource.type.name.attr...) belongs to. */
function addressOf(p: readonly string[]): string {
  if (p[0] === "resource") return `${p[1]}.${p[2]}`;
  if (p[0] === "data") return `data.${p[1]}.${p[2]}`;
  if (p[0] === "terraform" && p[1] === "backend") return "terraform.backend";
  return p.slice(0, 2).join(".");
}

/** The attribute part of a JSON path, for messages. */
function attrPath(p: readonly string[]): string {
  return (p[0] === "resource" || p[0] === "data" ? p.slice(3) : p.slice(1)).join(".");
}

/** Long, random-looking literals (Shannon entropy of at least 4 bits per character). */
function highEntropy(v: string): boolean {
  if (v.length < 20 || /[\s/:]/.test(v)) return false;
  const counts = new Map<string, number>();
  for (const ch of v) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / v.length) * Math.log2(n / v.length);
  return h >= 4;
}

const RANDOM_RESULT = /^\$\{random_(password|string|bytes|id)\.[^.}]+\.(result|b64_std|b64_url|hex)\}$/;
/** A config file line that holds one generated value (Redis's `requirepass <password>`). */
const RANDOM_CONFIG_LINE = /^[A-Za-z][A-Za-z_-]* \$\{random_(password|string)\.[^.}]+\.result\}\n?$/;

function isLiteral(v: unknown): boolean {
  return typeof v === "string" && v !== "" && !isRef(v);
}

const noLiteralSecrets = rule(
  "no-literal-secrets",
  "No password, key or token as a literal in any cdk.tf.json: secret-named attributes, Helm values, env vars and args hold references; Secret data comes from the random provider, alone or as the value of one config line (identifiers like username excepted); generated values go only into Secrets; no credential-shaped string anywhere.",
  (stacks, report) => {
    for (const stack of stacks) {
      // Every string of the stack, with its path; array elements keep their parent's key last,
      // so that name checks apply to list values too.
      const walk = (node: unknown, p: string[]): void => {
        if (p[p.length - 1] === "//") return;
        if (Array.isArray(node)) node.forEach((v) => walk(v, p));
        else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) walk(v, [...p, k]);
        else if (typeof node === "string") checkString(node, p);
      };
      const checkString = (value: string, p: string[]): void => {
        const key = p[p.length - 1] ?? "";
        const where = `${attrPath(p)}`;
        for (const [what, shape] of SECRET_SHAPES) if (shape.test(value)) report.add(stack, addressOf(p), `${where} holds ${what}`);
        if (SECRET_NAME.test(key) && isLiteral(value) && !/^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(value)) {
          if (!NOT_A_SECRET_VALUE.test(key)) report.add(stack, addressOf(p), `${where} is a literal value of a secret-named attribute`);
          else if (highEntropy(value)) report.add(stack, addressOf(p), `${where} is a high-entropy literal in a secret-named attribute`);
        }
        if (/\brandom_(password|string|bytes)\./.test(value) && !(p[0] === "resource" && /^kubernetes_secret(_v1)?$/.test(p[1]) && p[3] === "data")) {
          report.add(stack, addressOf(p), `${where} uses a generated secret outside a Kubernetes Secret's data`);
        }
      };
      walk(stack.json, []);

      // Kubernetes Secrets: every value generated, except identifiers.
      for (const s of items([stack], ["kubernetes_secret", "kubernetes_secret_v1"])) {
        for (const field of ["data", "string_data", "binary_data"]) {
          for (const [k, v] of Object.entries((s.body[field] ?? {}) as Record<string, unknown>)) {
            if (NON_SECRET_KEYS.includes(k) && isLiteral(v)) continue;
            if (!RANDOM_RESULT.test(String(v)) && !RANDOM_CONFIG_LINE.test(String(v)))
              report.add(stack, s.address, `${field}.${k} is not a random provider result (${isLiteral(v) ? "a literal" : "an expression"})`);
          }
        }
        if (s.body.data_wo !== undefined) report.add(stack, s.address, "data_wo holds values outside the random provider");
      }

      // Containers: secret-named env vars read a Secret; secret flags in args take $(VAR).
      for (const { item, spec } of podSpecs([stack])) {
        for (const c of [...many(spec.container), ...many(spec.init_container)]) {
          for (const e of many(c.env)) {
            if (SECRET_NAME.test(String(e.name)) && e.value !== undefined && e.value !== null)
              report.add(stack, item.address, `container ${c.name}: env ${e.name} has a value instead of value_from a Secret`);
          }
          const args = [...many(c.command), ...many(c.args)].map(String);
          args.forEach((a, i) => {
            const flag = /^--?([A-Za-z-]+)(=(.*))?$/.exec(a);
            if (!flag || !SECRET_NAME.test(flag[1].replace(/-/g, "_"))) return;
            const value = flag[2] !== undefined ? flag[3] : args[i + 1];
            if (value !== undefined && !/^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(value) && !isRef(value))
              report.add(stack, item.address, `container ${c.name}: ${flag[1]} is given a literal on the command line`);
          });
        }
      }

      // Helm values: secret-named keys hold no literal.
      for (const h of items([stack], ["helm_release"])) {
        const { values } = helmValues(h);
        const visit = (node: unknown, p: string[]): void => {
          if (Array.isArray(node)) node.forEach((v) => visit(v, p));
          else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) visit(v, [...p, k]);
          else {
            const key = p[p.length - 1] ?? "";
            if (SECRET_NAME.test(key) && !NOT_A_SECRET_VALUE.test(key) && isLiteral(node))
              report.add(stack, h.address, `Helm value ${p.join(".")} is a literal secret`);
          }
        };
        visit(values, []);
        for (const s of many(h.body.set_sensitive)) if (isLiteral(s.value)) report.add(stack, h.address, `set_sensitive ${s.name} is a literal`);
      }
    }
  },
);

/** In docs/guardrails.md's order; rules.ts concatenates the families in turn. */
export const SECRET_RULES: readonly Rule[] = [noLiteralSecrets];
