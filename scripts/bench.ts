/**
 * Benchmark: runs the whole app (with cdktf.json's "app" command, as `cdktf synth` does) and a
 * one-resource app that imports @cdktf/provider-aws from its package root, run the same way,
 * alternately, N times each, and prints the median wall time and peak memory of each and their
 * ratio. Both are measured in the same run on the same machine, so the ratio holds where absolute
 * seconds do not.
 *
 *   npm run bench [-- --runs 5]
 *   npm run bench -- --unit [--unit-runs 1]
 * Goal: the whole app at <= 0.25x the baseline's time, peak memory <= 300 MB.
 * With --unit it also runs the unit suite (`npm run test:unit`: tsc and jest) after one warm-up
 * run (jest's transform cache and tsc's build info warm, as in the loop while developing), and
 * prints its wall time and peak memory (the largest of its processes) as ratios to the same
 * baseline. Goal: <= 30x the baseline's time (60 s here), peak <= 1,200 MiB.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT, appCommand } from "./engine/app-command";

const root = PROJECT_ROOT;
const preload = path.join(__dirname, "bench", "report-rss.js");

interface Sample {
  seconds: number;
  peakMiB: number;
}

/**
 * The unit suite's time goal, as a multiple of the baseline's synth time: 60 s over the baseline's
 * 1.97 s, measured here on 2 cores (`npm run bench -- --runs 3 --unit`, 2026-12-06).
 */
const UNIT_TIME_GOAL = 30;
const UNIT_PEAK_GOAL_MIB = 1200;

function runOnce(entry: string, work: string): Sample {
  const app = appCommand(entry);
  return measure(app.command, app.args, work, entry);
}

/** Runs one command with the peak-memory preload in every node process; its wall time and largest peak. */
function measure(command: string, args: string[], work: string, name: string): Sample {
  const rssFile = path.join(work, "rss.txt");
  writeFileSync(rssFile, "");
  const outdir = path.join(work, "out");
  rmSync(outdir, { recursive: true, force: true });
  const start = process.hrtime.bigint();
  const run = spawnSync(command, args, {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CDKTF_OUTDIR: outdir,
      FACTORY_BENCH_RSS_FILE: rssFile,
      NODE_OPTIONS: `--require ${preload}`,
    },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`${name} failed (exit ${run.status}): ${run.stderr.trim().split("\n").slice(-20).join("\n")}`);
  // Every node process of the run reports its peak (a runner may start a child); take the largest.
  const peakKiB = Math.max(...readFileSync(rssFile, "utf8").trim().split("\n").map(Number));
  return { seconds, peakMiB: peakKiB / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function countOption(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a whole number >= 1`);
  return value;
}

function main(): void {
  const runs = countOption("--runs", 5);
  const unitRuns = process.argv.includes("--unit") ? countOption("--unit-runs", 1) : 0;
  const work = mkdtempSync(path.join(os.tmpdir(), "factory-bench-"));
  const entries = { platform: "main.ts", baseline: path.join("scripts", "bench", "root-import-baseline.ts") };
  const samples: Record<keyof typeof entries, Sample[]> = { platform: [], baseline: [] };

  runOnce(entries.platform, work); // warm the file cache, not counted
  runOnce(entries.baseline, work);
  for (let i = 0; i < runs; i++) {
    // Alternate, so a slow moment of the machine hits both alike.
    samples.platform.push(runOnce(entries.platform, work));
    samples.baseline.push(runOnce(entries.baseline, work));
    process.stderr.write(`run ${i + 1}/${runs} done\n`);
  }
  const unit: Sample[] = [];
  if (unitRuns > 0) {
    const npm = { command: "npm", args: ["run", "-s", "test:unit"] };
    measure(npm.command, npm.args, work, "npm run test:unit"); // warm-up, not counted
    for (let i = 0; i < unitRuns; i++) {
      unit.push(measure(npm.command, npm.args, work, "npm run test:unit"));
      process.stderr.write(`unit run ${i + 1}/${unitRuns} done\n`);
    }
  }
  rmSync(work, { recursive: true, force: true });

  const summary = Object.fromEntries(
    Object.entries(samples).map(([k, s]) => [k, { seconds: median(s.map((x) => x.seconds)), peakMiB: median(s.map((x) => x.peakMiB)) }]),
  ) as Record<keyof typeof entries, Sample>;
  const timeRatio = summary.platform.seconds / summary.baseline.seconds;
  const memRatio = summary.platform.peakMiB / summary.baseline.peakMiB;
  const row = (name: string, s: Sample) => `${name.padEnd(46)} ${s.seconds.toFixed(2).padStart(8)} s ${s.peakMiB.toFixed(0).padStart(8)} MiB`;
  console.log(`synth benchmark, median of ${runs} runs each (${os.cpus().length} cores)`);
  console.log(row("whole platform (every stack, lib/<resource>)", summary.platform));
  console.log(row("baseline (1 resource, provider package root)", summary.baseline));
  console.log(
    `ratio platform/baseline: time ${timeRatio.toFixed(3)}x (goal <= 0.25), memory ${memRatio.toFixed(3)}x; platform peak ${summary.platform.peakMiB.toFixed(0)} MiB (goal <= 300)`,
  );
  let ok = timeRatio <= 0.25 && summary.platform.peakMiB <= 300;
  if (unit.length > 0) {
    const u = { seconds: median(unit.map((x) => x.seconds)), peakMiB: median(unit.map((x) => x.peakMiB)) };
    const unitTime = u.seconds / summary.baseline.seconds;
    const unitMem = u.peakMiB / summary.baseline.peakMiB;
    console.log(row(`unit suite (tsc + jest), median of ${unit.length}`, u));
    console.log(
      `ratio unit/baseline: time ${unitTime.toFixed(2)}x (goal <= ${UNIT_TIME_GOAL}), memory ${unitMem.toFixed(2)}x; unit peak ${u.peakMiB.toFixed(0)} MiB (goal <= ${UNIT_PEAK_GOAL_MIB})`,
    );
    ok = ok && unitTime <= UNIT_TIME_GOAL && u.peakMiB <= UNIT_PEAK_GOAL_MIB;
  }
  console.log(ok ? "goals met" : "GOALS NOT MET");
  process.exitCode = ok ? 0 : 1;
}

main();
