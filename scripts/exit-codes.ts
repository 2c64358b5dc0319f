/**
 * The one table of exit codes: what each code means from the engine (scripts/engine/cli.ts) and
 * from the operator verbs (scripts/aws/*.sh). Two columns for the verbs because 2 means "stopped
 * before any change" to a verb that changes things and "found something" to a verb that only
 * looks: the engine's plan says "drifted" with 3 and never exits 2 (its usage errors are 1), and
 * drift, diff and status turn the 3 into their 2, their usage errors into 1 (plan_verb_exit,
 * scripts/aws/lib/engine.sh).
 */
import { EXIT_DRIFTED, EXIT_FAILED, EXIT_USAGE } from "./engine/args";

export interface ExitCode {
  readonly code: number;
  /** Its meaning from scripts/engine/cli.ts (apply, destroy, unlock; plan where it differs). */
  readonly engine: string;
  /** Its meaning from the verbs that change or test the platform (deploy-*, publish-dns, build-push, destroy-all, unlock, restore-data-store, smoke-checks). */
  readonly verbs: string;
  /** Its meaning from the verbs that only look (drift, diff, status). */
  readonly lookingVerbs: string;
}

export const EXIT_CODES: readonly ExitCode[] = [
  {
    code: 0,
    engine: "done (plan: every deployed stack in sync)",
    verbs: "done",
    lookingVerbs: "in sync (drift, diff); healthy (status)",
  },
  {
    code: EXIT_FAILED,
    engine: "a stack failed or the run was interrupted (plan: anything but in sync or drifted, bad usage included)",
    verbs: "failed or interrupted: the last line names the step and why; re-run the verb to resume (smoke-checks: a check failed)",
    lookingVerbs: "could not tell: an error, bad usage or a missing prerequisite",
  },
  {
    code: EXIT_USAGE,
    engine: "bad usage, a missing prerequisite or the destructive-plan guard: nothing changed",
    verbs:
      "stopped before any change: a bad setting, a missing prerequisite or the guard (deploy-all: only until a phase after infra has started; later stops are 1)",
    lookingVerbs: "drifted (drift, diff); unhealthy: an alarm in ALARM, a backup overdue (status)",
  },
  {
    code: EXIT_DRIFTED,
    engine: "plan: a deployed stack differs from the code",
    verbs: "never",
    lookingVerbs: "never (the engine's 3 is their 2)",
  },
];
