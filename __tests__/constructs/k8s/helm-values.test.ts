/** loadHelmValues and mergeHelmValues: a static values file read as one mapping, computed values merged over it. */
import { readdirSync } from "fs";
import * as path from "path";
import { tempValuesFiles } from "../temp-files";
import { HELM_VALUES_DIR, HelmValues, loadHelmValues, mergeHelmValues } from "../../../constructs/k8s/helm-values";

/** A values file of its own in a temporary directory. */
const tempValuesFile = tempValuesFiles("helm-values");
/** The message loadHelmValues throws for `file`, which must throw. */
function loadError(file: string): string {
  try {
    loadHelmValues(file);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${file} loaded`);
}

test("loadHelmValues: a YAML mapping is read as its values, nested mappings and lists included", () => {
  const file = tempValuesFile("replicaCount: 2\nresources:\n  requests:\n    cpu: 100m\nextraArgs:\n  v: 2\ntolerations: [a, b]\nenabled: false\n");
  expect(loadHelmValues(file)).toEqual({
    replicaCount: 2,
    resources: { requests: { cpu: "100m" } },
    extraArgs: { v: 2 },
    tolerations: ["a", "b"],
    enabled: false,
  });
});

test.each([
  ["empty", ""],
  ["only comments", "# all defaults\n"],
  ["a null document", "~\n"],
])("loadHelmValues: a file with no values (%s) is an empty mapping", (_, text) => {
  expect(loadHelmValues(tempValuesFile(text))).toEqual({});
});

test.each([
  ["a list", "- a\n- b\n"],
  ["a scalar", "hello\n"],
])("loadHelmValues: a file whose top level is %s is refused, naming the file", (_, text) => {
  const file = tempValuesFile(text);
  expect(loadError(file)).toBe(`${file}: not a valid Helm values file: the top level must be a mapping of keys to values`);
});

test.each([
  ["a syntax error", "a: [1, 2\nb: 3\n", "Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1"],
  ["a duplicate key", "a: 1\na: 2\n", "Map keys must be unique at line 2, column 1"],
  ["a tab as indentation", "a:\n\tb: 1\n", "Tabs are not allowed as indentation at line 2, column 1"],
  ["several documents", "a: 1\n---\nb: 2\n", "Source contains multiple documents; please use YAML.parseAllDocuments() at line 2, column 1"],
])("loadHelmValues: a malformed file (%s) is a one-line error naming the file and the line", (_, text, why) => {
  const file = tempValuesFile(text);
  const message = loadError(file);
  expect(message).toBe(`${file}: not a valid Helm values file: ${why}`);
  expect(message).not.toContain("\n");
});

test("loadHelmValues: a file that cannot be read is a one-line error naming it", () => {
  const tmp = path.dirname(tempValuesFile("a: 1"));
  const missing = path.join(tmp, "missing.yaml");
  expect(loadError(missing)).toBe(`${missing}: not a valid Helm values file: ENOENT: no such file or directory, open '${missing}'`);
  const directory = loadError(tmp);
  expect(directory.startsWith(`${tmp}: not a valid Helm values file: EISDIR`)).toBe(true);
  expect(directory).not.toContain("\n");
});

test("loadHelmValues: every file in helm-values/ is a valid values file", () => {
  const names = readdirSync(HELM_VALUES_DIR).filter((f) => f.endsWith(".yaml"));
  expect(names).toEqual(expect.arrayContaining(["aws-load-balancer-controller.yaml", "cluster-autoscaler.yaml", "metrics-server.yaml"]));
  for (const name of names) expect(Object.keys(loadHelmValues(path.join(HELM_VALUES_DIR, name))).length).toBeGreaterThan(0);
});

test("mergeHelmValues: computed keys the file does not set are added; the file's other keys are kept", () => {
  expect(mergeHelmValues({ replicaCount: 2, ingressClass: "alb" }, { clusterName: "c", region: "us-west-2" }, "f.yaml")).toEqual({
    replicaCount: 2,
    ingressClass: "alb",
    clusterName: "c",
    region: "us-west-2",
  });
});

test("mergeHelmValues: mappings are merged key by key, at any depth (as Helm merges several values files)", () => {
  const base = { rbac: { create: true, serviceAccount: { automount: true } }, resources: { requests: { cpu: "100m" } } };
  const computed = { rbac: { serviceAccount: { name: "sa", annotations: { a: "b" } } }, resources: { requests: { memory: "1Gi" } } };
  expect(mergeHelmValues(base, computed, "f.yaml")).toEqual({
    rbac: { create: true, serviceAccount: { automount: true, name: "sa", annotations: { a: "b" } } },
    resources: { requests: { cpu: "100m", memory: "1Gi" } },
  });
});

test("mergeHelmValues: no computed values leave the file's as they are", () => {
  const base = { a: 1, b: { c: [1, 2] } };
  expect(mergeHelmValues(base, {}, "f.yaml")).toEqual(base);
});

test("mergeHelmValues: neither the file's values nor the computed ones are modified", () => {
  const base: HelmValues = { serviceAccount: { create: false }, replicaCount: 2 };
  const computed: HelmValues = { serviceAccount: { name: "sa" } };
  const merged = mergeHelmValues(base, computed, "f.yaml");
  expect(merged.serviceAccount).toEqual({ create: false, name: "sa" });
  expect(base).toEqual({ serviceAccount: { create: false }, replicaCount: 2 });
  expect(computed).toEqual({ serviceAccount: { name: "sa" } });
});

test("mergeHelmValues: a file that sets a computed key is refused, naming the file and the key's full path", () => {
  expect(() => mergeHelmValues({ clusterName: "old" }, { clusterName: "c" }, "/x/alb.yaml")).toThrow(
    "/x/alb.yaml: clusterName is computed from the stacks; remove it from the file",
  );
  expect(() =>
    mergeHelmValues({ rbac: { serviceAccount: { name: "mine" } } }, { rbac: { serviceAccount: { name: "sa", create: true } } }, "/x/ca.yaml"),
  ).toThrow("/x/ca.yaml: rbac.serviceAccount.name is computed from the stacks; remove it from the file");
});

test("mergeHelmValues: the file may not set a computed key even to the same value, nor to null", () => {
  expect(() => mergeHelmValues({ region: "us-west-2" }, { region: "us-west-2" }, "f.yaml")).toThrow("f.yaml: region is computed");
  expect(() => mergeHelmValues({ region: null }, { region: "us-west-2" }, "f.yaml")).toThrow("f.yaml: region is computed");
});

test("mergeHelmValues: a mapping and a non-mapping under one key conflict, whichever side sets the mapping", () => {
  expect(() => mergeHelmValues({ image: "repo:tag" }, { image: { tag: "v1" } }, "f.yaml")).toThrow("f.yaml: image is computed");
  expect(() => mergeHelmValues({ image: { repository: "r" } }, { image: "repo:tag" }, "f.yaml")).toThrow("f.yaml: image is computed");
  expect(() => mergeHelmValues({ args: ["a"] }, { args: ["b"] }, "f.yaml")).toThrow("f.yaml: args is computed");
});
