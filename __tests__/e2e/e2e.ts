/**
 * End-to-end test of the operator verbs: scripts/aws/*.sh run as an operator runs them, with the
 * real aws CLI, cdktf and Terraform (hashicorp/aws 5.100.0 from the image's mirror), through the
 * S3 backend, against a local AWS API (moto, with the project's small extension in
 * __tests__/e2e/moto/). Only the environment points them at moto (AWS_ENDPOINT_URL, test
 * credentials, FACTORY_AWS_PROFILE=""); --outdir keeps their output out of the checkout.
 *
 *   npm run test:e2e
 *
 * Steps: start moto -> the pre-existing hosted zone and operators' role -> deploy-infra on the new
 * account, interrupted by SIGINT while the eks stack's KMS key is created (add-on versions were
 * checked against AWS first) -> deploy-infra untaints the key, its Terraform killed once the
 * cluster exists -> refused on the lock -> unlock -> deploy-infra recovers (adopts, replaces
 * nothing, no duplicates) -> an out-of-band change, which drift reports for its stack only, diff
 * shows, and deploy-infra puts back while it rolls the node group to SPOT (the new group ACTIVE
 * before the old one goes; nothing else changes) -> the plan-safety rehearsal of every routine
 * change (the next Kubernetes minor among them), beside: drift (everything in sync again), the
 * guard stopping a VPC CIDR change, the bootstrap from another checkout, the ALB the ingress would
 * get, what moto holds, publish-dns -> plan dns again, prove state locking, restore-data-store
 * (the plan, a failure rolled back, a restore) -> destroy-all of the partial platform (addons and
 * app never deployed; it names the data volumes it keeps) -> decommission the bucket -> check
 * nothing is left -> the
 * plan-safety and drift tables, and the wall time of each verb run. Ends with
 * "e2e: N passed, N failed".
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { loadConfig } from "../../config";
import { terraformCliEnv } from "../../scripts/lib/terraform-env";
import { AddonPin, unofferedPins } from "../../scripts/lib/addon-versions";
import { AwsCli } from "../../scripts/lib/aws-cli";
import type { Row as PlanSafetyRow } from "../../scripts/plan-safety";
import { backupTag } from "../../constructs/backup-tag";
import { Rule, writeRules } from "../scripts/harness";

const root = path.join(__dirname, "..", "..");
const work = mkdtempSync(path.join(os.tmpdir(), "factory-e2e-"));
const logDir = path.join(work, "logs");
const EXTRA_ADMIN = "arn:aws:iam::582719176192:role/factory-operators";
/**
 * The node group's capacity type after the roll: the operator's setting from then on (so the verbs
 * after it find the output directory synthesized for it, and never synthesize over a Terraform
 * that the test runs there).
 */
const SPOT = { FACTORY_NODE_CAPACITY_TYPE: "SPOT" };
const config = loadConfig({ FACTORY_AWS_PROFILE: "", FACTORY_ADMIN_PRINCIPAL_ARNS: EXTRA_ADMIN });
const stackNames = Object.fromEntries(["state", "network", "eks", "ecr", "cert", "backup", "dns"].map((s) => [s, `${config.stackPrefix}-${s}`])) as Record<
  "state" | "network" | "eks" | "ecr" | "cert" | "backup" | "dns",
  string
>;

// ---- reporting --------------------------------------------------------------------------------

const t0 = Date.now();
let passed = 0;
let failed = 0;

function log(message: string): void {
  console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${message}`);
}

function check(name: string, ok: boolean, detail = ""): void {
  if (ok) passed++;
  else failed++;
  console.log(`  ${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
}

function checkEqual(name: string, actual: unknown, expected: unknown): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(name, a === e, `expected ${e}, got ${a}`);
}

class StepError extends Error {}

let driftTable = "";
let planSafetyTable = "";

// ---- moto -------------------------------------------------------------------------------------

let moto: ChildProcess | undefined;

function stopMoto(): void {
  if (moto?.pid && moto.exitCode === null) {
    try {
      process.kill(moto.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
  }
}

process.on("exit", stopMoto);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopMoto();
    process.exit(130);
  });
}

async function startMoto(): Promise<number> {
  const motoLogFile = path.join(logDir, "moto.log");
  const launcher = path.join(__dirname, "moto", "launcher.py");
  moto = spawn("python3", [launcher, "--port", "0"], {
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
  const motoLog = () => (existsSync(motoLogFile) ? readFileSync(motoLogFile, "utf8").slice(-2000) : "");
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new StepError(`moto did not start within 60 s: ${motoLog()}`)), 60_000);
    moto!.stdout!.on("data", (d) => {
      buffer += String(d);
      const m = /PORT=(\d+)/.exec(buffer);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    moto!.on("exit", (code) => {
      clearTimeout(timer);
      reject(new StepError(`moto exited with ${code}: ${motoLog()}`));
    });
  });
}

// ---- commands ---------------------------------------------------------------------------------

/**
 * PATH with the directory of the real aws CLI first when `aws` is a pyenv shim (a bash script that
 * runs `pyenv exec`): the verbs and this test call aws a few hundred times, and the shim adds a
 * third of a second of CPU to each call. The CLI run is the same.
 */
function directPath(): string {
  const found = spawnSync("sh", ["-c", "command -v aws"], { encoding: "utf8" }).stdout.trim();
  if (!found.includes("/shims/")) return process.env.PATH ?? "";
  const real = spawnSync("pyenv", ["which", "aws"], { encoding: "utf8" });
  return real.status === 0 && real.stdout.trim() ? `${path.dirname(real.stdout.trim())}:${process.env.PATH}` : (process.env.PATH ?? "");
}

let env: NodeJS.ProcessEnv = {};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

function run(cmd: string, args: string[], opts: { cwd?: string; logName?: string; input?: string } = {}): Run {
  const start = Date.now();
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? root, env, encoding: "utf8", input: opts.input, maxBuffer: 256 * 1024 * 1024 });
  const result = { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", seconds: (Date.now() - start) / 1000 };
  if (opts.logName) writeFileSync(path.join(logDir, `${opts.logName}.log`), `$ ${cmd} ${args.join(" ")}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** The run's result, or a StepError with the last lines of its output when it failed. */
function succeeded(what: string, r: Run): Run {
  if (r.status !== 0) {
    const tail = `${r.stdout}\n${r.stderr}`.trim().split("\n").slice(-40).join("\n");
    throw new StepError(`${what} failed (exit ${r.status}):\n${tail}`);
  }
  return r;
}

function mustRun(what: string, cmd: string, args: string[], opts: { cwd?: string; logName?: string } = {}): Run {
  return succeeded(what, run(cmd, args, opts));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function aws(args: string[]): any {
  const r = mustRun(`aws ${args.slice(0, 2).join(" ")}`, "aws", [...args, "--output", "json"]);
  return r.stdout.trim() ? JSON.parse(r.stdout) : {};
}

/** aws(), without blocking: questions that do not depend on each other go side by side. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function awsAsync(args: string[]): Promise<any> {
  const r = await runAsync("aws", [...args, "--output", "json"], { logName: `aws-${args.slice(0, 2).join("-")}` });
  succeeded(`aws ${args.slice(0, 2).join(" ")}`, r);
  return r.stdout.trim() ? JSON.parse(r.stdout) : {};
}

type Short = keyof typeof stackNames;

/** Like run, without blocking (plans of independent stacks go side by side). */
function runAsync(cmd: string, args: string[], opts: { cwd?: string; logName: string }): Promise<Run> {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += String(d)));
    child.stderr!.on("data", (d) => (stderr += String(d)));
    child.on("close", (status) => {
      writeFileSync(path.join(logDir, `${opts.logName}.log`), `$ ${cmd} ${args.join(" ")}\n${stdout}\n${stderr}`);
      resolve({ status, stdout, stderr, seconds: (Date.now() - start) / 1000 });
    });
  });
}

/** Where the verbs synthesize (--outdir): the work directory, never the checkout's cdktf.out. */
const outdir = path.join(work, "cdktf.out");

function stackDir(short: Short): string {
  return path.join(outdir, "stacks", stackNames[short]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function outputs(short: keyof typeof stackNames): Record<string, any> {
  const r = mustRun(`terraform output ${short}`, "terraform", ["output", "-json"], { cwd: stackDir(short) });
  return Object.fromEntries(Object.entries(JSON.parse(r.stdout)).map(([k, v]) => [k, (v as { value: unknown }).value]));
}

// ---- the verbs ----------------------------------------------------------------------------------

interface Verb {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly seconds: number;
  /** the verdict: the last non-empty line */
  readonly last: string;
}

const verbTimes: Array<[string, number]> = [];

/**
 * Runs scripts/aws/<verb>.sh as an operator would (the real aws CLI, Terraform and cdktf), with
 * `during` called once it has started (to interrupt it).
 */
function verb(
  name: string,
  args: string[],
  label: string,
  during?: (child: ChildProcess, output: () => string) => Promise<void>,
  extraEnv: Record<string, string> = {},
  verbOutdir = outdir,
): Promise<Verb> {
  const start = Date.now();
  const script = path.join(root, "scripts", "aws", `${name}.sh`);
  return new Promise((resolve) => {
    // unlock and restore-data-store synthesize nothing, so they take no --outdir.
    const argv = ["unlock", "restore-data-store"].includes(name) ? args : [...args, `--outdir=${verbOutdir}`];
    const child = spawn(script, argv, { cwd: root, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d) => (out += String(d)));
    child.stderr!.on("data", (d) => (out += String(d)));
    if (during) void during(child, () => out);
    child.on("close", (status, signal) => {
      const seconds = (Date.now() - start) / 1000;
      writeFileSync(path.join(logDir, `${label}.log`), `$ ${name}.sh ${args.join(" ")}\n${out}`);
      verbTimes.push([label, seconds]);
      const last =
        out
          .trim()
          .split("\n")
          .filter((l) => l.trim())
          .pop() ?? "";
      log(`${label}: exit ${status ?? signal} in ${seconds.toFixed(0)} s: ${last}`);
      resolve({ status, signal, stderr: out, seconds, last });
    });
  });
}

async function mustVerb(name: string, args: string[], label: string, extraEnv: Record<string, string> = {}): Promise<Verb> {
  const r = await verb(name, args, label, undefined, extraEnv);
  if (r.status !== 0) {
    throw new StepError(`${name} ${args.join(" ")} failed (exit ${r.status}):\n${r.stderr.trim().split("\n").slice(-30).join("\n")}`);
  }
  return r;
}

/**
 * Polls `probe` every `intervalMs`, up to `seconds`. An aws call is a Python start-up (about a
 * second of CPU): probes that call aws come after a cheap wait on the verb's own output.
 */
async function waitUntil(what: string, probe: () => boolean, seconds: number, intervalMs = 1000): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (probe()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new StepError(`timed out after ${seconds} s waiting for ${what}`);
}

function exists(args: string[]): boolean {
  return run("aws", [...args, "--output", "json"]).status === 0;
}

/** Terraform processes applying in a stack's directory of this run. */
function terraformPids(short: Short, verbWord: string): number[] {
  const r = run("pgrep", ["-f", `^terraform ${verbWord}`]);
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map(Number)
    .filter((pid) => {
      const cwd = run("readlink", [`/proc/${pid}/cwd`]).stdout.trim();
      return cwd === stackDir(short);
    });
}

function lockObjects(): string[] {
  const keys = (aws(["s3api", "list-objects-v2", "--bucket", config.stateBucket]).Contents ?? []).map((o: { Key: string }) => o.Key) as string[];
  return keys.filter((k) => k.endsWith(".tflock"));
}

function noChangesFor(r: Verb, shorts: Short[]): void {
  for (const short of shorts) {
    const line = new RegExp(`^${stackNames[short]}\\s+no changes$`, "m");
    check(
      `second plan of ${stackNames[short]} has no changes (the verb left it alone)`,
      line.test(r.stderr),
      r.stderr
        .split("\n")
        .filter((l) => l.startsWith(stackNames[short]))
        .join(" | "),
    );
  }
}

/** `terraform plan -detailed-exitcode` in the verbs' stack directory: 0 means in sync. */
async function planIsEmpty(short: Short, label: string): Promise<void> {
  const r = await runAsync("terraform", ["plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock-timeout=0s"], {
    cwd: stackDir(short),
    logName: `plan-${label}-${short}`,
  });
  const changes = r.stdout
    .split("\n")
    .filter((l) => /^\s+# .* (will|must) be/.test(l))
    .map((l) => l.trim());
  check(
    `${label}: ${stackNames[short]} plans no changes`,
    r.status === 0,
    r.status === 2 ? changes.join("; ") : r.stderr.trim().split("\n").slice(-5).join(" "),
  );
}

function countPlatform(): { vpcs: number; clusters: number; kmsKeys: number; nodegroups: number; natGateways: number } {
  const vpcs = aws(["ec2", "describe-vpcs"]).Vpcs.filter((v: { IsDefault: boolean }) => !v.IsDefault).length;
  const clusters = aws(["eks", "list-clusters"]).clusters.length;
  const keyIds = aws(["kms", "list-keys"]).Keys.map((k: { KeyId: string }) => k.KeyId) as string[];
  const kmsKeys = keyIds.filter((id) => aws(["kms", "describe-key", "--key-id", id]).KeyMetadata.KeyState === "Enabled").length;
  const nodegroups = clusters ? aws(["eks", "list-nodegroups", "--cluster-name", config.clusterName]).nodegroups.length : 0;
  const natGateways = aws(["ec2", "describe-nat-gateways"]).NatGateways.filter((n: { State: string }) => n.State === "available").length;
  return { vpcs, clusters, kmsKeys, nodegroups, natGateways };
}

// ---- the test ---------------------------------------------------------------------------------

async function main(): Promise<void> {
  mkdirSync(logDir, { recursive: true });
  log(`work directory ${work}`);
  let cliEnv: Record<string, string>;
  try {
    cliEnv = terraformCliEnv(work); // first: no point starting moto without the provider
  } catch (e) {
    throw new StepError((e as Error).message);
  }
  const port = await startMoto();
  const endpoint = `http://127.0.0.1:${port}`;
  log(`moto listening on ${endpoint} (pid ${moto!.pid})`);

  env = {
    PATH: directPath(),
    HOME: process.env.HOME,
    LANG: "C.UTF-8",
    ...cliEnv,
    // Only the environment points the unchanged stacks and verbs at moto.
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: config.region,
    AWS_DEFAULT_REGION: config.region,
    AWS_EC2_METADATA_DISABLED: "true",
    FACTORY_AWS_PROFILE: "",
    // One extra cluster admin, so that the plan-safety rehearsal can plan its removal too.
    FACTORY_ADMIN_PRINCIPAL_ARNS: EXTRA_ADMIN,
    CI: "1",
    DISABLE_VERSION_CHECK: "1",
  };

  // What exists before this project in a real account: the public hosted zone.
  const zone = aws(["route53", "create-hosted-zone", "--name", config.hostedZone, "--caller-reference", `e2e-${Date.now()}`]);
  const zoneId = String(zone.HostedZone.Id).replace("/hostedzone/", "");
  log(`created hosted zone ${config.hostedZone} (${zoneId})`);
  // ... and the operators' role, given cluster admin through FACTORY_ADMIN_PRINCIPAL_ARNS.
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${config.accountId}:root` }, Action: "sts:AssumeRole" }],
  };
  aws(["iam", "create-role", "--role-name", EXTRA_ADMIN.split("/").pop()!, "--assume-role-policy-document", JSON.stringify(trust)]);

  // 1. A new account: the README's first command, interrupted twice on the way, as real life
  // does it. First Ctrl-C (SIGINT to the verb) while the eks stack's KMS key is being created: the
  // provider is still waiting on the new key, so Terraform records it as tainted, and a plain
  // re-apply would replace the key and with it the cluster that it encrypts.
  let kmsKey = "";
  const eksKeys = () =>
    (
      aws(["resourcegroupstaggingapi", "get-resources", "--resource-type-filters", "kms:key", "--tag-filters", `Key=Stack,Values=${stackNames.eks}`])
        .ResourceTagMappingList as { ResourceARN: string }[]
    )
      .map((m) => m.ResourceARN.split("/").pop()!)
      .filter((id) => aws(["kms", "describe-key", "--key-id", id]).KeyMetadata.KeyState === "Enabled");
  const interrupted = await verb("deploy-infra", ["--yes"], "deploy-infra (new account, SIGINT)", async (child, output) => {
    // The verb's own output says when the key is being created; then AWS is asked until it exists.
    await waitUntil("the eks stack's KMS key being created", () => /\] aws_kms_key\.\S+: Creating\.\.\./.test(output()), 600, 200);
    await waitUntil("the eks stack's KMS key", () => (kmsKey = eksKeys()[0] ?? "") !== "", 60);
    child.kill("SIGINT");
    log(`sent SIGINT to deploy-infra once KMS key ${kmsKey} existed`);
  });
  check(
    "an interrupted verb exits non-zero and its last line says so",
    interrupted.status === 1 && /interrupted \(SIGINT\)/.test(interrupted.last),
    `exit ${interrupted.status}: ${interrupted.last}`,
  );
  check(
    "an interrupted verb says what it left and leaves no lock (Terraform stopped gracefully)",
    /left: state with \d+ resource\(s\), lock released/.test(interrupted.stderr) && lockObjects().length === 0,
    lockObjects().join(", "),
  );
  check(
    "deploy-infra checked every pinned EKS add-on version against AWS before applying",
    /EKS add-on versions offered by AWS for Kubernetes /.test(interrupted.stderr),
  );
  await addonCheckRefusesUnofferedPin();

  // Then the next run is killed: its Terraform gets SIGKILL once the cluster exists.
  const killed = await verb("deploy-infra", ["--yes"], "deploy-infra (terraform killed)", async (_child, output) => {
    await waitUntil("the cluster being created", () => /\] aws_eks_cluster\.\S+: Creating\.\.\./.test(output()), 600, 200);
    await waitUntil("the cluster", () => exists(["eks", "describe-cluster", "--name", config.clusterName]), 120);
    let pids: number[] = [];
    await waitUntil("terraform apply of the eks stack", () => (pids = terraformPids("eks", "apply")).length > 0, 30);
    for (const pid of pids) process.kill(pid, "SIGKILL");
    log(`killed terraform apply (pid ${pids.join(", ")}) of ${stackNames.eks}`);
  });
  check(
    "the run after the interruption untaints the KMS key the interrupted apply created, instead of replacing it",
    /untainted aws_kms_key\./.test(killed.stderr),
    killed.stderr
      .split("\n")
      .filter((l) => /taint|REPLACE/.test(l))
      .join(" | "),
  );
  check("a killed Terraform: the verb exits non-zero", killed.status !== 0 && killed.status !== null, `exit ${killed.status}`);
  check(
    "a killed Terraform: the last line names the stack, the kill and the lock",
    killed.last.includes(stackNames.eks) && /killed by SIGKILL/.test(killed.last) && /npm run unlock -- /.test(killed.last),
    killed.last,
  );

  const locked = await verb("deploy-infra", ["--yes"], "deploy-infra (locked)");
  check(
    "a stale lock: the verb stops before any change (exit 2), naming the stack, the lock and the unlock verb",
    locked.status === 2 && locked.last.includes(`${stackNames.eks}/terraform.tfstate.tflock`) && locked.last.includes(`npm run unlock -- ${stackNames.eks}`),
    `exit ${locked.status}: ${locked.last}`,
  );

  const unlocked = await verb("unlock", [stackNames.eks], "unlock eks");
  check(
    "unlock removes the stale lock",
    unlocked.status === 0 && lockObjects().length === 0,
    `exit ${unlocked.status}: ${unlocked.last}; locks: ${lockObjects().join(", ")}`,
  );

  const recovered = await mustVerb("deploy-infra", ["--yes"], "deploy-infra (recovery)");
  check(
    "recovery adopts what the killed apply created (the cluster among them)",
    new RegExp(`adopting aws_eks_cluster\\.\\S+ = ${config.clusterName} `).test(recovered.stderr),
    recovered.stderr
      .split("\n")
      .filter((l) => /adopt/.test(l))
      .join(" | "),
  );
  check(
    "neither run after an interruption replaced or destroyed anything",
    [killed, recovered].every((r) => !/REPLACE|replace \(create first\)/.test(r.stderr) && !/[1-9]\d* destroyed/.test(r.stderr)),
  );
  checkEqual("after recovery: no duplicate VPC, cluster, KMS key (the cluster's and the backup vault's), node group or NAT gateway", countPlatform(), {
    vpcs: 1,
    clusters: 1,
    kmsKeys: 2,
    nodegroups: 1,
    natGateways: 1,
  });
  checkEqual("after recovery: the eks stack's KMS key is the one the interrupted apply created", eksKeys(), [kmsKey]);
  check(
    "deploy-infra on a new account, after two interruptions: exit 0, last line says done",
    recovered.status === 0 && /deploy-infra: done$/.test(recovered.last),
    recovered.last,
  );
  // That the recovered eks stack plans nothing else is the drift check's below: its one change is
  // the log group's retention, changed out of band after the recovery.

  // 2. Drift: a change made outside the code (the cluster log group's retention, with the aws
  // CLI) is reported for exactly its stack; the verb brings it back and changes nothing else.
  const logGroup = `/aws/eks/${config.clusterName}/cluster`;
  aws(["logs", "put-retention-policy", "--log-group-name", logGroup, "--retention-in-days", "7"]);
  const drifted = await verb("drift", [], "drift (out-of-band change)");
  driftTable = drifted.stderr;
  check(
    "drift after an out-of-band change: exit 2, the last line names the eks stack only, with the one change (so the recovery left nothing to do)",
    drifted.status === 2 &&
      /drift: DRIFTED: attractor-factory-eks \(0 to add, 1 to change, 0 to destroy\) differ from the code; 5 in sync, 3 not deployed$/.test(drifted.last),
    `exit ${drifted.status}: ${drifted.last}`,
  );
  check(
    "drift names the changed resource: the log group, updated in place",
    /attractor-factory-eks:\s+update in place: aws_cloudwatch_log_group\./.test(drifted.stderr),
  );
  for (const short of ["state", "network", "ecr", "cert", "backup"] as Short[]) {
    check(`drift: ${stackNames[short]} in sync`, new RegExp(`^${stackNames[short]}\\s+in sync$`, "m").test(drifted.stderr));
  }
  for (const short of ["addons", "app", "dns"]) {
    check(
      `drift: ${config.stackPrefix}-${short} (no state) is "not deployed", not an error`,
      new RegExp(`^${config.stackPrefix}-${short}\\s+not deployed$`, "m").test(drifted.stderr),
    );
  }
  const diff = await verb("diff", ["eks"], "diff eks");
  check(
    "npm run diff -- eks: exit 2, the whole plan with the retention change",
    diff.status === 2 && /retention_in_days\s+= 7 -> 90/.test(diff.stderr),
    `exit ${diff.status}: ${diff.last}`,
  );
  // The same run makes a routine change that AWS cannot make in place: the node group's capacity
  // type. It must roll: the new group created (and ACTIVE) before the old one is deleted.
  const groupBefore = aws(["eks", "list-nodegroups", "--cluster-name", config.clusterName]).nodegroups as string[];
  const again = await mustVerb("deploy-infra", ["--yes"], "deploy-infra (again, SPOT)", SPOT);
  noChangesFor(again, ["state", "network", "ecr", "cert", "backup"]);
  check(
    "deploy-infra puts the drifted retention back and rolls the node group: eks 1 added, 1 changed, 1 destroyed",
    /^attractor-factory-eks\s+applied: 1 added, 1 changed, 1 destroyed/m.test(again.stderr),
    again.stderr
      .split("\n")
      .filter((l) => l.startsWith(stackNames.eks))
      .join(" | "),
  );
  checkEqual(
    "the log group's retention is the code's again",
    aws(["logs", "describe-log-groups", "--log-group-name-prefix", logGroup]).logGroups[0].retentionInDays,
    config.logRetentionDays,
  );
  verifyRoll(again, groupBefore);
  // Three read-only runs side by side (none of them changes anything or holds a lock for long):
  // - the plan-safety rehearsal of every routine change on the deployed platform (its
  //   configuration now has SPOT nodes; it takes no lock), awaited at the end of step 4;
  // - drift, which must find everything in sync again;
  // - a change that is not routine: another VPC CIDR replaces the VPC and its subnets, and the
  //   guard stops deploy-infra before it changes anything (in an output directory of its own:
  //   one engine per directory, and its synthesized code differs).
  log("plan-safety rehearsal, drift and the guard, side by side");
  const rehearsal = planSafety(SPOT);
  rehearsal.catch(() => undefined); // awaited below
  const [inSync, guarded] = await Promise.all([
    verb("drift", [], "drift (after deploy-infra)", undefined, SPOT),
    verb("deploy-infra", ["--yes"], "deploy-infra (guard)", undefined, { ...SPOT, FACTORY_VPC_CIDR: "10.43.0.0/16" }, path.join(work, "guard", "cdktf.out")),
  ]);
  check(
    "drift after the verb re-applied: exit 0, in sync",
    inSync.status === 0 && /drift: in sync: every deployed stack matches the code: 6 in sync, 3 not deployed$/.test(inSync.last),
    `exit ${inSync.status}: ${inSync.last}`,
  );
  verifyGuard(guarded);
  const aside = path.join(work, "aside", "cdktf.out");

  // From another checkout (an output directory without the bootstrap's state file), the bucket's
  // stack is skipped, never applied again (that would try to create the bucket a second time).
  const otherCheckout = run("node", ["--require", "./scripts/ts-register.js", "scripts/stacks.ts", "apply", "--yes", "--outdir", aside, stackNames.state], {
    logName: "bootstrap-elsewhere",
  });
  check(
    "the bootstrap from another checkout is skipped: the bucket exists and its state file is not there",
    otherCheckout.status === 0 && /bootstrapped from another checkout\): skipped/.test(otherCheckout.stderr),
    `exit ${otherCheckout.status}: ${otherCheckout.stderr.trim().split("\n").slice(-3).join(" | ")}`,
  );

  // 3. The ALB the Load Balancer Controller would create for the ingress (name and tags as the
  // controller sets them), then publish-dns.
  const net = outputs("network");
  const alb = aws([
    "elbv2",
    "create-load-balancer",
    "--name",
    config.albName,
    "--type",
    "application",
    "--scheme",
    "internet-facing",
    "--subnets",
    ...net.PublicSubnetIds,
    "--tags",
    `Key=elbv2.k8s.aws/cluster,Value=${config.clusterName}`,
    `Key=ingress.k8s.aws/stack,Value=${config.ingressGroup}`,
    "Key=ingress.k8s.aws/resource,Value=LoadBalancer",
  ]).LoadBalancers[0];
  log(`created ALB ${alb.LoadBalancerName} (${alb.DNSName})`);
  log("checking resources");
  verifyInfra();

  // 4. publish-dns (still beside the rehearsal: it plans no dns), and beside it state locking is
  // proven on the ecr stack (the rehearsal's plans take no lock, publish-dns locks dns only) and
  // a data store is restored from its backup; then the dns stack plans no changes.
  log("publish-dns; proving state locking; restore-data-store");
  const locking = verifyLocking();
  const restored = verifyRestore();
  restored.catch(() => undefined); // awaited below
  await mustVerb("publish-dns", ["--yes", "--wait-timeout", "60", "--poll-interval", "1"], "publish-dns", SPOT);
  verifyDns(zoneId, alb);
  await Promise.all([planIsEmpty("dns", "after publish-dns"), locking, restored]);
  await rehearsal;

  // 5. destroy-all from a partial platform: addons and app were never deployed.
  aws(["elbv2", "delete-load-balancer", "--load-balancer-arn", alb.LoadBalancerArn]);
  const destroyed = await mustVerb("destroy-all", ["--yes"], "destroy-all", SPOT);
  const dataVolumes = (
    (await awsAsync(["ec2", "describe-volumes", "--filters", `Name=tag-key,Values=${backupTag(config.stackPrefix).key}`])).Volumes as { VolumeId: string }[]
  )
    .map((v) => v.VolumeId)
    .sort();
  check(
    "destroy-all names the data volumes it keeps (the stores' volumes outlive the cluster; the vault's recovery points are gone)",
    dataVolumes.length === 3 && dataVolumes.every((id) => destroyed.stderr.includes(id)) && /kept: .*data volume/.test(destroyed.stderr),
    `${dataVolumes.join(" ")}: ${destroyed.stderr
      .split("\n")
      .filter((l) => /kept/.test(l))
      .join(" | ")}`,
  );
  // What the operator does once that data is not needed.
  for (const id of dataVolumes) aws(["ec2", "delete-volume", "--volume-id", id]);
  for (const short of ["addons", "app"]) {
    const stack = `${config.stackPrefix}-${short}`;
    check(
      `destroy-all of a partial platform: ${stack} (never deployed) is skipped without init`,
      new RegExp(`^${stack}\\s+not deployed \\(no state\\): skipped$`, "m").test(destroyed.stderr) && !destroyed.stderr.includes(`${stack}: terraform init`),
    );
  }
  const keys = (aws(["s3api", "list-objects-v2", "--bucket", config.stateBucket]).Contents ?? []).map((o: { Key: string }) => o.Key);
  checkEqual("after destroy-all: no state object, lock or marker left in the bucket", keys, []);

  // The state bucket is protected from destroy (prevent_destroy) on purpose; decommissioning it
  // is the manual step README describes: empty every version, then delete the bucket.
  decommissionStateBucket();
  log("checking that nothing is left");
  await verifyNothingLeft(zoneId);
}

/** The add-on check refuses a pin AWS does not offer, with one line (the real aws CLI against moto). */
async function addonCheckRefusesUnofferedPin(): Promise<void> {
  const cli = new AwsCli({ region: config.region, profile: undefined, env });
  const pins: AddonPin[] = [{ stack: stackNames.eks, name: "coredns", version: "v1.99.0-eksbuild.1", kubernetesVersion: config.kubernetesVersion }];
  const lines = await unofferedPins(cli, pins);
  check(
    "the add-on check names the add-on, the pin and what AWS offers when the pin is not offered",
    lines.length === 1 &&
      new RegExp(
        `^EKS add-on coredns is pinned to v1\\.99\\.0-eksbuild\\.1 \\(versions\\.yaml\\), which AWS does not offer for Kubernetes ${config.kubernetesVersion.replace(".", "\\.")}; AWS offers: v\\d`,
      ).test(lines[0]),
    lines.join(" | "),
  );
}

function verifyGuard(r: Verb): void {
  const vpc = /^ {2}attractor-factory-network: (aws_vpc\.\S+): replace \(destroy first\), forced by cidr_block$/m.exec(r.stderr)?.[1];
  check(
    "the guard: a VPC CIDR change stops deploy-infra before any change (exit 2), naming the network stack",
    r.status === 2 && /stopped before any change \(exit 2\): attractor-factory-network: stopped by the guard: /.test(r.last),
    `exit ${r.status}: ${r.last}`,
  );
  check(
    "the guard prints one line per protected resource: address, action, the attribute forcing it",
    !!vpc &&
      (r.stderr.match(/^ {2}attractor-factory-network: aws_subnet\.\S+: replace \(destroy first\), forced by .*cidr_block$/gm) ?? []).length === 4 &&
      !/allowed by --allow-replace/.test(r.stderr),
    r.stderr
      .split("\n")
      .filter((l) => /forced by/.test(l))
      .join(" | "),
  );
  check("the guard says how to go ahead on purpose", !!vpc && r.stderr.includes(`--allow-replace ${vpc}`));
  check(
    "the guard changed nothing: eks was never started, the VPC keeps its CIDR",
    !/attractor-factory-eks: terraform (plan|apply)/.test(r.stderr) &&
      aws(["ec2", "describe-vpcs", "--vpc-ids", outputs("network").VpcId]).Vpcs[0].CidrBlock === config.vpcCidr,
  );
}

function verifyRoll(rolled: Verb, before: string[]): void {
  check("node group roll: deploy-infra exit 0", rolled.status === 0, `exit ${rolled.status}: ${rolled.last}`);
  check(
    "node group roll: the plan replaces the node group create-first, and nothing destroy-first",
    /replace \(create first\): aws_eks_node_group\./.test(rolled.stderr) && !/REPLACE \(destroy first\)/.test(rolled.stderr),
    rolled.stderr
      .split("\n")
      .filter((l) => /replace/i.test(l))
      .join(" | "),
  );
  const create = rolled.stderr.search(/aws_eks_node_group\.\S+: Creation complete/);
  const destroy = rolled.stderr.search(/aws_eks_node_group\.\S+ \(deposed object \w+\): Destruction complete|aws_eks_node_group\.\S+: Destruction complete/);
  check(
    "node group roll: the new group was ACTIVE before the old one was deleted",
    create >= 0 && destroy > create,
    `created at ${create}, destroyed at ${destroy}`,
  );
  const after = aws(["eks", "list-nodegroups", "--cluster-name", config.clusterName]).nodegroups as string[];
  const group =
    after.length === 1 ? aws(["eks", "describe-nodegroup", "--cluster-name", config.clusterName, "--nodegroup-name", after[0]]).nodegroup : undefined;
  check(
    "node group roll: one node group, under a new generated name, SPOT",
    !!group && !before.includes(after[0]) && /^default-/.test(after[0]) && group.capacityType === "SPOT",
    JSON.stringify({ before, after, capacity: group?.capacityType }),
  );
}

/** The plan-safety rehearsal (npm run plan-safety): every routine change planned, none unsafe. */
async function planSafety(extraEnv: Record<string, string>): Promise<void> {
  const json = path.join(work, "plan-safety.json");
  const r = await new Promise<Run>((resolve) => {
    const start = Date.now();
    const child = spawn(
      "node",
      ["--require", "./scripts/ts-register.js", "scripts/plan-safety.ts", "--outdir", path.join(work, "plan-safety"), "--json", json],
      { cwd: root, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += String(d)));
    child.stderr!.on("data", (d) => (stderr += String(d)));
    child.on("close", (status) => {
      writeFileSync(path.join(logDir, "plan-safety.log"), `${stdout}\n${stderr}`);
      resolve({ status, stdout, stderr, seconds: (Date.now() - start) / 1000 });
    });
  });
  verbTimes.push(["plan-safety rehearsal", r.seconds]);
  log(`plan-safety: exit ${r.status} in ${r.seconds.toFixed(0)} s`);
  planSafetyTable = r.stdout;
  check("plan-safety: exit 0 (every planned routine change is safe)", r.status === 0, r.stderr.trim().split("\n").pop());
  const rows = (existsSync(json) ? JSON.parse(readFileSync(json, "utf8")) : []) as PlanSafetyRow[];
  const row = (name: string) => rows.find((x) => x.change === name);
  for (const name of [
    "next Kubernetes minor",
    "node min/desired/max +1",
    "node instance types",
    "node capacity type",
    "node disk size +20 GiB",
    "log retention",
    "endpoint public access CIDRs",
    "admin principal added",
    "admin principal removed",
    "NAT gateway per AZ",
    "ECR images kept",
  ]) {
    const x = row(name);
    check(
      `plan-safety: ${name}: planned, not empty, no protected resource deleted before its successor exists`,
      !!x && x.planned && x.ok && x.add + x.update + x.destroy > 0 && !/UNSAFE/.test(x.verdict),
      JSON.stringify(x),
    );
  }
  const upgrade = row("next Kubernetes minor");
  const inPlace = /^safe: in place \(([^)]*)\)/.exec(upgrade?.verdict ?? "")?.[1].split(", ") ?? [];
  check(
    "upgrade rehearsal: the next Kubernetes minor updates cluster, node group and add-ons in place",
    ["aws_eks_cluster", "aws_eks_node_group", "aws_eks_addon"].every((t) => inPlace.includes(t)) && upgrade?.destroy === 0,
    upgrade?.verdict,
  );
  for (const name of ["node instance types", "node capacity type"]) {
    check(
      `plan-safety: ${name} rolls the node group (successor first)`,
      /rolled, successor first \(aws_eks_node_group\)/.test(row(name)?.verdict ?? ""),
      row(name)?.verdict,
    );
  }
  check(
    "plan-safety: the app stack's replica bounds are reported not deployed here (no kubernetes provider), not passed",
    /^not deployed/.test(row("API/web replica bounds")?.verdict ?? "") && row("API/web replica bounds")?.planned === false,
    row("API/web replica bounds")?.verdict,
  );
}

function verifyInfra(): void {
  const net = outputs("network");
  const vpc = aws(["ec2", "describe-vpcs", "--vpc-ids", net.VpcId]).Vpcs[0];
  checkEqual("VPC CIDR", vpc.CidrBlock, config.vpcCidr);
  const subnets = aws(["ec2", "describe-subnets", "--filters", `Name=vpc-id,Values=${net.VpcId}`]).Subnets as {
    SubnetId: string;
    AvailabilityZone: string;
    Tags?: { Key: string; Value: string }[];
  }[];
  const tag = (s: (typeof subnets)[0], k: string) => s.Tags?.find((t) => t.Key === k)?.Value;
  const pub = subnets.filter((s) => tag(s, "kubernetes.io/role/elb") === "1");
  const priv = subnets.filter((s) => tag(s, "kubernetes.io/role/internal-elb") === "1");
  checkEqual("2 public subnets tagged kubernetes.io/role/elb", pub.map((s) => s.SubnetId).sort(), [...net.PublicSubnetIds].sort());
  checkEqual("2 private subnets tagged kubernetes.io/role/internal-elb", priv.map((s) => s.SubnetId).sort(), [...net.PrivateSubnetIds].sort());
  checkEqual("subnets span 2 AZs", new Set(subnets.map((s) => s.AvailabilityZone)).size, 2);
  check(
    "every subnet carries the cluster tag",
    subnets.every((s) => tag(s, `kubernetes.io/cluster/${config.clusterName}`) === "shared"),
  );
  const nats = aws(["ec2", "describe-nat-gateways", "--filter", `Name=vpc-id,Values=${net.VpcId}`]).NatGateways.filter(
    (n: { State: string }) => n.State === "available",
  );
  checkEqual("one NAT gateway", nats.length, 1);

  const eksOut = outputs("eks");
  const cluster = aws(["eks", "describe-cluster", "--name", config.clusterName]).cluster;
  checkEqual("cluster name output", eksOut.ClusterName, config.clusterName);
  checkEqual("cluster version", cluster.version, config.kubernetesVersion);
  checkEqual("cluster authentication mode", cluster.accessConfig?.authenticationMode, "API");
  checkEqual("cluster secrets encrypted", cluster.encryptionConfig?.[0]?.resources, ["secrets"]);
  checkEqual("cluster endpoint output", eksOut.ClusterEndpoint, cluster.endpoint);
  checkEqual("OIDC issuer output", eksOut.OidcIssuer, cluster.identity.oidc.issuer);
  const ngName = aws(["eks", "list-nodegroups", "--cluster-name", config.clusterName]).nodegroups[0];
  const ng = aws(["eks", "describe-nodegroup", "--cluster-name", config.clusterName, "--nodegroup-name", ngName]).nodegroup;
  checkEqual(
    "node group sizes min/desired/max",
    [ng.scalingConfig.minSize, ng.scalingConfig.desiredSize, ng.scalingConfig.maxSize],
    [config.nodeGroup.minSize, config.nodeGroup.desiredSize, config.nodeGroup.maxSize],
  );
  checkEqual("node group AMI type", ng.amiType, "AL2023_x86_64_STANDARD");
  checkEqual("node group in the private subnets", [...ng.subnets].sort(), [...net.PrivateSubnetIds].sort());
  checkEqual("NodeRoleArn output", eksOut.NodeRoleArn, ng.nodeRole);
  const addons = aws(["eks", "list-addons", "--cluster-name", config.clusterName]).addons.sort();
  checkEqual("EKS add-ons", addons, ["aws-ebs-csi-driver", "coredns", "kube-proxy", "vpc-cni"]);
  const cni = aws(["eks", "describe-addon", "--cluster-name", config.clusterName, "--addon-name", "vpc-cni"]).addon;
  checkEqual("the VPC CNI enforces network policies (its configuration)", JSON.parse(cni.configurationValues ?? "{}"), { enableNetworkPolicy: "true" });
  const entries = aws(["eks", "list-access-entries", "--cluster-name", config.clusterName]).accessEntries;
  check("an access entry for the deploying principal", entries.length >= 1, JSON.stringify(entries));
  const oidc = aws(["iam", "list-open-id-connect-providers"]).OpenIDConnectProviderList.map((p: { Arn: string }) => p.Arn);
  check("IAM OIDC provider exists", oidc.includes(eksOut.OidcProviderArn), JSON.stringify(oidc));

  const repos = aws(["ecr", "describe-repositories"]).repositories as {
    repositoryName: string;
    repositoryUri: string;
    imageTagMutability: string;
    imageScanningConfiguration: { scanOnPush: boolean };
  }[];
  const ecrOut = outputs("ecr");
  for (const [image, output] of [
    ["factory-api", "ApiRepositoryUri"],
    ["factory-web", "WebRepositoryUri"],
    ["factory-runner-controller", "ControllerRepositoryUri"],
    ["factory-runner", "RunnerRepositoryUri"],
  ]) {
    const repo = repos.find((r) => r.repositoryName === `${config.stackPrefix}/${image}`);
    check(
      `repository ${image}: immutable, scan on push, ${output} output`,
      !!repo && repo.imageTagMutability === "IMMUTABLE" && repo.imageScanningConfiguration.scanOnPush && ecrOut[output] === repo.repositoryUri,
      JSON.stringify(repo),
    );
  }

  const certArn = outputs("cert").CertificateArn;
  const cert = aws(["acm", "describe-certificate", "--certificate-arn", certArn]).Certificate;
  checkEqual("certificate ISSUED", cert.Status, "ISSUED");
  checkEqual("certificate domain", cert.DomainName, config.hostname);
  checkEqual("state bucket versioned", aws(["s3api", "get-bucket-versioning", "--bucket", config.stateBucket]).Status, "Enabled");
  const keys = aws(["s3api", "list-objects-v2", "--bucket", config.stateBucket])
    .Contents?.map((o: { Key: string }) => o.Key)
    .sort();
  checkEqual(
    "every deployed stack's state under its own key, nothing else (no lock, no marker)",
    keys,
    ["backup", "cert", "ecr", "eks", "network"].map((s) => `${config.stackPrefix}-${s}/terraform.tfstate`).sort(),
  );
  verifyBackup();
}

/** The backup stack as AWS holds it: vault, its key and policy, the plan's rules, the selection by tag. */
function verifyBackup(): void {
  const out = outputs("backup");
  const vault = aws(["backup", "describe-backup-vault", "--backup-vault-name", out.BackupVaultName]);
  const key = vault.EncryptionKeyArn ? aws(["kms", "describe-key", "--key-id", vault.EncryptionKeyArn]).KeyMetadata : undefined;
  check(
    "backup vault encrypted with a key of its own (the backup stack's)",
    !!key && key.KeyState === "Enabled" && key.Description.includes(out.BackupVaultName),
    JSON.stringify(vault),
  );
  const policy = JSON.parse(aws(["backup", "get-backup-vault-access-policy", "--backup-vault-name", out.BackupVaultName]).Policy);
  check(
    "the vault's policy denies deleting recovery points",
    JSON.stringify(policy).includes("backup:DeleteRecoveryPoint") && policy.Statement?.[0]?.Effect === "Deny",
    JSON.stringify(policy),
  );
  const plan = aws(["backup", "get-backup-plan", "--backup-plan-id", out.BackupPlanId]).BackupPlan;
  checkEqual(
    "backup plan: a daily rule kept 35 days and a weekly rule kept 180, into the vault",
    plan.Rules.map((r: { RuleName: string; Lifecycle: { DeleteAfterDays: number }; TargetBackupVaultName: string }) => [
      r.RuleName,
      r.Lifecycle.DeleteAfterDays,
      r.TargetBackupVaultName,
    ]),
    [
      ["daily", 35, out.BackupVaultName],
      ["weekly", 180, out.BackupVaultName],
    ],
  );
  const selections = aws(["backup", "list-backup-selections", "--backup-plan-id", out.BackupPlanId]).BackupSelectionsList;
  const selection =
    selections.length === 1
      ? aws(["backup", "get-backup-selection", "--backup-plan-id", out.BackupPlanId, "--selection-id", selections[0].SelectionId]).BackupSelection
      : undefined;
  checkEqual(
    "backup selection: EBS volumes AND the backup tag (a condition), with the stack's role",
    [selection?.Conditions?.StringEquals, selection?.Resources, selection?.IamRoleArn],
    [[{ ConditionKey: `aws:ResourceTag/${config.stackPrefix}/backup`, ConditionValue: "daily-weekly" }], ["arn:aws:ec2:*:*:volume/*"], out.BackupRoleArn],
  );
}

/**
 * restore-data-store with the AWS half for real (AWS Backup and EC2 in moto, through the real aws
 * CLI) and a stand-in for kubectl (no cluster here; __tests__/fakes/bin/kubectl answers the reads
 * of a postgres StatefulSet, records every call and the manifests it is given). Postgres's volume
 * is created as the EBS CSI driver would (its claim's tags and the backup tag, in the node group's
 * second zone), and backed up twice, as the daily rule would. Then: the plan (no --yes) changes
 * nothing; a restore whose new claim is refused rolls back; a restore succeeds.
 */
async function verifyRestore(): Promise<void> {
  const [backupOut, net] = [outputs("backup"), outputs("network")];
  const zones = ((await awsAsync(["ec2", "describe-subnets", "--subnet-ids", ...net.PrivateSubnetIds])).Subnets as { AvailabilityZone: string }[])
    .map((s) => s.AvailabilityZone)
    .sort();
  const zone = zones[zones.length - 1]; // not the first: the verb must keep the volume's zone
  const tag = backupTag(config.stackPrefix);
  const claim = "data-postgres-0";
  const claimTags = [
    `{Key=${tag.key},Value=${tag.value}}`,
    `{Key=kubernetes.io/created-for/pvc/name,Value=${claim}}`,
    `{Key=kubernetes.io/created-for/pvc/namespace,Value=${config.namespace}}`,
  ];
  const volume = await awsAsync([
    "ec2",
    "create-volume",
    "--availability-zone",
    zone,
    "--size",
    "20",
    "--volume-type",
    "gp3",
    "--encrypted",
    "--tag-specifications",
    `ResourceType=volume,Tags=[${claimTags.join(",")}]`,
  ]);
  const volumeArn = `arn:aws:ec2:${config.region}:${config.accountId}:volume/${volume.VolumeId}`;
  const backupJob = () =>
    awsAsync([
      "backup",
      "start-backup-job",
      "--backup-vault-name",
      backupOut.BackupVaultName,
      "--resource-arn",
      volumeArn,
      "--iam-role-arn",
      backupOut.BackupRoleArn,
    ]);
  await backupJob();
  const latest = (await backupJob()).RecoveryPointArn as string;
  const snapshot = latest.split("/").pop()!;
  const claimVolumes = async () =>
    (await awsAsync(["ec2", "describe-volumes", "--filters", `Name=tag:kubernetes.io/created-for/pvc/name,Values=${claim}`])).Volumes as {
      VolumeId: string;
      AvailabilityZone: string;
      SnapshotId?: string;
      Tags?: { Key: string; Value: string }[];
    }[];

  const bin = path.join(work, "kubectl-stand-in", "bin");
  mkdirSync(bin, { recursive: true });
  symlinkSync(path.join(root, "__tests__", "fakes", "bin", "kubectl"), path.join(bin, "kubectl"));
  const reads: Rule[] = [
    { match: "kubectl * get statefulset postgres -o jsonpath={.spec.replicas}", stdout: "1" },
    { match: "kubectl * get statefulset postgres -o jsonpath={.spec.volumeClaimTemplates*", stdout: '{"app.kubernetes.io/name":"postgres"}' },
    { match: `kubectl * get pvc ${claim} *`, stdout: "pvc-e2e gp3-retain 20Gi" },
    { match: "kubectl * get pv pvc-e2e *", stdout: `${volume.VolumeId} Retain` },
  ];
  const restore = async (label: string, args: string[], rules: Rule[] = []) => {
    const dir = path.join(work, "kubectl-stand-in", label.replace(/\W+/g, "-"));
    mkdirSync(dir);
    writeRules(path.join(dir, "rules"), [...rules, ...reads]);
    writeFileSync(path.join(dir, "calls"), "");
    const r = await verb("restore-data-store", ["postgres", "--poll-interval", "1", ...args], label, undefined, {
      PATH: `${bin}:${env.PATH}`,
      FAKE_HOME: path.join(root, "__tests__", "fakes"),
      FAKE_LOG: path.join(dir, "calls"),
      FAKE_RULES: path.join(dir, "rules"),
      FAKE_STDERR_kubectl: 'Error from server (Forbidden): persistentvolumeclaims "data-postgres-0" is forbidden: exceeded quota',
    });
    const calls = readFileSync(path.join(dir, "calls"), "utf8").split("\n").filter(Boolean);
    const manifests = existsSync(path.join(dir, "calls.stdin"))
      ? readFileSync(path.join(dir, "calls.stdin"), "utf8")
          .split(/^---$/m)
          .filter((m) => m.trim())
          .map((m) => JSON.parse(m))
      : [];
    return { ...r, calls, manifests };
  };
  const index = (calls: string[], pattern: RegExp) => calls.findIndex((c) => pattern.test(c));
  const inOrder = (calls: string[], patterns: RegExp[]) => patterns.map((p) => index(calls, p)).every((n, i, all) => n >= 0 && (i === 0 || n > all[i - 1]));

  const plan = await restore("restore-data-store (plan)", []);
  check(
    "restore-data-store without --yes: exit 0, the last line says nothing was changed",
    plan.status === 0 && /plan only; nothing was changed/.test(plan.last),
    `exit ${plan.status}: ${plan.last}`,
  );
  check(
    "restore-data-store plans the latest recovery point, into the zone of the store's volume",
    plan.stderr.includes(`recovery point ${latest}`) && plan.stderr.includes(`in ${zone} `),
    plan.stderr
      .split("\n")
      .filter((l) => /recovery point|restore into/.test(l))
      .join(" | "),
  );
  check(
    "restore-data-store without --yes: kubectl only read, no volume restored",
    plan.calls.every((c) => / get /.test(c)) && (await claimVolumes()).length === 1,
    plan.calls.join(" | "),
  );

  const refused = await restore(
    "restore-data-store (claim refused)",
    ["--yes"],
    [
      { match: "kubectl * apply -f -", uses: 1 },
      { match: "kubectl * apply -f -", exit: 1, uses: 1 },
    ],
  );
  const afterRefusal = await claimVolumes();
  const kept = afterRefusal.find((v) => v.VolumeId !== volume.VolumeId);
  check(
    "a restore that fails in the middle: exit 1; the last line says it rolled back and names the store's own volume and the restored one, kept",
    refused.status === 1 &&
      /rolled back: claim data-postgres-0 is bound to .* again and postgres is scaled back to 1/.test(refused.last) &&
      refused.last.includes(volume.VolumeId) &&
      !!kept &&
      refused.last.includes(`${kept.VolumeId} is kept`),
    `exit ${refused.status}: ${refused.last}`,
  );
  const lastScale = refused.calls.filter((c) => / scale statefulset postgres /.test(c)).pop() ?? "";
  check(
    "the rollback binds the claim to the old volume again, then scales postgres back to 1",
    index(refused.calls, /patch pv pvc-e2e --type merge -p \{"spec":\{"claimRef":null\}\}/) > index(refused.calls, /delete pvc data-postgres-0 --wait/) &&
      lastScale.endsWith("--replicas=1") &&
      refused.manifests.at(-1)?.spec?.volumeName === "pvc-e2e",
    refused.calls.slice(4).join(" | "),
  );

  const done = await restore("restore-data-store", ["--yes"]);
  check(
    "restore-data-store --yes: exit 0, last line says done",
    done.status === 0 && /restore-data-store: done$/.test(done.last),
    `exit ${done.status}: ${done.last}`,
  );
  const after = await claimVolumes();
  const fresh = after.find((v) => v.VolumeId !== volume.VolumeId && v.VolumeId !== kept?.VolumeId);
  const tagOf = (v: typeof fresh, key: string) => v?.Tags?.find((t) => t.Key === key)?.Value;
  check(
    "the restored volume: from the latest recovery point's snapshot, in the store's zone, tagged for backup and with its claim",
    !!fresh &&
      fresh.SnapshotId === snapshot &&
      fresh.AvailabilityZone === zone &&
      tagOf(fresh, tag.key) === tag.value &&
      tagOf(fresh, `${config.stackPrefix}/restored-from`) === snapshot,
    JSON.stringify(fresh),
  );
  const [pv, pvc] = done.manifests;
  check(
    "the PersistentVolume is the restored EBS volume, in its zone, pre-bound to the store's claim",
    pv?.spec?.csi?.volumeHandle === fresh?.VolumeId &&
      JSON.stringify(pv?.spec?.nodeAffinity).includes(`"${zone}"`) &&
      pv?.spec?.claimRef?.name === claim &&
      pv?.spec?.persistentVolumeReclaimPolicy === "Retain",
    JSON.stringify(pv),
  );
  check(
    "postgres: scaled to 0, its claim recreated on that PersistentVolume, scaled back to 1, waited for",
    pvc?.spec?.volumeName === pv?.metadata?.name &&
      inOrder(done.calls, [
        /scale statefulset postgres --replicas=0/,
        /delete pvc data-postgres-0/,
        new RegExp(`-n ${config.namespace} apply -f -`),
        /scale statefulset postgres --replicas=1/,
        /rollout status statefulset\/postgres/,
      ]),
    done.calls.join(" | "),
  );
  check(
    "the store's own volume is untouched: it still exists, with its tags",
    after.some((v) => v.VolumeId === volume.VolumeId && tagOf(v, tag.key) === tag.value),
    JSON.stringify(after.map((v) => v.VolumeId)),
  );
}

function verifyDns(zoneId: string, alb: { DNSName: string }): void {
  const records = aws(["route53", "list-resource-record-sets", "--hosted-zone-id", zoneId]).ResourceRecordSets as {
    Name: string;
    Type: string;
    AliasTarget?: { DNSName: string };
  }[];
  const alias = records.find((r) => r.Name.replace(/\.$/, "") === config.hostname && r.Type === "A");
  check(
    "alias A record for the hostname points at the ALB",
    !!alias && alias.AliasTarget!.DNSName.replace(/\.$/, "").toLowerCase().endsWith(alb.DNSName.toLowerCase()),
    JSON.stringify(alias),
  );
  check(
    "DNS validation CNAME in the zone",
    records.some((r) => r.Type === "CNAME"),
  );

  const dnsKey = `${stackNames.dns}/terraform.tfstate`;
  check("the dns stack's state under its own key", run("aws", ["s3api", "head-object", "--bucket", config.stateBucket, "--key", dnsKey]).status === 0);
}

async function verifyLocking(): Promise<void> {
  const dir = stackDir("ecr");
  const stateKey = `${config.stackPrefix}-ecr/terraform.tfstate`;
  const before = aws(["s3api", "head-object", "--bucket", config.stateBucket, "--key", stateKey]);
  // `terraform destroy` takes the lock, plans, then waits at its confirmation prompt: a lock
  // holder that is answered "no" and so changes nothing.
  const holder = spawn("terraform", ["destroy", "-input=true", "-no-color"], { cwd: dir, env, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  holder.stdout!.on("data", (d) => (out += String(d)));
  holder.stderr!.on("data", (d) => (out += String(d)));
  const waitFor = (re: RegExp, seconds: number) =>
    new Promise<boolean>((resolve) => {
      const started = Date.now();
      const timer = setInterval(() => {
        if (re.test(out) || Date.now() - started > seconds * 1000) {
          clearInterval(timer);
          resolve(re.test(out));
        }
      }, 200);
    });
  const prompted = await waitFor(/Enter a value:/, 120);
  check("first run holds the ecr stack's lock at its prompt", prompted, out.slice(-500));
  const second = run("terraform", ["plan", "-lock-timeout=0s", "-input=false", "-no-color"], { cwd: dir, logName: "lock-second" });
  check(
    "a second run is refused with 'Error acquiring the state lock'",
    second.status !== 0 && /Error acquiring the state lock/.test(second.stderr),
    second.stderr.slice(-500),
  );
  holder.stdin!.write("no\n");
  await new Promise((resolve) => holder.on("exit", resolve));
  check("the lock holder, answered 'no', cancels", /Destroy cancelled/.test(out), out.slice(-300));
  const after = aws(["s3api", "head-object", "--bucket", config.stateBucket, "--key", stateKey]);
  checkEqual("the state object is unchanged", after.ETag, before.ETag);
  const lockGone = run("aws", ["s3api", "head-object", "--bucket", config.stateBucket, "--key", `${stateKey}.tflock`]);
  check("the lock file is released", lockGone.status !== 0);
  const replan = run("terraform", ["plan", "-detailed-exitcode", "-input=false", "-no-color"], { cwd: dir });
  checkEqual("the ecr stack still plans no changes", replan.status, 0);
}

function decommissionStateBucket(): void {
  const bucket = config.stateBucket;
  const versions = aws(["s3api", "list-object-versions", "--bucket", bucket]);
  const objects = [...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])].map((v: { Key: string; VersionId: string }) => ({
    Key: v.Key,
    VersionId: v.VersionId,
  }));
  for (let i = 0; i < objects.length; i += 500) {
    aws(["s3api", "delete-objects", "--bucket", bucket, "--delete", JSON.stringify({ Objects: objects.slice(i, i + 500), Quiet: true })]);
  }
  aws(["s3api", "delete-bucket", "--bucket", bucket]);
  const stateFile = path.join(path.dirname(outdir), `terraform.${stackNames.state}.tfstate`);
  if (existsSync(stateFile)) rmSync(stateFile);
  log(`decommissioned state bucket ${bucket} (${objects.length} object versions)`);
}

async function verifyNothingLeft(zoneId: string): Promise<void> {
  // The questions side by side: each is an aws process, and nothing else runs now.
  const [vpcs, clusters, repos, certs, records, roles, oidc, aliases, logs, buckets, eips, lts, vaults, plans, snapshots, volumes] = await Promise.all([
    awsAsync(["ec2", "describe-vpcs"]),
    awsAsync(["eks", "list-clusters"]),
    awsAsync(["ecr", "describe-repositories"]),
    awsAsync(["acm", "list-certificates"]),
    awsAsync(["route53", "list-resource-record-sets", "--hosted-zone-id", zoneId]),
    awsAsync(["iam", "list-roles"]),
    awsAsync(["iam", "list-open-id-connect-providers"]),
    awsAsync(["kms", "list-aliases"]),
    awsAsync(["logs", "describe-log-groups", "--log-group-name-prefix", `/aws/eks/${config.clusterName}`]),
    awsAsync(["s3api", "list-buckets"]),
    awsAsync(["ec2", "describe-addresses"]),
    awsAsync(["ec2", "describe-launch-templates"]),
    awsAsync(["backup", "list-backup-vaults"]),
    awsAsync(["backup", "list-backup-plans"]),
    awsAsync(["ec2", "describe-snapshots", "--owner-ids", "self"]),
    awsAsync(["ec2", "describe-volumes"]),
  ]);
  checkEqual("no VPC left (but the default)", vpcs.Vpcs.filter((v: { IsDefault: boolean }) => !v.IsDefault).length, 0);
  checkEqual("no EKS cluster left", clusters.clusters, []);
  checkEqual("no ECR repository left", repos.repositories, []);
  checkEqual("no certificate left", certs.CertificateSummaryList, []);
  checkEqual(
    "no record left in the hosted zone",
    records.ResourceRecordSets.filter((r: { Type: string }) => !["NS", "SOA"].includes(r.Type)),
    [],
  );
  checkEqual(
    "no IAM role left",
    roles.Roles.map((r: { RoleName: string }) => r.RoleName).filter((n: string) => n.startsWith(config.clusterName)),
    [],
  );
  checkEqual("no OIDC provider left", oidc.OpenIDConnectProviderList, []);
  checkEqual(
    "no KMS alias left (the key is pending deletion)",
    aliases.Aliases.filter((a: { AliasName: string }) => a.AliasName.includes(config.clusterName)),
    [],
  );
  checkEqual("no log group left", logs.logGroups, []);
  checkEqual("no S3 bucket left", buckets.Buckets, []);
  checkEqual("no Elastic IP left", eips.Addresses, []);
  checkEqual("no launch template left", lts.LaunchTemplates ?? [], []);
  checkEqual("no backup vault left (destroy-all emptied and deleted it)", vaults.BackupVaultList, []);
  checkEqual("no backup plan left", plans.BackupPlansList, []);
  // moto answers --owner-ids self with its AMIs' snapshots too (other owners): only the account's count.
  checkEqual(
    "no snapshot left (the recovery points went with the vault)",
    snapshots.Snapshots.filter((s: { OwnerId: string }) => s.OwnerId === config.accountId).map((s: { SnapshotId: string }) => s.SnapshotId),
    [],
  );
  checkEqual(
    "no volume left",
    volumes.Volumes.map((v: { VolumeId: string }) => v.VolumeId),
    [],
  );
}

function printTables(): void {
  if (planSafetyTable) console.log(`\nplan-safety rehearsal on the deployed platform:\n${planSafetyTable}`);
  const drift = driftTable.split("\n").filter((l) => /^(stack\s+plan|attractor-factory-\S+\s)|drift: /.test(l));
  if (drift.length) console.log(`\ndrift after the out-of-band change:\n${drift.join("\n")}`);
}

function printTimings(): void {
  console.log(`\n${"verb run".padEnd(40)}${"wall s".padStart(8)}`);
  for (const [label, seconds] of verbTimes) console.log(`${label.padEnd(40)}${seconds.toFixed(1).padStart(8)}`);
}

main()
  .catch((e) => {
    failed++;
    console.log(`  FAIL ${e instanceof StepError ? e.message : (e as Error).stack}`);
    console.log(`  logs of every command: ${logDir}`);
  })
  .finally(() => {
    stopMoto();
    printTables();
    printTimings();
    console.log(`\ntotal ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    console.log(`e2e: ${passed} passed, ${failed} failed`);
    if (failed === 0 && !process.env.FACTORY_E2E_KEEP) rmSync(work, { recursive: true, force: true });
    process.exit(failed === 0 ? 0 : 1);
  });
