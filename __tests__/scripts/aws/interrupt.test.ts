/**
 * An interrupted verb: INT or TERM reaches the verb's shell, which passes exactly one SIGINT to the
 * engine (scripts/platform-engine.ts; here a stand-in that records the signals it gets) and then reports a
 * failure, never success. With the real engine and Terraform, the e2e interrupts deploy-infra.
 */
import { spawn } from "child_process";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { ROOT, prepareRun } from "../harness";

/**
 * A runner that waits until interrupted, as the engine does while Terraform runs. In node, like
 * the engine: a shell's background job starts with SIGINT ignored, and node (unlike bash) takes
 * the signal back when it listens for it.
 */
const RUNNER = `#!/usr/bin/env node
const fs = require("fs");
process.on("SIGINT", () => {
  fs.appendFileSync(process.env.SIGNALS, "INT\\n");
  fs.writeFileSync(process.env.FACTORY_RESULT_FILE, "attractor-factory-eks: interrupted (SIGINT)");
  process.exit(1);
});
process.on("SIGTERM", () => fs.appendFileSync(process.env.SIGNALS, "TERM\\n"));
fs.writeFileSync(process.env.STARTED, "");
setTimeout(() => process.exit(0), 20000);
`;

async function interrupt(signal: NodeJS.Signals) {
  const { dir, env } = prepareRun();
  const runner = path.join(dir, "runner");
  writeFileSync(runner, RUNNER);
  chmodSync(runner, 0o755);
  const started = path.join(dir, "started");
  const signals = path.join(dir, "signals");
  const child = spawn(path.join(ROOT, "scripts", "aws", "deploy-infra.sh"), ["--yes"], {
    cwd: ROOT,
    env: { ...env, FACTORY_ENGINE_RUNNER: runner, STARTED: started, SIGNALS: signals },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const deadline = Date.now() + 20_000;
  while (!existsSync(started) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  child.kill(signal);
  const status = await exited;
  return { status, stderr, received: existsSync(signals) ? readFileSync(signals, "utf8").trim().split("\n") : [] };
}

test.each(["SIGINT", "SIGTERM"] as const)(
  "%s to the verb: the engine gets exactly one SIGINT, and the verb exits 1 with a last line naming the failure",
  async (signal) => {
    const r = await interrupt(signal);
    expect(r.received).toEqual(["INT"]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n").pop()).toMatch(
      /^deploy-infra: FAILED at step "apply attractor-factory-state, then .*" after \d\d:\d\d \(exit 1\): attractor-factory-eks: interrupted \(SIGINT\)$/,
    );
    expect(r.stderr).not.toContain("deploy-infra: done");
  },
  30_000,
);
