/**
 * Real `terraform validate` of every AWS-only stack with the real hashicorp/aws 5.100.0 schema,
 * from the machine's provider mirror through the project's CLI config (no backend at init).
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { buildPlatform } from "../stacks/platform";
import { loadConfig } from "../config";
import { terraformCliEnv } from "../scripts/lib/terraform-env";

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

test("the state, network, eks, ecr, cert, dns and backup stacks are AWS-only", () => {
  expect(awsOnly).toEqual(["state", "network", "eks", "ecr", "cert", "dns", "backup"].map((s) => `attractor-factory-${s}`));
});

function terraform(args: string[], cwd: string) {
  return spawnSync("terraform", args, { cwd, env: tfEnv, encoding: "utf8" });
}

test.each(awsOnly)("terraform validate %s", (name) => {
  const dir = path.join(app.outdir, "stacks", name);
  const init = terraform(["init", "-backend=false", "-input=false", "-no-color"], dir);
  expect(init.stderr).toBe("");
  expect(init.status).toBe(0);
  const validate = terraform(["validate", "-json", "-no-color"], dir);
  const result = JSON.parse(validate.stdout);
  expect(result.diagnostics).toEqual([]);
  expect(result.valid).toBe(true);
});
