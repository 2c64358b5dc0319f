/** The app as cdktf runs it (cdktf.json "app"), with no settings. */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { appCommand } from "../scripts/engine/app-command";

const root = path.join(__dirname, "..");
const app = appCommand();

function runApp(env: Record<string, string>) {
  const outdir = path.join(mkdtempSync(path.join(os.tmpdir(), "factory-cli-")), "cdktf.out");
  // Only PATH and HOME from the outer environment: FACTORY_* set by a developer must not leak in.
  const result = spawnSync(app.command, app.args, {
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

// Bad settings: the table in __tests__/config/bad-inputs.test.ts runs the app the same way.
