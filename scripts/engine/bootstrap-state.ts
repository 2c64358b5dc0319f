/**
 * The bootstrap stack's state: the stack that creates the state bucket keeps its state in that
 * bucket too, under its own key, encrypted and locked like every other stack's, so that no
 * checkout holds a file the others lack.
 *
 * Terraform cannot keep the state of the bucket's creation in the bucket, so on a new account the
 * engine writes a backend override file into the stack's synthesized directory (a local state
 * file beside the output directory) and applies with it; once the apply is verified, the state is
 * pushed into the bucket and the file deleted. A file an interrupted bootstrap left, or one an
 * earlier release kept there for good, is moved the same way the next time an apply verb runs (and
 * what an interrupted bootstrap created but did not record is adopted: its marker file says so).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import { say } from "./schedule";
import { BACKEND_OVERRIDE_FILE, LocalStackBackend, S3StackBackend } from "./stack-backend";
import { errorLines, Runner } from "./stack-runner";
import { describeEnd } from "./terraform-process";

/** The local state file of the bootstrap stack: beside the output directory (the project root by default), where earlier releases kept it. */
export function localStateFile(outdir: string, stack: string): string {
  return path.join(path.dirname(outdir), `terraform.${stack}.tfstate`);
}

/** What a state records, as it can be compared whoever wrote it: each resource instance's address and id, sorted. */
function recorded(stateText: string): string {
  type Instance = { index_key?: string | number; attributes?: { id?: unknown } };
  const state = JSON.parse(stateText) as { resources?: { mode?: string; module?: string; type: string; name: string; instances?: Instance[] }[] };
  return JSON.stringify(
    (state.resources ?? [])
      .filter((r) => r.mode !== "data")
      .flatMap((r) =>
        (r.instances ?? []).map((i) => `${r.module ?? ""}${r.type}.${r.name}[${JSON.stringify(i.index_key ?? null)}]=${String(i.attributes?.id)}`),
      )
      .sort(),
  );
}

/**
 * What becomes of a local state file when the bucket may already hold the stack's state: "push" it
 * (the bucket holds none), "discard" it (the bucket records the same resources, by address and id:
 * an earlier move was cut off before the file was deleted), or a conflict to resolve by hand.
 * Lineage and serial are not compared: Terraform gives a state pushed into an empty backend new ones.
 */
export function reconcile(local: string, inBucket: string | undefined): "push" | "discard" | { conflict: string } {
  if (inBucket === undefined) return "push";
  if (recorded(local) === recorded(inBucket)) return "discard";
  return { conflict: "both the local state file and the bucket hold state for this stack, and they record different resources" };
}

/**
 * Before the bootstrap stack is planned by an apply verb: with no bucket yet, the local state file
 * (runner.backend() returns it from now on); with the bucket, a local file is moved into it first.
 * Returns why the stack cannot go on, and whether an apply of it was cut off (its objects are then
 * adopted).
 */
export async function chooseBootstrapBackend(runner: Runner, stack: string): Promise<{ problem?: string; cutOff: boolean }> {
  const dir = runner.dir(stack);
  const file = localStateFile(runner.opts.outdir, stack);
  const local = new LocalStackBackend(file);
  const cutOff = local.marker();
  if (cutOff) say(`${stack}: the apply started ${cutOff.started} by ${cutOff.who} did not finish: objects it created but did not record are adopted`);
  const bucketExists = runner.listed === undefined ? runner.bucketExists() : runner.listed !== null;
  if (!bucketExists) {
    writeLocalOverride(dir, file);
    runner.localState.set(stack, file);
    say(`${stack}: the state bucket does not exist yet: applied with the local state file ${file}, which moves into the bucket once it exists`);
    return { cutOff: cutOff !== undefined };
  }
  rmSync(path.join(dir, BACKEND_OVERRIDE_FILE), { force: true });
  const problem = existsSync(file) ? await moveIntoBucket(runner, stack, file) : undefined;
  return { problem, cutOff: cutOff !== undefined };
}

/**
 * The local state file pushed into the bucket (the synthesized S3 backend, locked), checked there,
 * then deleted with its backup. Returns why it could not be, or undefined.
 */
export async function moveIntoBucket(runner: Runner, stack: string, file: string): Promise<string | undefined> {
  rmSync(path.join(runner.dir(stack), BACKEND_OVERRIDE_FILE), { force: true });
  runner.localState.delete(stack);
  if (!runner.isInitialized(stack)) {
    const initError = await runner.init(stack);
    if (initError) return initError;
  }
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
