/**
 * The mini platform: a small app of raw provider resources that passes every rule, synthesized with
 * at most one deliberate defect, and where each of its elements lands (addresses by role).
 */
import { mkdtempSync, rmSync } from "fs";
import * as os from "os";
import * as path from "path";
import { App, Testing } from "cdktf";
import { readSynthesized, SynthesizedStack } from "../../../guardrails";
import { eksStack, monitoringStack, netStack, stateStack } from "./aws";
import type { Addresses } from "./common";
import type { Defect } from "./defects";
import { appStack } from "./kubernetes";

/** A small platform that passes every rule, except for the one defect given. */
export function miniPlatform(app: App, defect: Defect | undefined): Addresses {
  const is = (d: Defect) => defect === d;
  const state = stateStack(app, is);
  const net = netStack(app);
  const eks = eksStack(app, is, net);
  const k8s = appStack(app, is, net, eks);
  const mon = monitoringStack(app, is);
  return { ...state, ...eks.addresses, ...k8s, ...mon };
}

/** The mini platform synthesized as cdktf synth does (cross-stack references included). */
export function synthMini(defect: Defect | undefined): { stacks: SynthesizedStack[]; at: Addresses } {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "guardrails-mini-"));
  try {
    const app = Testing.app({ outdir });
    const addresses = miniPlatform(app, defect);
    app.synth();
    return { stacks: readSynthesized(outdir), at: addresses };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
