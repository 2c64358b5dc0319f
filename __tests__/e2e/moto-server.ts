/**
 * The local AWS API's lifecycle: moto started through the project's launcher (moto/launcher.py) on
 * a free port, and stopped by its process id when the e2e ends, also on failure or interrupt.
 */
import { ChildProcess, spawn } from "child_process";
import { existsSync, openSync, readFileSync } from "fs";
import * as path from "path";
import { config, logDir } from "./context";
import { StepError } from "./report";

let moto: ChildProcess | undefined;

export function stopMoto(): void {
  if (moto?.pid && moto.exitCode === null) {
    try {
      process.kill(moto.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
  }
}

// From the start: an interrupted e2e must not leave moto running.
process.on("exit", stopMoto);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopMoto();
    process.exit(130);
  });
}

/** Starts moto; resolves to its port and process id once it listens. */
export async function startMoto(): Promise<{ port: number; pid: number | undefined }> {
  const motoLogFile = path.join(logDir, "moto.log");
  const launcher = path.join(__dirname, "moto", "launcher.py");
  const server = spawn("python3", [launcher, "--port", "0"], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // moto's own botocore calls must never look for credentials outside this machine.
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_EC2_METADATA_DISABLED: "true",
      MOTO_ACCOUNT_ID: config.accountId,
      // AWS managed policies (AmazonEKSClusterPolicy, ...) exist in a real account.
      MOTO_IAM_LOAD_MANAGED_POLICIES: "true",
      // Certificates are issued at once instead of after 60 s.
      MOTO_ACM_VALIDATION_WAIT: "0",
    },
    // stderr (the request log) to a file, not a pipe: the test blocks in spawnSync while
    // Terraform runs, and a full pipe would stall moto's request threads.
    stdio: ["ignore", "pipe", openSync(motoLogFile, "a")],
  });
  moto = server;
  const motoLog = () => (existsSync(motoLogFile) ? readFileSync(motoLogFile, "utf8").slice(-2000) : "");
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new StepError(`moto did not start within 60 s: ${motoLog()}`)), 60_000);
    server.stdout!.on("data", (d) => {
      buffer += String(d);
      const m = /PORT=(\d+)/.exec(buffer);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    server.on("exit", (code) => {
      clearTimeout(timer);
      reject(new StepError(`moto exited with ${code}: ${motoLog()}`));
    });
  });
  return { port, pid: server.pid };
}
