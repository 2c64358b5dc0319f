/**
 * deploy-infra, install-alb-controller, deploy-app, publish-dns and deploy-all: their prerequisite
 * checks and their exact plan of calls, with stand-in executables (harness.ts).
 */
import * as path from "path";
import { AWS, ROOT, callsOf, runScript } from "./harness";

/** scripts/stacks.ts as the verbs call it (its stand-in records the call). */
const OUT = path.join(ROOT, "cdktf.out");
const apply = (...stacks: string[]) => `stacks apply --outdir ${OUT} --yes ${stacks.join(" ")}`;

const P = "attractor-factory";
const REPOS = ["factory-api", "factory-web", "factory-runner-controller", "factory-runner"].map((i) => `${P}/${i}`);
const CREDENTIALS = `${AWS} sts get-caller-identity --query Account --output text`;
const CLUSTER = `${AWS} eks describe-cluster --name attractor-factory-eks --query cluster.status --output text`;
const ALB = `${AWS} elbv2 describe-load-balancers --query LoadBalancers[?LoadBalancerName=='${P}-alb'].State.Code --output text`;
const IMAGES = REPOS.map((r) => `${AWS} ecr describe-images --repository-name ${r} --image-ids imageTag=abc123`);

describe("deploy-infra", () => {
  test("applies the state bucket's stack, then network, ecr, cert, backup and eks, in one run of the engine (it orders them)", () => {
    const r = runScript("deploy-infra.sh", { args: ["--yes"] });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([CREDENTIALS, apply(`${P}-state`, `${P}-network`, `${P}-ecr`, `${P}-cert`, `${P}-backup`, `${P}-eks`)]);
    // one progress line per step, with the elapsed time
    expect(r.stderr).toMatch(/^==> \[00:0\d\] apply attractor-factory-state, then /m);
    expect(r.stderr).toMatch(/^==> \[00:0\d\] deploy-infra: done$/m);
  });

  test("without --yes the runner asks for approval (no --yes passed on); --outdir=DIR is passed on", () => {
    const r = runScript("deploy-infra.sh", { args: ["--outdir=/tmp/elsewhere/cdktf.out"] });
    expect(r.status).toBe(0);
    expect(callsOf(r, "stacks")).toContain(`stacks apply --outdir /tmp/elsewhere/cdktf.out ${P}-state ${P}-network ${P}-ecr ${P}-cert ${P}-backup ${P}-eks`);
  });

  test("a failed stack: exit 1, and the last line names the step", () => {
    const r = runScript("deploy-infra.sh", { args: ["--yes"], rules: [{ match: `stacks apply * ${P}-network *`, exit: 1 }] });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n").pop()).toMatch(/^deploy-infra: FAILED at step "apply attractor-factory-state, then .*" after \d\d:\d\d \(exit 1\)$/);
    expect(r.stderr).not.toContain("deploy-infra: done");
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
    expect(callsOf(r, "stacks")).toEqual([]);
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
    expect(r.calls).toEqual([CREDENTIALS, CLUSTER, apply(`${P}-addons`)]);
  });

  test("refuses without a cluster", () => {
    const r = runScript("install-alb-controller.sh", { args: ["--yes"], rules: [{ match: "aws * eks describe-cluster *", exit: 254 }] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("EKS cluster attractor-factory-eks is not found, not ACTIVE (run deploy-infra first)");
    expect(callsOf(r, "stacks")).toEqual([]);
  });
});

describe("deploy-app", () => {
  test("checks the four images at FACTORY_IMAGE_TAG, then deploys the app stack", () => {
    const r = runScript("deploy-app.sh", { args: ["--yes"], env: { FACTORY_IMAGE_TAG: "abc123" } });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([CREDENTIALS, ...IMAGES, CLUSTER, apply(`${P}-app`)]);
  });

  test("refuses without FACTORY_IMAGE_TAG", () => {
    const r = runScript("deploy-app.sh", { args: ["--yes"] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("missing prerequisite: FACTORY_IMAGE_TAG");
    expect(callsOf(r, "stacks")).toEqual([]);
  });

  test("refuses a tag whose image is not in ECR", () => {
    const r = runScript("deploy-app.sh", {
      args: ["--yes"],
      env: { FACTORY_IMAGE_TAG: "abc123" },
      rules: [{ match: `aws * ecr describe-images --repository-name ${P}/factory-web *`, exit: 254 }],
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`image ${P}/factory-web:abc123 is not in ECR`);
    expect(callsOf(r, "stacks")).toEqual([]);
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
    expect(r.calls).toEqual([CREDENTIALS, ALB, ALB, ALB, apply(`${P}-dns`)]);
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
    expect(callsOf(r, "stacks")).toEqual([]);
  });
});

describe("deploy-all", () => {
  test("one run of the engine applies the state bucket's stack and every other stack (it orders them)", () => {
    const r = runScript("deploy-all.sh", { args: ["--yes"], env: { FACTORY_IMAGE_TAG: "abc123" } });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([
      CREDENTIALS,
      ...IMAGES,
      apply(...["state", "network", "eks", "ecr", "cert", "backup", "addons", "app", "dns"].map((s) => `${P}-${s}`)),
    ]);
  });

  test("stops at the first failure and names the step", () => {
    const r = runScript("deploy-all.sh", {
      args: ["--yes"],
      env: { FACTORY_IMAGE_TAG: "abc123" },
      rules: [{ match: `stacks apply * ${P}-network *`, exit: 1 }],
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^deploy-all: FAILED at step "apply attractor-factory-state .* \(in dependency order\)" after \d\d:\d\d \(exit 1\)$/m);
    expect(r.stderr).not.toContain("deploy-all: done");
  });

  test("honours the stack prefix and region from the configuration", () => {
    const r = runScript("deploy-all.sh", {
      args: ["--yes"],
      env: { FACTORY_IMAGE_TAG: "abc123", FACTORY_STACK_PREFIX: "af-test", FACTORY_REGION: "eu-west-1", FACTORY_AWS_PROFILE: "" },
    });
    expect(r.status).toBe(0);
    expect(callsOf(r, "stacks")).toContain(apply(...["state", "network", "eks", "ecr", "cert", "backup", "addons", "app", "dns"].map((s) => `af-test-${s}`)));
    expect(r.calls).toContain("aws --region eu-west-1 ecr describe-images --repository-name af-test/factory-api --image-ids imageTag=abc123");
  });
});
