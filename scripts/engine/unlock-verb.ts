/**
 * The engine's unlock verb (scripts/engine/cli.ts unlock, npm run unlock): removes a stack's stale lock
 * object, but only after checking that no Terraform on this machine holds it, and, for a lock
 * taken on another machine, only with --force.
 */
import { existsSync, readdirSync, readlinkSync } from "fs";
import * as os from "os";
import * as path from "path";
import { AwsCli } from "../lib/aws-cli";
import { EXIT_FAILED, Options } from "./args";
import { say } from "./schedule";
import { S3StackBackend } from "./stack-backend";

/** Terraform (CLI) processes on this machine working in a directory of `stack` (any outdir). */
function terraformProcessesFor(stack: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const exe = path.basename(readlinkSync(`/proc/${entry}/exe`));
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      // Terraform itself, not its providers: a provider a killed Terraform left behind can run on
      // for minutes (seen after a SIGKILL mid-apply), and holds no lock.
      if (exe === "terraform" && path.basename(cwd) === stack) pids.push(Number(entry));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return pids;
}

export function unlockVerb(opts: Options, aws: AwsCli, bucket: string): number {
  const stack = opts.stacks[0];
  const backend = new S3StackBackend(aws, bucket, `${stack}/terraform.tfstate`);
  const lock = backend.lock();
  if (!lock) {
    say(`${stack}: no lock at ${backend.lockLocation}: nothing to do`);
    return 0;
  }
  say(`${stack}: lock ${lock.ID}: ${lock.Operation ?? "?"} by ${lock.Who ?? "?"} since ${lock.Created ?? "?"}`);
  const host = (lock.Who ?? "").split("@").pop();
  if (existsSync("/proc/self/cwd")) {
    const pids = terraformProcessesFor(stack);
    if (pids.length) {
      process.stderr.write(
        `unlock: error: Terraform is still running for ${stack} (pid ${pids.join(", ")}): wait for it, or stop it with kill -INT ${pids[0]}\n`,
      );
      return EXIT_FAILED;
    }
  }
  if (host !== os.hostname() && !opts.force) {
    process.stderr.write(
      `unlock: error: the lock was taken on another machine (${lock.Who}); make sure no Terraform runs there for ${stack}, then: npm run unlock -- ${stack} --force\n`,
    );
    return EXIT_FAILED;
  }
  backend.removeLock(lock.ID);
  say(`${stack}: removed lock ${lock.ID}`);
  if (backend.marker()) say(`${stack}: its last apply did not finish; the next deploy adopts what it created`);
  return 0;
}
