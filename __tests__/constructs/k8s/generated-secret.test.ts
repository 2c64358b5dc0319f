/** GeneratedSecret: a Kubernetes Secret whose secret values the random provider generates. */
import { GeneratedSecret, GeneratedSecretProps, URL_SAFE_SPECIALS } from "../../../constructs/k8s/generated-secret";
import { all, byKey, emptyStack, kubernetesStack, only, resolved, synth, TfJson } from "../support";

const props: GeneratedSecretProps = { name: "minio-credentials", namespace: "factory-system", generated: { password: {} } };

function build(overrides: Partial<GeneratedSecretProps> = {}) {
  const stack = kubernetesStack();
  const secret = new GeneratedSecret(stack, "s", { ...props, ...overrides });
  return { secret, json: synth(stack) };
}
/** The random_password of one key. */
function password(json: TfJson, key: string): { address: string; spec: TfJson } {
  const found = Object.entries(byKey(json, "random_password")).filter(([address]) => address.startsWith(`s_${key}_`));
  if (found.length !== 1) throw new Error(`expected one random_password for ${key}, found ${found.length}`);
  return { address: found[0][0], spec: found[0][1] };
}
const result = (json: TfJson, key: string) => `\${random_password.${password(json, key).address}.result}`;

test("GeneratedSecret: an Opaque Secret with the given name, namespace and labels", () => {
  const { json } = build({ labels: { "app.kubernetes.io/name": "minio" } });
  const secret = only(json, "kubernetes_secret_v1");
  expect(secret.type).toBe("Opaque");
  expect(secret.metadata).toEqual({ name: "minio-credentials", namespace: "factory-system", labels: { "app.kubernetes.io/name": "minio" } });
});

test("GeneratedSecret: each generated key is a random password, 32 characters with URL-safe punctuation by default", () => {
  const { json } = build({ generated: { password: {}, accessKey: {} } });
  expect(all(json, "random_password")).toHaveLength(2);
  for (const key of ["password", "accessKey"]) {
    expect(password(json, key).spec).toMatchObject({ length: 32, special: true, override_special: "-_.~" });
  }
  expect(URL_SAFE_SPECIALS).toBe("-_.~");
});

test("GeneratedSecret: length and special override the defaults; without punctuation no special set is given", () => {
  const { json } = build({ generated: { pin: { length: 12, special: false } } });
  const spec = password(json, "pin").spec;
  expect(spec.length).toBe(12);
  expect(spec.special).toBe(false);
  expect(spec.override_special).toBeUndefined();
});

test("GeneratedSecret: every generated value has a lower-case letter, an upper-case letter and a digit", () => {
  expect(password(build().json, "password").spec).toMatchObject({ min_lower: 1, min_upper: 1, min_numeric: 1 });
});

test("GeneratedSecret: secret values exist only in state: the synthesized Secret holds references to the generated results", () => {
  const { json } = build({ generated: { password: {}, accessKey: {} } });
  expect(only(json, "kubernetes_secret_v1").data).toEqual({ password: result(json, "password"), accessKey: result(json, "accessKey") });
});

test("GeneratedSecret: literals are fixed, non-secret values of the Secret; none by default", () => {
  expect(Object.keys(only(build().json, "kubernetes_secret_v1").data)).toEqual(["password"]);
  const { json } = build({ literals: { user: "factory", database: "factory" } });
  expect(only(json, "kubernetes_secret_v1").data).toMatchObject({ user: "factory", database: "factory" });
  expect(all(json, "random_password")).toHaveLength(1);
});

test("GeneratedSecret: derived keys are built from the generated values as references; none by default", () => {
  const { json } = build({ derived: { "redis.conf": (g) => `requirepass ${g.password}\n` } });
  expect(only(json, "kubernetes_secret_v1").data["redis.conf"]).toBe(`requirepass ${result(json, "password")}\n`);
});

test("GeneratedSecret: keys are stable: a password's address is its key, so adding another key regenerates nothing", () => {
  const before = password(build().json, "password").address;
  const after = password(build({ generated: { accessKey: {}, password: {} } }).json, "password").address;
  expect(after).toBe(before);
});

test("GeneratedSecret: name is a reference to the Secret, and env() reads a key of it", () => {
  const { secret, json } = build();
  const name = `\${kubernetes_secret_v1.${Object.keys(byKey(json, "kubernetes_secret_v1"))[0]}.metadata[0].name}`;
  expect(resolved(secret, secret.name)).toBe(name);
  expect(resolved(secret, secret.env("MINIO_ROOT_PASSWORD", "password"))).toEqual({ name: "MINIO_ROOT_PASSWORD", secret: { name, key: "password" } });
});

test("GeneratedSecret: a derived key may not shadow a generated or literal one", () => {
  expect(
    () => new GeneratedSecret(emptyStack(), "s", { name: "s", namespace: "n", generated: { password: {} }, derived: { password: (g) => g.password } }),
  ).toThrow('GeneratedSecret s: derived key "password" is also a generated or literal key');
});

test("GeneratedSecret: a derived key may not shadow a literal one either", () => {
  expect(() => build({ literals: { user: "factory" }, derived: { user: () => "other" } })).toThrow(
    'GeneratedSecret minio-credentials: derived key "user" is also a generated or literal key',
  );
});
