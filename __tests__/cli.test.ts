/**
 * The app as cdktf runs it (`npx tsx main.ts`, cdktf.json "app"): bad settings stop it with one
 * line on stderr and a non-zero exit, and nothing is written.
 */
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "fs";
import * as os from "os";
import * as path from "path";

const root = path.join(__dirname, "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

function runApp(env: Record<string, string>) {
  const outdir = path.join(mkdtempSync(path.join(os.tmpdir(), "factory-cli-")), "cdktf.out");
  // Only PATH and HOME from the outer environment: FACTORY_* set by a developer must not leak in.
  const result = spawnSync(tsx, ["main.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, CDKTF_OUTDIR: outdir, ...env },
    encoding: "utf8",
  });
  return { ...result, outdir };
}

test("with no settings, the app synthesizes every stack of the spec", () => {
  const run = runApp({});
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const manifest = JSON.parse(readFileSync(path.join(run.outdir, "manifest.json"), "utf8"));
  expect(Object.keys(manifest.stacks)).toEqual(
    expect.arrayContaining([
      "attractor-factory-state",
      "attractor-factory-network",
      "attractor-factory-eks",
      "attractor-factory-ecr",
      "attractor-factory-cert",
      "attractor-factory-dns",
    ]),
  );
});

test.each<[string, Record<string, string>, string]>([
  ["a malformed CIDR", { FACTORY_VPC_CIDR: "10.42.0.0/99" }, "FACTORY_VPC_CIDR"],
  ["min > desired > max", { FACTORY_NODE_MIN: "5", FACTORY_NODE_DESIRED: "4", FACTORY_NODE_MAX: "3" }, "FACTORY_NODE_DESIRED"],
  ["an unknown region", { FACTORY_REGION: "mars-north-1" }, "FACTORY_REGION"],
  ["an empty hostname", { FACTORY_HOSTNAME: "" }, "FACTORY_HOSTNAME"],
])("%s stops synth: exit 1, one stderr line naming the variable, no stack trace, nothing written", (_what, env, variable) => {
  const run = runApp(env);
  expect(run.status).toBe(1);
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^error: ${variable}=".*" is invalid: .+`));
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stdout).toBe("");
  expect(existsSync(run.outdir) ? readdirSync(run.outdir) : []).toEqual([]);
});
