/** The app's runner (cdktf.json "app": node --require ./scripts/ts-register.js main.ts). */
import { spawnSync } from "child_process";
import { mkdtempSync, statSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT, appCommand } from "../../scripts/engine/app-command";

const nodeWithRegister = (code: string) => spawnSync("node", ["--require", "./scripts/ts-register.js", "-e", code], { cwd: PROJECT_ROOT, encoding: "utf8" });

test("cdktf.json runs the app with node and the project's TypeScript register", () => {
  expect(appCommand()).toEqual({ command: "node", args: ["--require", "./scripts/ts-register.js", "main.ts"] });
});

test("TypeScript modules load through it", () => {
  const run = nodeWithRegister('console.log(require("./config/index.ts").loadConfig({}).clusterName)');
  expect(run.stderr).toBe("");
  expect(run.stdout.trim()).toBe("attractor-factory-eks");
});

test("cdktf's asset zipping still works behind the lazy archiver stand-in", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "factory-archive-"));
  writeFileSync(path.join(dir, "file.txt"), "asset");
  const zip = path.join(dir, "asset.zip");
  const run = nodeWithRegister(`require("cdktf/lib/private/fs").archiveSync(${JSON.stringify(dir)}, ${JSON.stringify(zip)})`);
  expect(run.stderr).toBe("");
  expect(statSync(zip).size).toBeGreaterThan(0);
});
