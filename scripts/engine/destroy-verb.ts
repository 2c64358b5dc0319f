/**
 * The engine's destroy verb (scripts/engine/cli.ts destroy): stacks in reverse dependency order, side
 * by side where nothing orders them; a stack with no state is skipped without init (its providers
 * are never installed); after a verified destroy its state object is deleted, so that "no state"
 * means "not deployed".
 */
import { Outcome, say, schedule, topological } from "./schedule";
import { S3StackBackend } from "./stack-backend";
import { lockText, needsInit, PARALLEL, Runner, seconds } from "./stack-runner";
import { countDeclaredResources } from "./synthesized-stack";

/** One stack: destroyed, verified empty, its state object deleted. */
export async function destroyStack(runner: Runner, stack: string): Promise<Outcome> {
  const t0 = Date.now();
  const backend = runner.backend(stack);
  const fail = (text: string): Outcome => ({ stack, ok: false, text });
  const count = backend.countStateResources();
  if (count === undefined) return { stack, ok: true, text: "not deployed (no state): skipped" };
  runner.dropBackendOverride(stack);
  const lock = runner.mayExist(backend.lockLocation) ? backend.lock() : undefined;
  if (lock) return fail(lockText(stack, backend, lock));
  if (count === 0) {
    backend.deleteState();
    if (backend instanceof S3StackBackend && runner.mayExist(backend.markerLocation)) backend.clearMarker();
    return { stack, ok: true, text: "state recorded no resources: state object removed" };
  }
  if (!runner.isInitialized(stack)) {
    const initError = await runner.init(stack);
    if (initError) return fail(initError);
  }
  say(`${stack}: terraform destroy (${count} resources in state)`);
  const args = ["destroy", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=0s"];
  if (runner.opts.noRefresh.has(stack)) args.push("-refresh=false");
  let r = await runner.tf(stack, args);
  if (needsInit(r)) {
    const initError = await runner.init(stack);
    if (initError) return fail(initError);
    r = await runner.tf(stack, args);
  }
  const problem = runner.verify(stack, backend, r, "empty");
  if (problem) return fail(problem);
  backend.deleteState();
  if (backend instanceof S3StackBackend && runner.mayExist(backend.markerLocation)) backend.clearMarker();
  if (backend.countStateResources() !== undefined) return fail(`the state object ${backend.location} is still there after it was deleted`);
  return { stack, ok: true, changed: true, text: `destroyed (${count} resources) in ${seconds(t0)}` };
}

/** The named stacks (runner.opts.stacks), each after the stacks that read it; `keys`: the state bucket's listing. */
export function destroyVerb(runner: Runner, keys: ReadonlySet<string> | undefined): Promise<Outcome[]> {
  const { opts, manifest } = runner;
  // A stack without a state object has nothing to destroy and holds nobody back (one listing).
  const withState = runner.stacksWithState(opts.stacks, keys);
  const dependents = (s: string) => opts.stacks.filter((d) => withState.has(d) && manifest.stacks[d].dependencies.includes(s));
  const order = topological(opts.stacks, dependents);
  // Side by side: destroy asks nothing (destroy-all confirmed it).
  return schedule(
    order,
    dependents,
    PARALLEL,
    (s) => (withState.has(s) ? destroyStack(runner, s) : Promise.resolve({ stack: s, ok: true, text: "not deployed (no state): skipped" })),
    (s) => (withState.has(s) ? countDeclaredResources(runner.dir(s)) : 0),
  );
}
