/**
 * The picture of the stacks and their dependencies (README's "stacks-diagram" block, written by
 * scripts/docs.ts), generated from the synthesized manifest.json (`stacks.<name>.dependencies`).
 *
 *   tsx scripts/diagram.ts                      # print the Mermaid block (default settings)
 *   tsx scripts/diagram.ts --manifest FILE      # from an existing manifest (e.g. cdktf.out/manifest.json)
 *
 * The synthesis uses the default settings (FACTORY_* of the environment are ignored), so README
 * shows the spec's stack names whoever runs it.
 */
import { App } from "cdktf";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import * as os from "os";
import * as path from "path";
import { loadConfig } from "../config";
import { DEPLOYED_BY } from "../lib/stack-names";
import { buildPlatform } from "../stacks/platform";

export interface Manifest {
  readonly stacks: Readonly<Record<string, { readonly name: string; readonly dependencies?: readonly string[] }>>;
}

/** Synthesizes the platform with the default settings into a temporary directory. */
export function synthManifest(): Manifest {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "stacks-diagram-"));
  try {
    // A placeholder image tag: the app stack wants one; it does not change the graph.
    const config = loadConfig({ FACTORY_IMAGE_TAG: "diagram" });
    const app = new App({ outdir, skipValidation: true });
    buildPlatform(app, config);
    app.synth();
    return JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Manifest;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * A Mermaid flowchart: one node per stack, an arrow from each dependency to the stacks that need
 * it (the arrows read "is deployed before"). Stacks are listed in a deploy order (dependencies
 * first; ties by name), so the output is stable.
 */
export function renderDiagram(manifest: Manifest): string {
  const names = deployOrder(manifest);
  const prefix = commonPrefix(names);
  const id = (name: string) => name.slice(prefix.length).replace(/[^A-Za-z0-9_]/g, "_") || "stack";
  const lines = ["```mermaid", "flowchart TD"];
  for (const name of names) {
    const verb = DEPLOYED_BY[name.slice(prefix.length)];
    lines.push(`  ${id(name)}["${name}${verb ? `<br/><small>${verb}</small>` : ""}"]`);
  }
  for (const name of names) {
    const deps = [...dependenciesOf(manifest, name)];
    deps.sort((a, b) => names.indexOf(a) - names.indexOf(b));
    for (const dep of deps) lines.push(`  ${id(dep)} --> ${id(name)}`);
  }
  lines.push("```");
  return lines.join("\n");
}

function dependenciesOf(manifest: Manifest, name: string): readonly string[] {
  return Object.values(manifest.stacks).find((s) => s.name === name)?.dependencies ?? [];
}

/** The stacks, each after its dependencies; among stacks ready at the same time, by name. */
export function deployOrder(manifest: Manifest): string[] {
  const pending = Object.values(manifest.stacks)
    .map((s) => s.name)
    .sort();
  const done: string[] = [];
  while (pending.length > 0) {
    const next = pending.find((n) => dependenciesOf(manifest, n).every((d) => done.includes(d) || !pending.includes(d)));
    if (next === undefined) throw new Error(`dependency cycle among stacks: ${pending.join(", ")}`);
    done.push(next);
    pending.splice(pending.indexOf(next), 1);
  }
  return done;
}

/** "attractor-factory-" for ["attractor-factory-state", "attractor-factory-network", ...]. */
function commonPrefix(names: readonly string[]): string {
  if (names.length < 2) return "";
  let prefix = names[0];
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.slice(0, prefix.lastIndexOf("-") + 1);
}

function main(argv: string[]): number {
  const at = argv.indexOf("--manifest");
  const manifest = at >= 0 ? (JSON.parse(readFileSync(argv[at + 1], "utf8")) as Manifest) : synthManifest();
  process.stdout.write(renderDiagram(manifest) + "\n");
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
