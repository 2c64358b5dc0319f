/**
 * What the engine needs to know of the platform it deploys, handed in by the platform's entry
 * (scripts/platform-engine.ts). The engine itself knows Terraform, S3 state and the AWS resource
 * types it adopts or protects; it knows nothing of this platform's settings, stacks or pins. Its
 * own interface it names itself: its verbs as an operator runs them (`npm run unlock`) and the
 * variables a verb hands it (FACTORY_RESULT_FILE, FACTORY_OUTCOME_FILE, FACTORY_ELAPSED_BASE,
 * FACTORY_DEBUG).
 */
import type { Plan } from "./adopt";
import type { Runner } from "./stack-runner";
import type { Manifest } from "./synth";

/** Where the stacks' state lives and how the stacks are named, from the platform's settings. */
export interface EngineSettings {
  readonly region: string;
  /** The AWS profile; undefined: the default credential chain. */
  readonly awsProfile?: string;
  readonly stateBucket: string;
  /** Every stack's name is `<stackPrefix>-<short name>`. */
  readonly stackPrefix: string;
}

/** What the synthesized output depends on besides the app command: the synth is skipped when none changed. */
export interface SynthInputs {
  /** Files and folders, relative to the project root, whose contents the output depends on. */
  readonly files: readonly string[];
  /** Environment variables with this prefix are settings (each changes the key). */
  readonly settingsPrefix: string;
}

/** A note beside a plan's summary (the platform's: its cost estimate). */
export interface PlanNote {
  /** Whether the note needs the plan's values (then a streamed plan is shown in full first). */
  readonly wantsValues: (plan: Plan) => boolean;
  /** The note, "" for none; never throws. */
  readonly text: (stack: string, plan: Plan, outdir: string, manifest: Manifest) => string;
}

export const NO_PLAN_NOTE: PlanNote = { wantsValues: () => false, text: () => "" };

export interface EnginePlatform {
  /** The settings from the environment; throws an error `isSettingsError` knows on bad ones. */
  readonly settings: (env: NodeJS.ProcessEnv) => EngineSettings;
  /** A bad setting: printed as `error: <message>`, exit 2 (plan: 1), like bad usage. */
  readonly isSettingsError: (e: unknown) => boolean;
  /**
   * The verb that deploys each stack, by short name (named when a stack read is not deployed, and
   * the state bucket's stack's when the bucket is missing); a note in parentheses is dropped there.
   */
  readonly deployedBy: Readonly<Record<string, string>>;
  /** The settings that say where the state is ("FACTORY_REGION and FACTORY_STATE_BUCKET"), named when the bucket is not found. */
  readonly stateSettings: string;
  readonly synthInputs: SynthInputs;
  /** Checks made before any change of an apply, beside the bucket's check (may call AWS). */
  readonly beforeApply: (runner: Runner, stacks: string[]) => Promise<void>;
  readonly planNote: PlanNote;
}
