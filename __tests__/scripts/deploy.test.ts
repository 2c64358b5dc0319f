/**
 * deploy-infra, install-alb-controller, deploy-app, publish-dns and deploy-all: their prerequisite
 * checks and their exact plan of calls, with stand-in executables (harness.ts).
 */
import { existsSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import { AWS, ROOT, callsOf, runScript } from "./harness";

const P = "attractor-factory";
const REPOS = ["factory-api", "factory-web", "factory-runner-controller", "factory-runner"].map((i) => `${P}/${i}`);
const CREDENTIALS = `${AWS} sts get-caller-identity --query Account --output text`;
const CLUSTER = `${AWS} eks describe-cluster --name attractor-factory-eks --query cluster.status --output text`;
const ALB = `${AWS} elbv2 describe-load-balancers --query LoadBalancers[?LoadBalancerName=='${P}-alb'].State.Code --output text`;
const IMAGES = REPOS.map((r) => `${AWS} ecr describe-images --repository-name ${r} --image-ids imageTag=abc123`);
const STATE_FILE = path.join(ROOT, `terraform.${P}-state.tfstate`);

describe("deploy-infra", () => {
  test("bootstraps the state bucket when it does not exist, then deploys network, eks, ecr, cert in one call", () => {
    if (existsSync(STATE_FILE)) return; // a real bootstrap state here: head-bucket is not asked
    const r = runScript("deploy-infra.sh", { args: ["--yes"], rules: [{ match: "aws * s3api head-bucket *", exit: 254 }] });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([
      CREDENTIALS,
      `${AWS} s3api head-bucket --bucket ${P}-tfstate-582719176192-us-west-2`,
      `cdktf deploy ${P}-state --auto-approve`,
      `cdktf deploy ${P}-network ${P}-eks ${P}-ecr ${P}-cert --ignore-missing-stack-dependencies --auto-approve`,
    ]);
    // one progress line per step, with the elapsed time
    expect(r.stderr).toMatch(/^==> \[00:0\d\] state bootstrap: /m);
    expect(r.stderr).toMatch(/^==> \[00:0\d\] deploy-infra: done$/m);
  });

  // A prefix of their own: these two tests create and remove the bootstrap state file in the
  // project root, which must never be a real one.
  const T = "scripts-test";
  const TEST_STATE_FILE = path.join(ROOT, `terraform.${T}-state.tfstate`);

  test("skips the bootstrap when the bucket exists and its state file is not in this checkout", () => {
    rmSync(TEST_STATE_FILE, { force: true });
    const r = runScript("deploy-infra.sh", { args: ["--yes"], env: { FACTORY_STACK_PREFIX: T } });
    expect(r.status).toBe(0);
    expect(callsOf(r, "cdktf")).toEqual([`cdktf deploy ${T}-network ${T}-eks ${T}-ecr ${T}-cert --ignore-missing-stack-dependencies --auto-approve`]);
    expect(r.stderr).toContain("nothing to do");
  });

  test("re-applies the bootstrap stack when its state file is here (idempotent converge)", () => {
    writeFileSync(TEST_STATE_FILE, "{}");
    try {
      const r = runScript("deploy-infra.sh", { args: ["--yes"], env: { FACTORY_STACK_PREFIX: T } });
      expect(r.status).toBe(0);
      expect(r.calls).not.toContain(`${AWS} s3api head-bucket --bucket ${T}-tfstate-582719176192-us-west-2`);
      expect(callsOf(r, "cdktf")[0]).toBe(`cdktf deploy ${T}-state --auto-approve`);
    } finally {
      rmSync(TEST_STATE_FILE, { force: true });
    }
  });

  test("without --yes cdktf asks for approval (no --auto-approve); CDKTF_EXTRA_FLAGS are passed on", () => {
    const r = runScript("deploy-infra.sh", { env: { CDKTF_EXTRA_FLAGS: "--skip-provider-lock --no-color" } });
    expect(r.status).toBe(0);
    expect(callsOf(r, "cdktf")).toContain(`cdktf deploy ${P}-network ${P}-eks ${P}-ecr ${P}-cert --ignore-missing-stack-dependencies --skip-provider-lock --no-color`);
  });

  test("names every missing tool on its own line and changes nothing", () => {
    const r = runScript("deploy-infra.sh", { args: ["--yes"], missing: ["aws", "terraform"] });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^deploy-infra: missing prerequisite: aws \(install the AWS CLI/m);
    expect(r.stderr).toMatch(/^deploy-infra: missing prerequisite: terraform \(install Terraform/m);
    expect(r.calls).toEqual([]);
  });

  test("refuses credentials for another account", () => {
    const r = runScript("deploy-infra.sh", { args: ["--yes"], rules: [{ match: "aws * sts get-caller-identity *", stdout: "111122223333" }] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("missing prerequisite: AWS credentials for account 582719176192; the active ones are for account 111122223333");
    expect(callsOf(r, "cdktf")).toEqual([]);
  });

  test("reports missing credentials with the profile to log in with", () => {
    const r = runScript("deploy-infra.sh", { args: ["--yes"], rules: [{ match: "aws * sts get-caller-identity *", exit: 255 }] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("aws sso login --profile ai-sandbox-administrator");
  });

  test("bad configuration stops with config.ts's one-line message before any call", () => {
    const r = runScript("deploy-infra.sh", { args: ["--yes"], env: { FACTORY_REGION: "mars-1" } });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n").pop()).toMatch(/^error: FACTORY_REGION="mars-1" is invalid: /);
    expect(r.calls).toEqual([]);
  });

  test("an empty FACTORY_AWS_PROFILE uses the default credential chain (no --profile)", () => {
    const r = runScript("deploy-infra.sh", { args: ["--yes"], env: { FACTORY_AWS_PROFILE: "" } });
    expect(r.status).toBe(0);
    expect(r.calls[0]).toBe("aws --region us-west-2 sts get-caller-identity --query Account --output text");
  });

  test("rejects unknown arguments with the usage", () => {
    const r = runScript("deploy-infra.sh", { args: ["--yse"] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown argument: --yse");
    expect(r.stderr).toContain("usage: deploy-infra.sh");
  });
});

describe("install-alb-controller", () => {
  test("deploys the add-ons stack once the cluster is active", () => {
    const r = runScript("install-alb-controller.sh", { args: ["--yes"] });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([CREDENTIALS, CLUSTER, `cdktf deploy ${P}-addons --ignore-missing-stack-dependencies --auto-approve`]);
  });

  test("refuses without a cluster", () => {
    const r = runScript("install-alb-controller.sh", { args: ["--yes"], rules: [{ match: "aws * eks describe-cluster *", exit: 254 }] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("EKS cluster attractor-factory-eks is not found, not ACTIVE (run deploy-infra first)");
    expect(callsOf(r, "cdktf")).toEqual([]);
  });
});

describe("deploy-app", () => {
  test("checks the four images at FACTORY_IMAGE_TAG, then deploys the app stack", () => {
    const r = runScript("deploy-app.sh", { args: ["--yes"], env: { FACTORY_IMAGE_TAG: "abc123" } });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([CREDENTIALS, ...IMAGES, CLUSTER, `cdktf deploy ${P}-app --ignore-missing-stack-dependencies --auto-approve`]);
  });

  test("refuses without FACTORY_IMAGE_TAG", () => {
    const r = runScript("deploy-app.sh", { args: ["--yes"] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("missing prerequisite: FACTORY_IMAGE_TAG");
    expect(callsOf(r, "cdktf")).toEqual([]);
  });

  test("refuses a tag whose image is not in ECR", () => {
    const r = runScript("deploy-app.sh", {
      args: ["--yes"],
      env: { FACTORY_IMAGE_TAG: "abc123" },
      rules: [{ match: `aws * ecr describe-images --repository-name ${P}/factory-web *`, exit: 254 }],
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`image ${P}/factory-web:abc123 is not in ECR`);
    expect(callsOf(r, "cdktf")).toEqual([]);
  });
});

describe("publish-dns", () => {
  test("waits for the ALB to be active, then deploys dns", () => {
    const r = runScript("publish-dns.sh", {
      args: ["--yes", "--poll-interval", "0"],
      rules: [
        { match: "aws * elbv2 describe-load-balancers *", stdout: "None", uses: 1 },
        { match: "aws * elbv2 describe-load-balancers *", stdout: "provisioning", uses: 1 },
      ],
    });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([CREDENTIALS, ALB, ALB, ALB, `cdktf deploy ${P}-dns --ignore-missing-stack-dependencies --auto-approve`]);
    expect(r.stderr).toContain("not created yet; waiting");
    expect(r.stderr).toContain("provisioning; waiting");
  });

  test("gives up after --wait-timeout with a clear message", () => {
    const r = runScript("publish-dns.sh", {
      args: ["--yes", "--wait-timeout", "0", "--poll-interval", "0"],
      rules: [{ match: "aws * elbv2 describe-load-balancers *", stdout: "None" }],
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`timed out after 0s waiting for load balancer ${P}-alb (state: not created)`);
    expect(callsOf(r, "cdktf")).toEqual([]);
  });
});

describe("deploy-all", () => {
  test("runs the bootstrap, then one deploy of every other stack, which cdktf orders", () => {
    const r = runScript("deploy-all.sh", { args: ["--yes"], env: { FACTORY_IMAGE_TAG: "abc123" } });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    // the bucket exists (default answer): the bootstrap runs only where its state file is
    const bootstrap = existsSync(STATE_FILE)
      ? [`cdktf deploy ${P}-state --auto-approve`]
      : [`${AWS} s3api head-bucket --bucket ${P}-tfstate-582719176192-us-west-2`];
    expect(r.calls).toEqual([
      CREDENTIALS,
      ...IMAGES,
      ...bootstrap,
      `cdktf deploy ${P}-network ${P}-eks ${P}-ecr ${P}-cert ${P}-addons ${P}-app ${P}-dns --ignore-missing-stack-dependencies --auto-approve`,
    ]);
  });

  test("stops at the first failure and names the step", () => {
    const r = runScript("deploy-all.sh", {
      args: ["--yes"],
      env: { FACTORY_IMAGE_TAG: "abc123" },
      rules: [{ match: `cdktf deploy ${P}-network *`, exit: 1 }],
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^deploy-all: FAILED at step "deploy attractor-factory-network .* \(in dependency order\)" after \d\d:\d\d \(exit 1\)$/m);
    expect(r.stderr).not.toContain("deploy-all: done");
  });

  test("a failed bootstrap stops before the stacks, naming the bootstrap step", () => {
    const r = runScript("deploy-all.sh", {
      args: ["--yes"],
      env: { FACTORY_IMAGE_TAG: "abc123" },
      rules: [{ match: "aws * s3api head-bucket *", exit: 254 }, { match: `cdktf deploy ${P}-state *`, exit: 1 }],
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^deploy-all: FAILED at step "state bootstrap: .*" after \d\d:\d\d \(exit 1\)$/m);
    expect(callsOf(r, "cdktf")).toEqual([`cdktf deploy ${P}-state --auto-approve`]);
  });

  test("honours the stack prefix and region from the configuration", () => {
    const r = runScript("deploy-all.sh", {
      args: ["--yes"],
      env: { FACTORY_IMAGE_TAG: "abc123", FACTORY_STACK_PREFIX: "af-test", FACTORY_REGION: "eu-west-1", FACTORY_AWS_PROFILE: "" },
    });
    expect(r.status).toBe(0);
    expect(callsOf(r, "cdktf")).toContain("cdktf deploy af-test-network af-test-eks af-test-ecr af-test-cert af-test-addons af-test-app af-test-dns --ignore-missing-stack-dependencies --auto-approve");
    expect(r.calls).toContain("aws --region eu-west-1 ecr describe-images --repository-name af-test/factory-api --image-ids imageTag=abc123");
  });
});
