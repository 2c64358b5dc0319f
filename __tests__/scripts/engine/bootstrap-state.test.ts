/** The bootstrap stack's state moved into the bucket it creates (scripts/engine/bootstrap-state.ts). */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { localStateFile, reconcile } from "../../../scripts/engine/bootstrap-state";
import { BACKEND_OVERRIDE_FILE, declaredBackend, initializedBackend } from "../../../scripts/engine/stack-backend";
import { definesOwnStateBucket } from "../../../scripts/engine/synthesized-stack";
import { synthPlatform } from "../../helpers";

const state = (lineage: string, serial: number, resources: unknown[]) => JSON.stringify({ version: 4, lineage, serial, resources });
const BUCKET = { mode: "managed", type: "aws_s3_bucket", name: "b", instances: [{ attributes: { id: "bucket" } }] };
const POLICY = { mode: "managed", type: "aws_s3_bucket_policy", name: "p", instances: [{ attributes: { id: "bucket" } }] };

test("a local state file goes into a bucket that holds no state of the stack", () => {
  expect(reconcile(state("a", 9, [BUCKET]), undefined)).toBe("push");
});

test("a local file whose resources the bucket already records is left over from a move cut off before the delete: discarded (Terraform gave the pushed state a new lineage and serial)", () => {
  expect(reconcile(state("a", 9, [BUCKET, POLICY]), state("b", 1, [BUCKET, POLICY]))).toBe("discard");
});

test("states are compared by what they record (address and id), not by how Terraform wrote them", () => {
  const reformatted = { ...BUCKET, instances: [{ schema_version: 0, attributes: { id: "bucket", extra: 1 }, sensitive_attributes: [] }] };
  expect(reconcile(state("a", 9, [BUCKET]), state("b", 1, [reformatted]))).toBe("discard");
});

test("a local file that records other resources than the bucket's state is a conflict, never overwritten", () => {
  const verdict = reconcile(state("a", 9, [BUCKET]), state("b", 3, [BUCKET, POLICY]));
  expect(verdict).toEqual({ conflict: expect.stringContaining("record different resources") });
});

test("the local state file lives beside the output directory (the project root by default), where earlier releases kept it", () => {
  expect(localStateFile("/work/project/cdktf.out", "attractor-factory-state")).toBe("/work/project/terraform.attractor-factory-state.tfstate");
});

test("the backend a directory was initialized with is read from .terraform/terraform.tfstate (none: never initialized)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bootstrap-"));
  expect(initializedBackend(dir)).toBeUndefined();
  mkdirSync(path.join(dir, ".terraform"));
  writeFileSync(path.join(dir, ".terraform", "terraform.tfstate"), JSON.stringify({ version: 3, backend: { type: "local", config: { path: "x" } } }));
  expect(initializedBackend(dir)).toBe("local");
});

test("the backend a directory's code declares: the override's while the bucket does not exist, else the synthesized one (init reconfigures when they differ)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bootstrap-"));
  writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify({ terraform: { backend: { s3: { bucket: "b", key: "k" } } } }));
  expect(declaredBackend(dir)).toBe("s3");
  writeFileSync(path.join(dir, BACKEND_OVERRIDE_FILE), JSON.stringify({ terraform: { backend: { local: { path: "/x/terraform.s.tfstate" } } } }));
  expect(declaredBackend(dir)).toBe("local");
});

test("of the platform's stacks only the state stack creates the bucket its backend names (the bootstrap)", () => {
  const { outdir } = synthPlatform();
  const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { workingDirectory: string }> };
  const bootstraps = Object.entries(manifest.stacks)
    .filter(([, s]) => definesOwnStateBucket(path.join(outdir, s.workingDirectory)))
    .map(([name]) => name);
  expect(bootstraps).toEqual(["attractor-factory-state"]);
});
