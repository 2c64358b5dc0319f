/** versions.yaml, the one pin table: what loadVersions refuses, each with one line naming the pin. */
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { loadVersions, VERSIONS, VERSIONS_FILE } from "../versions";

const dir = mkdtempSync(path.join(os.tmpdir(), "versions-"));
/** versions.yaml with `change` applied to its parsed table, written to a file of its own. */
function variant(change: (t: ReturnType<typeof parse>) => void): string {
  const table = parse(readFileSync(VERSIONS_FILE, "utf8"));
  change(table);
  const file = path.join(dir, `v${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringify(table));
  return file;
}

test("the default Kubernetes version's nodes have a pinned AMI release of that minor", () => {
  const release = VERSIONS.kubernetes.nodeAmiReleases[VERSIONS.kubernetes.default];
  expect(release).toMatch(new RegExp(`^${VERSIONS.kubernetes.default.replace(".", "\\.")}\\.\\d+-\\d{8}$`));
});

test("an AMI release of another minor, or not shaped <minor>.<patch>-<YYYYMMDD>, is refused naming the pin", () => {
  expect(() => loadVersions(variant((t) => (t.kubernetes.nodeAmiReleases["1.35"] = "1.34.9-20260827")))).toThrow(
    'kubernetes.nodeAmiReleases["1.35"] must be a release of Kubernetes 1.35, such as 1.35.0-20260101, got 1.34.9-20260827',
  );
  expect(() => loadVersions(variant((t) => (t.kubernetes.nodeAmiReleases["1.36"] = "v20260923")))).toThrow('nodeAmiReleases["1.36"]');
});

test("the default minor without an AMI release is refused (its nodes would take whatever AWS recommends that day)", () => {
  expect(() => loadVersions(variant((t) => delete t.kubernetes.nodeAmiReleases[t.kubernetes.default]))).toThrow(
    `kubernetes.nodeAmiReleases must pin the nodes' AMI release for the default Kubernetes ${VERSIONS.kubernetes.default}`,
  );
});

test("a Cluster Autoscaler image of another minor is refused", () => {
  expect(() => loadVersions(variant((t) => (t.kubernetes.clusterAutoscaler["1.35"] = "v1.34.5")))).toThrow(
    "kubernetes.clusterAutoscaler must pin a v1.35.x image for Kubernetes 1.35 (the minors must match), got v1.34.5",
  );
});
