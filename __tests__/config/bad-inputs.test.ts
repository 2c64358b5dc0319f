/**
 * Reliability of configuration: every row of BAD_INPUTS, run as the real app process (what
 * `cdktf synth` runs: cdktf.json "app"), stops with exit code != 0, exactly one stderr line
 * `error: FACTORY_X="value" is invalid: <what is allowed>`, no stack trace, nothing on stdout and
 * nothing written to CDKTF_OUTDIR.
 */
import { spawn } from "child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "fs";
import * as os from "os";
import * as path from "path";
import { appCommand } from "../../scripts/engine/app-command";
import { settingDocs } from "../../config";
import { BAD_INPUTS, BadInput, badInputEnv, expectedError } from "../../config/bad-inputs";

const root = path.join(__dirname, "..", "..");
const app = appCommand();
/** Processes at a time: each is ~2 s of CPU (loading cdktf and the providers). */
const CONCURRENCY = 3;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** What the app wrote into CDKTF_OUTDIR. */
  readonly written: string[];
}

function runApp(env: Record<string, string>): Promise<Run> {
  const work = mkdtempSync(path.join(os.tmpdir(), "factory-bad-input-"));
  const outdir = path.join(work, "cdktf.out");
  return new Promise((resolve, reject) => {
    // Only PATH and HOME from the outer environment: a developer's FACTORY_* must not leak in.
    const child = spawn(app.command, app.args, { cwd: root, env: { PATH: process.env.PATH!, HOME: process.env.HOME!, CDKTF_OUTDIR: outdir, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => {
      const written = existsSync(outdir) ? readdirSync(outdir) : [];
      rmSync(work, { recursive: true, force: true });
      resolve({ status, stdout, stderr, written });
    });
  });
}

const runs = new Map<BadInput, Run>();

beforeAll(async () => {
  const queue = [...BAD_INPUTS];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) runs.set(row, await runApp(badInputEnv(row)));
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}, 120_000);

test("the table has at least 20 rows and covers every setting of config/index.ts", () => {
  expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(20);
  const covered = new Set(BAD_INPUTS.map((r) => r.variable));
  expect(
    settingDocs()
      .map((d) => d.variable)
      .filter((v) => !covered.has(v)),
  ).toEqual([]);
});

test("the table has the classic mistakes: empty, blank, padded, out of range, overlapping, too small, outside the zone, a bad list entry", () => {
  const has = (p: (r: BadInput) => boolean) => BAD_INPUTS.some(p);
  expect(has((r) => r.value === "")).toBe(true);
  expect(has((r) => r.value !== "" && r.value.trim() === "")).toBe(true);
  expect(has((r) => r.value.trim() !== "" && r.value !== r.value.trim())).toBe(true);
  expect(has((r) => /^\d+$/.test(r.value) && expectedError(r).includes("a whole number from"))).toBe(true);
  expect(has((r) => expectedError(r).includes("must not overlap"))).toBe(true);
  expect(has((r) => r.variable === "FACTORY_VPC_CIDR" && expectedError(r).includes("/24 is the smallest"))).toBe(true);
  expect(has((r) => r.variable === "FACTORY_HOSTED_ZONE" && expectedError(r).includes("must contain the hostname"))).toBe(true);
  expect(has((r) => r.variable === "FACTORY_NODE_INSTANCE_TYPES" && r.value.includes(",") && expectedError(r).includes("is not allowed"))).toBe(true);
});

describe.each(BAD_INPUTS.map((r) => [`${r.variable}=${JSON.stringify(r.value)} (${r.what})`, r] as const))("%s", (_name, row) => {
  const run = () => runs.get(row)!;

  test("exits with code 1 (not 0, not killed by a signal)", () => {
    expect(run().status).toBe(1);
  });

  test("prints exactly one stderr line naming the setting, the value and what is allowed (config/index.ts's message)", () => {
    const lines = run().stderr.replace(/\n$/, "").split("\n");
    expect(lines).toEqual([expectedError(row)]);
    // One setting: "<VAR>="<value>" is invalid: ..."; settings invalid together name each of them.
    expect(lines[0]).toMatch(/^error: FACTORY_\w+=".*(is invalid|are invalid together): .+/);
    expect(lines[0]).toContain(`${row.variable}=${JSON.stringify(row.value)}`);
  });

  test("no stack trace, nothing on stdout, nothing written", () => {
    expect(run().stderr).not.toMatch(/^\s+at /m);
    expect(run().stdout).toBe("");
    expect(run().written).toEqual([]);
  });
});
