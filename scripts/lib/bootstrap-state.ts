/**
 * The bootstrap stack's state: the stack that creates the state bucket keeps its state in that
 * bucket too, under its own key, encrypted and locked like every other stack's, so that no
 * checkout holds a file the others lack.
 *
 * Terraform cannot keep the state of the bucket's creation in the bucket, so on a new account the
 * engine writes a backend override file into the stack's synthesized directory (a local state
 * file beside the output directory) and applies with it; once the apply is verified, the state is
 * pushed into the bucket and the file deleted. A file an interrupted bootstrap left, or one an
 * earlier release kept there for good, is moved the same way the next time an apply verb runs.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import { say } from "./schedule";
import { S3StackBackend } from "./stack-backend";
import { errorLines, Runner } from "./stack-runner";
import { describeEnd } from "./terraform-process";

/** Terraform merges `*_override.tf.json` over the stack's code: a backend there replaces the synthesized one. */
export const BACKEND_OVERRIDE_FILE = "backend_override.tf.json";

/** The local state file of the bootstrap stack: beside the output directory (the project root by default), where earlier releases kept it. */
export function localStateFile(outdir: string, stack: string): string {
  return path.join(path.dirname(outdir), `terraform.${stack}.tfstate`);
}

/** The backend type the directory was last initialized with, or undefined when it never was. */
export function initializedBackend(stackDir: string): string | undefined {
  const file = path.join(stackDir, ".terraform", "terraform.tfstate");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as { backend?: { type?: string } }).backend?.type;
}

/**
 * What becomes of a local state file when the bucket may already hold the stack's state: "push" it
 * (the bucket holds none), "discard" it (the bucket records the same resources: an earlier move was
 * cut off before the file was deleted), or a conflict to resolve by hand. Resources, not lineage,
 * are compared: Terraform gives a state pushed into an empty backend a new lineage and serial.
 */
export function reconcile(local: string, inBucket: string | undefined): "push" | "discard" | { conflict: string } {
  if (inBucket === undefined) return "push";
  const resources = (text: string) => JSON.stringify((JSON.parse(text) as { resources?: unknown[] }).resources ?? []);
  if (resources(local) === resources(inBucket)) return "discard";
  return { conflict: "both the local state file and the bucket hold state for this stack, and they record different resources" };
}

/**
 * Before the bootstrap stack is planned by an apply verb: with no bucket yet, the local state file
 * (runner.backend() returns it from now on); with the bucket, a local file is moved into it first.
 * Returns why the stack cannot go on, or undefined.
 */
export async function chooseBootstrapBackend(runner: Runner, stack: string): Promise<string | undefined> {
  const dir = runner.dir(stack);
  const file = localStateFile(runner.opts.outdir, stack);
  const bucketExists = runner.listed === undefined ? runner.bucketExists() : runner.listed !== null;
  if (!bucketExists) {
    writeLocalOverride(dir, file);
    runner.localState.set(stack, file);
    say(`${stack}: the state bucket does not exist yet: applied with the local state file ${file}, which moves into the bucket once it exists`);
    return reinitIfNot(runner, stack, "local");
  }
  if (existsSync(file)) return moveIntoBucket(runner, stack, file);
  rmSync(path.join(dir, BACKEND_OVERRIDE_FILE), { force: true });
  return reinitIfNot(runner, stack, "s3");
}

/** A directory initialized with the other backend is initialized again (-reconfigure: the state moves by push, never by init). */
async function reinitIfNot(runner: Runner, stack: string, type: "local" | "s3"): Promise<string | undefined> {
  const current = initializedBackend(runner.dir(stack));
  return current === undefined || current === type ? undefined : runner.init(stack, ["-reconfigure"]);
}

/**
 * The local state file pushed into the bucket (the synthesized S3 backend, locked), checked there,
 * then deleted with its backup. Returns why it could not be, or undefined.
 */
export async function moveIntoBucket(runner: Runner, stack: string, file: string): Promise<string | undefined> {
  rmSync(path.join(runner.dir(stack), BACKEND_OVERRIDE_FILE), { force: true });
  runner.localState.delete(stack);
  const initError = initializedBackend(runner.dir(stack)) === "s3" ? undefined : await runner.init(stack, ["-reconfigure"]);
  if (initError) return initError;
  const backend = runner.backend(stack) as S3StackBackend;
  const local = readFileSync(file, "utf8");
  const verdict = reconcile(local, backend.stateText());
  if (typeof verdict === "object") return `${verdict.conflict}: ${file} and ${backend.location}; keep the right one (move the other aside) and re-run`;
  if (verdict === "push") {
    const still = `the state is still in ${file}; re-run to move it`;
    const r = await runner.tf(stack, ["state", "push", "-lock-timeout=0s", file], false);
    if (r.status !== 0) return `terraform state push ${describeEnd(r)}: ${errorLines(r.output)} (${still})`;
    if (reconcile(local, backend.stateText()) !== "discard") return `the state pushed to ${backend.location} is not there (${still})`;
  }
  rmSync(file);
  rmSync(`${file}.backup`, { force: true });
  say(`${stack}: state ${verdict === "push" ? "moved into" : "already in"} ${backend.location}; the local file ${file} is deleted`);
  return undefined;
}

function writeLocalOverride(stackDir: string, file: string): void {
  writeFileSync(path.join(stackDir, BACKEND_OVERRIDE_FILE), `${JSON.stringify({ terraform: { backend: { local: { path: file } } } }, null, 2)}\n`);
}
