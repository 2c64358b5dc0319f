/**
 * Runs scripts/aws/*.sh against the stand-in executables of __tests__/fakes/bin (aws, curl, docker,
 * getent, kubectl, terraform, and engine for scripts/platform-engine.ts), which record their arguments and
 * answer scripted output. The verbs with the real tools are the e2e test's (__tests__/e2e/e2e.ts).
 *
 * PATH holds only: a per-run directory of the fakes (minus any a test declares missing), then a
 * shared directory of links to the system's other executables (bash, git, node, coreutils...), so
 * the real aws/kubectl/docker/... on this machine can never be reached.
 */
import { spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const FAKES = path.join(ROOT, "__tests__", "fakes", "bin");
export const FAKED = readdirSync(FAKES);
export const ACCOUNT = "582719176192";
/** The AWS CLI's leading options under the default configuration. */
export const AWS = "aws --region us-west-2 --profile ai-sandbox-administrator";

let sysBin: string | undefined;
/** Links to every system executable except the faked ones (built once per test file). */
function systemBin(): string {
  if (sysBin) return sysBin;
  sysBin = mkdtempSync(path.join(os.tmpdir(), "scripts-sysbin-"));
  for (const dir of ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (FAKED.includes(name) || existsSync(path.join(sysBin, name))) continue;
      try {
        if (statSync(path.join(dir, name)).isFile()) symlinkSync(path.join(dir, name), path.join(sysBin, name));
      } catch {
        // dangling link or unreadable entry: not needed
      }
    }
  }
  return sysBin;
}

/** The system's own executable of that name (never a fake). */
function realExecutable(name: string): string {
  const found = ["/usr/local/bin", "/usr/bin", "/bin"].map((d) => path.join(d, name)).find((f) => existsSync(f));
  if (!found) throw new Error(`no real ${name} on this machine`);
  return found;
}

/** One scripted answer of a fake: the first rule whose glob matches the call answers it. */
export interface Rule {
  /** bash glob matched against "<command> <args joined by spaces>" */
  readonly match: string;
  readonly exit?: number;
  readonly stdout?: string;
  /** answer only this many calls, then fall through to later rules */
  readonly uses?: number;
}

export interface RunOptions {
  readonly args?: readonly string[];
  /** FACTORY_* and other variables (the caller's environment is not inherited). */
  readonly env?: Record<string, string>;
  /** Checked before the defaults. */
  readonly rules?: readonly Rule[];
  /** Fakes to leave off PATH. */
  readonly missing?: readonly string[];
  /** Fakes replaced by this machine's real executable (e.g. curl against a local server). */
  readonly real?: readonly string[];
  readonly input?: string;
  /** Leave out the default rules (credentials for the configured account...). */
  readonly noDefaults?: boolean;
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Every call of a fake, in order. */
  readonly calls: string[];
  readonly dir: string;
}

/** Answers every script needs under the default configuration. */
export const DEFAULT_RULES: readonly Rule[] = [
  { match: "aws * sts get-caller-identity *", stdout: ACCOUNT },
  { match: "aws * eks describe-cluster *", stdout: "ACTIVE" },
  { match: "aws * elbv2 describe-load-balancers *", stdout: "active" },
];

/** The fakes' rules file (FAKE_RULES): one rule per line, fields separated by \x1f (see fake.sh). */
export function writeRules(file: string, rules: readonly Rule[]): void {
  writeFileSync(file, rules.map((r) => [r.match, String(r.exit ?? 0), (r.stdout ?? "").replace(/\n/g, "\\n"), r.uses ?? ""].join("\x1f") + "\n").join(""));
}

/** The per-run directory, its call log and the environment a script runs in (the stand-ins first on PATH). */
export function prepareRun(opts: RunOptions = {}): { dir: string; log: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "scripts-run-"));
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  for (const fake of FAKED) {
    if ((opts.real ?? []).includes(fake)) symlinkSync(realExecutable(fake), path.join(bin, fake));
    else if (!(opts.missing ?? []).includes(fake)) symlinkSync(path.join(FAKES, fake), path.join(bin, fake));
  }
  const rulesFile = path.join(dir, "rules");
  writeRules(rulesFile, [...(opts.rules ?? []), ...(opts.noDefaults ? [] : DEFAULT_RULES)]);
  const log = path.join(dir, "calls.log");
  writeFileSync(log, "");
  const home = path.join(dir, "home");
  mkdirSync(home);
  const env = {
    PATH: `${bin}:${systemBin()}`,
    HOME: home,
    LANG: "C.UTF-8",
    FAKE_HOME: path.dirname(FAKES),
    FAKE_LOG: log,
    FAKE_RULES: rulesFile,
    // scripts/platform-engine.ts's stand-in: it records "engine <verb> <args>" like the other fakes.
    ...((opts.missing ?? []).includes("engine") ? {} : { FACTORY_ENGINE_RUNNER: path.join(bin, "engine") }),
    ...opts.env,
  };
  return { dir, log, env };
}

export function runScript(script: string, opts: RunOptions = {}): RunResult {
  const { dir, log, env } = prepareRun(opts);
  const result = spawnSync(path.join(ROOT, "scripts", "aws", script), [...(opts.args ?? [])], {
    cwd: ROOT,
    input: opts.input ?? "",
    encoding: "utf8",
    timeout: 60_000,
    env,
  });
  const calls = readFileSync(log, "utf8")
    .split("\n")
    .filter((l) => l !== "");
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls, dir };
}

/** The calls of one fake only. */
export function callsOf(result: RunResult, command: string): string[] {
  return result.calls.filter((c) => c.split(" ").find((word) => !/^[A-Za-z_]+=/.test(word)) === command);
}

export { appCheckout, git } from "../fixtures/app-checkout";
