/**
 * Real `terraform validate` of every AWS-only stack with the real hashicorp/aws 5.100.0 schema,
 * from the machine's provider mirror through the project's CLI config (no backend at init).
 * A tier of its own (`npm run test:terraform`): each stack starts the provider twice, seconds each,
 * so the stacks run side by side, one per core, before the tests read the results.
 */
import { spawn } from "child_process";
import { mkdtempSync, readFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { buildPlatform } from "../../stacks/platform";
import { loadConfig } from "../../config";
import { terraformCliEnv } from "../terraform-env";

const work = mkdtempSync(path.join(os.tmpdir(), "factory-validate-"));
const tfEnv = { ...process.env, ...terraformCliEnv(work), TF_PLUGIN_CACHE_DIR: "" };
const app = Testing.app({ outdir: path.join(work, "cdktf.out") });
const platform = buildPlatform(app, loadConfig({}));
app.synth();

// Stacks whose only provider is aws: the others' providers (helm, kubernetes, random) are not on
// this machine, and the synth tests cover them.
const awsOnly = Object.values(platform)
  .map((stack) => stack.node.id)
  .filter((name) => {
    const json = JSON.parse(readFileSync(path.join(app.outdir, "stacks", name, "cdk.tf.json"), "utf8"));
    return Object.keys(json.terraform.required_providers ?? {}).every((p) => p === "aws");
  });

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function terraform(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", args, { cwd, env: tfEnv });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

interface Checked {
  init: Run;
  validate: Run;
}

async function check(name: string): Promise<Checked> {
  const dir = path.join(app.outdir, "stacks", name);
  const init = await terraform(["init", "-backend=false", "-input=false", "-no-color"], dir);
  const validate = init.status === 0 ? await terraform(["validate", "-json", "-no-color"], dir) : { status: null, stdout: "{}", stderr: "init failed" };
  return { init, validate };
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of the results. */
async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

const results = new Map<string, Checked>();
beforeAll(async () => {
  const checked = await pooled(awsOnly, Math.max(1, os.cpus().length), check);
  awsOnly.forEach((name, i) => results.set(name, checked[i]));
}, 300_000);

test("the state, network, eks, ecr, cert, dns, backup and monitoring stacks are AWS-only", () => {
  expect(awsOnly).toEqual(["state", "network", "eks", "ecr", "cert", "dns", "backup", "monitoring"].map((s) => `attractor-factory-${s}`));
});

test.each(awsOnly)("terraform validate %s", (name) => {
  const { init, validate } = results.get(name)!;
  expect(init.stderr).toBe("");
  expect(init.status).toBe(0);
  const result = JSON.parse(validate.stdout);
  expect(result.diagnostics).toEqual([]);
  expect(result.valid).toBe(true);
});
