/**
 * npm run capacity: does the platform fit FACTORY_NODE_MAX nodes at full scale? Synthesizes the
 * app and add-ons stacks with the current settings and prints each pod's requests at their most
 * (scripts/lib/capacity.ts) against the node groups' allocatable CPU and memory (and one zone's alone). Exit 0: fits;
 * 1: does not fit (the last line says by how much and what to change); 2: bad settings.
 */
import { mkdtempSync, readFileSync, rmSync } from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { ConfigError, FactoryConfig, loadConfig, ZONE_COUNT } from "../config";
import { buildPlatform } from "../stacks/platform";
import { CapacityReport, capacityReport, formatCapacity } from "./lib/capacity";

/** The capacity report of the platform synthesized with `config` (in a directory removed after). */
export function synthCapacityReport(config: FactoryConfig): CapacityReport {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "factory-capacity-"));
  try {
    const app = new App({ outdir });
    const platform = buildPlatform(app, config);
    app.synth();
    const read = (id: string) => JSON.parse(readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
    return capacityReport(read(platform.app.node.id), read(platform.addons.node.id), config.nodeGroup, ZONE_COUNT);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function main(): number {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`capacity: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const report = synthCapacityReport(config);
  console.log(formatCapacity(report));
  return report.fits ? 0 : 1;
}

if (require.main === module) process.exit(main());
