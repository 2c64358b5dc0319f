/**
 * The command line of the verbs' engine (scripts/engine/cli.ts): its verbs and options, and its exit
 * codes, which run_plan and plan_verb_exit (scripts/aws/lib/engine.sh) turn into the operator
 * verbs' own.
 */
import * as path from "path";
import { PROJECT_ROOT } from "./app-command";

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** plan: some deployed stack differs from the code (the verbs turn it into their exit 2). */
export const EXIT_DRIFTED = 3;

/** Bad usage or a missing prerequisite: reported as one line, exit 2, before anything changed. */
export class UsageError extends Error {}

export type Verb = "apply" | "plan" | "destroy" | "unlock";
const VERBS: readonly Verb[] = ["apply", "plan", "destroy", "unlock"];

export interface Options {
  verb: Verb;
  stacks: string[];
  yes: boolean;
  adopt: boolean;
  force: boolean;
  show: boolean;
  outdir: string;
  noRefresh: Set<string>;
  allowReplace: Set<string>;
}

export function parseArgs(argv: string[]): Options {
  const [first, ...rest] = argv;
  const verb = VERBS.find((v) => v === first);
  if (!verb) throw new UsageError(`unknown verb ${JSON.stringify(first ?? "")} (${VERBS.join(", ")})`);
  const o: Options = {
    verb,
    stacks: [],
    yes: false,
    adopt: false,
    force: false,
    show: false,
    outdir: path.join(PROJECT_ROOT, "cdktf.out"),
    noRefresh: new Set(),
    allowReplace: new Set(),
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--yes" || a === "-y") o.yes = true;
    else if (a === "--adopt") o.adopt = true;
    else if (a === "--force") o.force = true;
    else if (a === "--show") o.show = true;
    else if (a === "--allow-replace") o.allowReplace.add(rest[++i] ?? "");
    else if (a === "--outdir") o.outdir = path.resolve(rest[++i] ?? "");
    else if (a === "--no-refresh") o.noRefresh.add(rest[++i] ?? "");
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else o.stacks.push(a);
  }
  if (o.stacks.length === 0) throw new UsageError("name at least one stack");
  if (verb === "unlock" && o.stacks.length !== 1) throw new UsageError("unlock takes one stack");
  return o;
}
