/**
 * The AWS CLI, as the operator scripts run it: the configured region and profile, JSON output.
 * The real CLI (not an SDK) on purpose: it honours the same credentials, profiles and
 * AWS_ENDPOINT_URL as Terraform and the shell scripts, and adds no dependency.
 */
import { spawn, spawnSync } from "child_process";

export interface AwsTarget {
  readonly region: string;
  /** undefined or "": the default credential chain */
  readonly profile?: string;
  /** the environment of the aws processes (default: this process's) */
  readonly env?: NodeJS.ProcessEnv;
}

export class AwsCliError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly status: number | null,
    readonly stderr: string,
  ) {
    super(`aws ${args.slice(0, 2).join(" ")} failed (exit ${status}): ${lastLine(stderr)}`);
  }

  /** The API said the object or resource does not exist (as opposed to: could not ask). */
  get notFound(): boolean {
    return /\((404|NoSuchKey|NoSuchBucket|NotFound|ResourceNotFoundException|NoSuchEntity|NoSuchEntityException|RepositoryNotFoundException|ResourceNotFound|NoSuchHostedZone)\)|Not Found|does not exist|not found/i.test(
      this.stderr,
    );
  }
}

function lastLine(text: string): string {
  return text.trim().split("\n").filter(Boolean).pop() ?? "";
}

export class AwsCli {
  constructor(private readonly target: AwsTarget) {}

  private base(): string[] {
    const args = ["--region", this.target.region];
    if (this.target.profile) args.push("--profile", this.target.profile);
    return args;
  }

  /** Runs `aws ARGS --output json` and parses its output (undefined when it printed nothing). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json(args: readonly string[]): any {
    const out = this.text([...args, "--output", "json"]);
    return out.trim() ? JSON.parse(out) : undefined;
  }

  /** Runs `aws ARGS` and returns its stdout; throws AwsCliError on a non-zero exit. */
  text(args: readonly string[], input?: string): string {
    const r = spawnSync("aws", [...this.base(), ...args], { encoding: "utf8", input, maxBuffer: 64 * 1024 * 1024, env: this.target.env ?? process.env });
    if (r.error) throw new AwsCliError(args, null, r.error.message);
    if (r.status !== 0) throw new AwsCliError(args, r.status, r.stderr ?? "");
    return r.stdout ?? "";
  }

  /** json() without blocking: lookups can run side by side. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  jsonAsync(args: readonly string[]): Promise<any> {
    return new Promise((resolve, reject) => {
      const child = spawn("aws", [...this.base(), ...args, "--output", "json"], { stdio: ["ignore", "pipe", "pipe"], env: this.target.env ?? process.env });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("error", (e) => reject(new AwsCliError(args, null, e.message)));
      child.on("close", (status) => {
        if (status !== 0) reject(new AwsCliError(args, status, stderr));
        else resolve(stdout.trim() ? JSON.parse(stdout) : undefined);
      });
    });
  }

  /** jsonAsync(), but undefined when the API says the thing does not exist. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async jsonOrUndefinedAsync(args: readonly string[]): Promise<any> {
    try {
      return await this.jsonAsync(args);
    } catch (e) {
      if (e instanceof AwsCliError && e.notFound) return undefined;
      throw e;
    }
  }
}
