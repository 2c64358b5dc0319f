/**
 * No secret value is ever written into the synthesized configuration: generated credentials flow
 * from random_password only into Kubernetes Secrets, and workloads read them by reference.
 */
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { synthPlatform, TfJson } from "./helpers";

/** Secret keys whose values are not secret (identifiers, not credentials). */
const NON_SECRET_KEYS = new Set(["username", "database"]);
const SECRET_NAME = /pass|secret|token|credential|private|(^|_)key$|access_key/i;
const RANDOM_REF = /^\$\{random_password\.[^.}]+\.result\}$/;

/** Every problem found in one stack's cdk.tf.json; empty when it is clean. */
export function secretLeaks(json: TfJson): string[] {
  const leaks: string[] = [];

  // 1. Secrets: every value is a random_password result, except declared non-secret keys.
  for (const [id, secret] of Object.entries((json.resource?.kubernetes_secret_v1 ?? {}) as Record<string, TfJson>)) {
    for (const [k, v] of Object.entries(secret.data ?? {})) {
      if (!NON_SECRET_KEYS.has(k) && !RANDOM_REF.test(String(v))) leaks.push(`kubernetes_secret_v1.${id}.data.${k} is a literal`);
    }
    if (secret.binary_data || secret.data_wo) leaks.push(`kubernetes_secret_v1.${id} has binary or write-only data`);
  }

  // 2. Generated values appear only in Secrets' data: not in env, args, values, outputs, locals.
  const walk = (node: unknown, where: string) => {
    if (typeof node === "string") {
      if (node.includes("random_password.") && !/^resource\.kubernetes_secret_v1\.[^.]+\.data\./.test(where)) leaks.push(`${where} uses a random_password`);
      return;
    }
    if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${where}[${i}]`));
    else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) walk(v, where ? `${where}.${k}` : k);
  };
  walk(json, "");

  // 3. Environment variables with secret-like names read a Secret rather than carry a value.
  const envs = (node: unknown, where: string) => {
    if (Array.isArray(node)) node.forEach((v, i) => envs(v, `${where}[${i}]`));
    else if (node && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        if (k === "env" && Array.isArray(v)) {
          for (const e of v as TfJson[]) if (SECRET_NAME.test(e.name) && e.value !== undefined) leaks.push(`${where}.env ${e.name} has a literal value`);
        } else envs(v, `${where}.${k}`);
      }
    }
  };
  envs(json.resource ?? {}, "resource");

  // 4. Providers hold no static credential (tokens expire; the exec plugin fetches them).
  for (const [name, configs] of Object.entries((json.provider ?? {}) as Record<string, TfJson[]>)) {
    const text = JSON.stringify(configs);
    for (const field of ["token", "password", "client_key", "access_key", "secret_key"]) {
      if (new RegExp(`"${field}"\\s*:`).test(text)) leaks.push(`provider ${name} sets ${field}`);
    }
  }
  return leaks;
}

describe("no secret value in any synthesized cdk.tf.json", () => {
  for (const env of [{}, { FACTORY_IMAGE_TAG: "v1.0.0" }] as Record<string, string>[]) {
    const { outdir } = synthPlatform(env);
    const stacks = readdirSync(path.join(outdir, "stacks"));

    test(`every stack is clean (${JSON.stringify(env)})`, () => {
      expect(stacks).toEqual(expect.arrayContaining(["attractor-factory-addons", "attractor-factory-app"]));
      for (const stack of stacks) {
        const json = JSON.parse(readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
        expect([stack, secretLeaks(json)]).toEqual([stack, []]);
      }
    });

    test(`the app stack does generate credentials, so the check above had something to check (${JSON.stringify(env)})`, () => {
      const json = JSON.parse(readFileSync(path.join(outdir, "stacks", "attractor-factory-app", "cdk.tf.json"), "utf8"));
      expect(Object.keys(json.resource.random_password).length).toBeGreaterThanOrEqual(4);
      expect(Object.keys(json.resource.kubernetes_secret_v1).length).toBe(3);
    });
  }
});

describe("the leak check itself catches leaks", () => {
  const clean: TfJson = {
    resource: {
      random_password: { pw: { length: 32 } },
      kubernetes_secret_v1: { s: { data: { username: "factory", password: "${random_password.pw.result}" } } },
      kubernetes_deployment_v1: { d: { spec: { template: { spec: { container: [{ env: [{ name: "DB_PASSWORD", value_from: { secret_key_ref: { name: "s", key: "password" } } }] }] } } } } },
    },
  };
  const mutate = (f: (j: TfJson) => void) => {
    const j = JSON.parse(JSON.stringify(clean));
    f(j);
    return secretLeaks(j);
  };

  test("the clean fixture passes", () => expect(secretLeaks(clean)).toEqual([]));
  test("a literal password in a Secret", () =>
    expect(mutate((j) => (j.resource.kubernetes_secret_v1.s.data.password = "hunter2hunter2"))).toEqual(["kubernetes_secret_v1.s.data.password is a literal"]));
  test("a generated password copied into an env value", () =>
    expect(mutate((j) => j.resource.kubernetes_deployment_v1.d.spec.template.spec.container[0].env.push({ name: "X", value: "${random_password.pw.result}" }))).toHaveLength(1));
  test("a literal value for a secret-named env var", () =>
    expect(mutate((j) => (j.resource.kubernetes_deployment_v1.d.spec.template.spec.container[0].env[0] = { name: "DB_PASSWORD", value: "x" }))).toHaveLength(1));
  test("a generated password in an output", () => expect(mutate((j) => (j.output = { o: { value: "${random_password.pw.result}" } }))).toEqual(["output.o.value uses a random_password"]));
  test("a provider token", () => expect(mutate((j) => (j.provider = { kubernetes: [{ token: "abc" }] }))).toEqual(["provider kubernetes sets token"]));
});
