/**
 * The engine (scripts/engine/) bound to this platform: the entry the verbs run
 * (scripts/aws/lib/engine.sh). Everything the engine needs to know of the attractor factory is
 * here: its settings (config/), the files its synthesized output depends on, the verb that deploys
 * each stack, the check made before an apply (the EKS add-on pins AWS offers), and the cost
 * estimate beside each plan.
 *
 *   node --require ./scripts/ts-register.js scripts/platform-engine.ts apply|plan|destroy|unlock ...
 */
import { ConfigError, loadConfig } from "../config";
import { DEPLOYED_BY } from "../lib/stack-names";
import { VERSIONS } from "../versions";
import { runEngine } from "./engine/cli";
import { UsageError } from "./engine/args";
import { EnginePlatform, SynthInputs } from "./engine/platform";
import { say } from "./engine/schedule";
import { Runner } from "./engine/stack-runner";
import { addonPins, clusterSupportType, standardSupportWarning, unofferedPins } from "./lib/addon-versions";
import { changesPricedResource, costNote, synthesizedFacts } from "./lib/plan-cost";

/** What the synthesized output is made of: the app's sources and data, what npm installed (its hidden lock file), and its settings. */
export const SYNTH_INPUTS: SynthInputs = {
  files: [
    "main.ts",
    "config",
    "lib",
    "versions.ts",
    "versions.yaml",
    "factory-images.ts",
    "node-capacity.ts",
    "node-capacity.yaml",
    "alarms.yaml",
    "cdktf.json",
    "package-lock.json",
    "node_modules/.package-lock.json",
    "scripts/ts-register.js",
    "stacks",
    "constructs",
    "helm-values",
  ],
  settingsPrefix: "FACTORY_",
};

/** Every EKS add-on version the stacks pin is one AWS offers for their Kubernetes version (before any change). */
export async function requireOfferedAddons(runner: Runner, stacks: string[]): Promise<void> {
  const pins = stacks.flatMap((s) => addonPins(s, runner.dir(s)));
  if (pins.length === 0) return;
  const problems = await unofferedPins(runner.aws, pins);
  if (problems.length) {
    for (const line of problems.slice(1)) process.stderr.write(`stacks: error: ${line}\n`);
    throw new UsageError(problems[0]);
  }
  say(`EKS add-on versions offered by AWS for Kubernetes ${pins[0].kubernetesVersion}: ${pins.map((p) => `${p.name} ${p.version}`).join(", ")}`);
  const warning = standardSupportWarning(
    pins[0].kubernetesVersion,
    clusterSupportType(runner.dir(pins[0].stack)),
    VERSIONS.kubernetes.standardSupportEnds,
    new Date(),
  );
  if (warning) say(`warning: ${warning}`);
}

export const FACTORY_PLATFORM: EnginePlatform = {
  settings: (env) => loadConfig(env),
  isSettingsError: (e) => e instanceof ConfigError,
  deployedBy: DEPLOYED_BY,
  stateSettings: "FACTORY_REGION and FACTORY_STATE_BUCKET",
  synthInputs: SYNTH_INPUTS,
  beforeApply: requireOfferedAddons,
  planNote: {
    wantsValues: changesPricedResource,
    text: (stack, plan, outdir, manifest) => costNote(stack, plan, () => synthesizedFacts(outdir, manifest)),
  },
};

if (require.main === module) runEngine(FACTORY_PLATFORM);
