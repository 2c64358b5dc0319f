/**
 * deploy-infra, deploy-addons (install-alb-controller), deploy-app, publish-dns and deploy-all: their prerequisite
 * checks and their exact plan of calls, with stand-in executables (harness.ts).
 */
import * as path from "path";
import { writeFileSync } from "fs";
import { AWS, ROOT, appCheckout, callsOf, runScript } from "../harness";

/** scripts/platform-engine.ts as the verbs call it (its stand-in records the call). */
const OUT = path.join(ROOT, "cdktf.out");
const apply = (...stacks: string[]) => `engine apply --outdir ${OUT} --yes ${stacks.join(" ")}`;

const P = "attractor-factory";
/** What deploy-infra deploys, in the stack list's order: written out, so that a stack left out of DEPLOYED_BY fails here. */
const INFRA_SHORT = ["state", "network", "eks", "ecr", "cert", "backup", "monitoring"];
const INFRA_STACKS = INFRA_SHORT.map((s) => `${P}-${s}`);
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
    expect(r.calls).toEqual([CREDENTIALS, apply(...INFRA_STACKS)]);
    // one progress line per step, with the elapsed time
    expect(r.stderr).toMatch(/^==> \[00:0\d\] apply attractor-factory-state, then /m);
    expect(r.stderr).toMatch(/^==> \[00:0\d\] deploy-infra: done$/m);
  });

  test("without --yes the runner asks for approval (no --yes passed on); --outdir=DIR is passed on", () => {
    const r = runScript("deploy-infra.sh", { args: ["--outdir=/tmp/elsewhere/cdktf.out"] });
    expect(r.status).toBe(0);
    expect(callsOf(r, "engine")).toContain(`engine apply --outdir /tmp/elsewhere/cdktf.out ${INFRA_STACKS.join(" ")}`);
  });

  test("a failed stack: exit 1, and the last line names the step", () => {
    const r = runScript("deploy-infra.sh", { args: ["--yes"], rules: [{ match: `engine apply * ${P}-network *`, exit: 1 }] });
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
    expect(callsOf(r, "engine")).toEqual([]);
  });

  test("reports missing credentials with the profile to log in with", () => {
    const r = runScript("deploy-infra.sh", { args: ["--yes"], rules: [{ match: "aws * sts get-caller-identity *", exit: 255 }] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("aws sso login --profile ai-sandbox-administrator");
  });

  test("bad configuration stops with config/index.ts's one-line message before any call", () => {
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

describe("deploy-addons (alias: install-alb-controller, the spec's name)", () => {
  test.each(["deploy-addons", "install-alb-controller"])("%s deploys the add-ons stack once the cluster is active", (verb) => {
    const r = runScript(`${verb}.sh`, { args: ["--yes"] });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([CREDENTIALS, CLUSTER, apply(`${P}-addons`)]);
  });

  test.each(["deploy-addons", "install-alb-controller"])("%s refuses without a cluster", (verb) => {
    const r = runScript(`${verb}.sh`, { args: ["--yes"], rules: [{ match: "aws * eks describe-cluster *", exit: 254 }] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("EKS cluster attractor-factory-eks is not found, not ACTIVE (run deploy-infra first)");
    expect(callsOf(r, "engine")).toEqual([]);
  });

  test.each(["deploy-addons", "install-alb-controller"])("%s names itself in its usage and last line", (verb) => {
    const usage = runScript(`${verb}.sh`, { args: ["--help"] });
    expect(usage.stdout + usage.stderr).toContain(`usage: ${verb}.sh [--yes]`);
    const r = runScript(`${verb}.sh`, { args: ["--yes"] });
    expect(r.stderr.trim().split("\n").pop()).toMatch(new RegExp(`\\] ${verb}: done$`));
  });
});

const KUBECONFIG = `${AWS} eks update-kubeconfig --name attractor-factory-eks --alias attractor-factory-eks`;
const KUBECTL = "kubectl --context attractor-factory-eks -n factory-system";
const CLAIM = (store: string, field: "spec" | "status" = "spec") =>
  `${KUBECTL} get pvc data-${store}-0 --ignore-not-found -o jsonpath={.${field === "spec" ? "spec.resources.requests" : "status.capacity"}.storage}`;
const STORES = ["postgres", "redis", "minio"];
/** The claims as the StatefulSets made them, at the default sizes. */
const CLAIMS = [
  { match: `${CLAIM("postgres")}`, stdout: "20Gi" },
  { match: `${CLAIM("redis")}`, stdout: "5Gi" },
  { match: `${CLAIM("minio")}`, stdout: "50Gi" },
];

describe("deploy-app", () => {
  test("checks the four images at FACTORY_IMAGE_TAG and that no volume would shrink, deploys the app stack, then the volumes", () => {
    const r = runScript("deploy-app.sh", { args: ["--yes"], env: { FACTORY_IMAGE_TAG: "abc123" }, rules: CLAIMS });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([CREDENTIALS, ...IMAGES, CLUSTER, KUBECONFIG, ...STORES.map((s) => CLAIM(s)), apply(`${P}-app`), ...STORES.map((s) => CLAIM(s))]);
    expect(r.stderr).toContain("postgres: claim data-postgres-0 is 20Gi");
  });

  test("a first deploy: no claims yet, each is created at its size", () => {
    const r = runScript("deploy-app.sh", { args: ["--yes"], env: { FACTORY_IMAGE_TAG: "abc123" } });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("minio: no claim data-minio-0 yet (its StatefulSet makes it when the pod starts)");
  });

  test("a larger FACTORY_POSTGRES_STORAGE grows the claim in place and waits for the volume; the StatefulSet is not touched", () => {
    const r = runScript("deploy-app.sh", {
      args: ["--yes", "--poll-interval", "0"],
      env: { FACTORY_IMAGE_TAG: "abc123", FACTORY_POSTGRES_STORAGE: "30Gi" },
      rules: [{ match: CLAIM("postgres", "status"), stdout: "20Gi", uses: 2 }, { match: CLAIM("postgres", "status"), stdout: "30Gi" }, ...CLAIMS],
    });
    expect(r.status).toBe(0);
    expect(callsOf(r, "kubectl")).toContain(`${KUBECTL} patch pvc data-postgres-0 --type merge -p {"spec":{"resources":{"requests":{"storage":"30Gi"}}}}`);
    expect(callsOf(r, "kubectl").filter((c) => c.includes("patch"))).toHaveLength(1);
    expect(callsOf(r, "kubectl").filter((c) => c === CLAIM("postgres", "status"))).toHaveLength(3);
    expect(r.stderr).toContain("postgres: growing claim data-postgres-0 from 20Gi to 30Gi (online; the store keeps running)");
    expect(r.stderr).toMatch(/postgres: claim data-postgres-0 is 30Gi\n/);
    expect(callsOf(r, "kubectl").join("\n")).not.toMatch(/statefulset|delete/);
  });

  test("a volume that does not grow in time: exit 1 naming the claim and what to look at", () => {
    const r = runScript("deploy-app.sh", {
      args: ["--yes", "--poll-interval", "0", "--wait-timeout", "0"],
      env: { FACTORY_IMAGE_TAG: "abc123", FACTORY_MINIO_STORAGE: "1Ti" },
      rules: [{ match: CLAIM("minio", "status"), stdout: "50Gi" }, ...CLAIMS],
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n").slice(-2)[0]).toContain(
      "claim data-minio-0 asks for 1Ti but its volume is still 50Gi after 0s (kubectl -n factory-system describe pvc data-minio-0;",
    );
  });

  test("a claim size the verb cannot compare stops it before any change, showing the size", () => {
    const r = runScript("deploy-app.sh", {
      args: ["--yes"],
      env: { FACTORY_IMAGE_TAG: "abc123" },
      rules: [{ match: CLAIM("postgres"), stdout: "20G" }, ...CLAIMS],
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("claim data-postgres-0 has a size this verb cannot compare: 20G (expected a whole number of Mi, Gi or Ti)");
    expect(callsOf(r, "engine")).toEqual([]);
  });

  test("a smaller size setting is refused before any change (exit 2): a volume cannot shrink", () => {
    const r = runScript("deploy-app.sh", { args: ["--yes"], env: { FACTORY_IMAGE_TAG: "abc123", FACTORY_REDIS_STORAGE: "4Gi" }, rules: CLAIMS });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("FACTORY_REDIS_STORAGE=4Gi is smaller than redis's claim data-redis-0 (5Gi): a volume cannot shrink; set it to 5Gi or more");
    expect(callsOf(r, "engine")).toEqual([]);
  });

  test("a claim that cannot be read stops the verb before any change, with kubectl's message", () => {
    const r = runScript("deploy-app.sh", {
      args: ["--yes"],
      env: { FACTORY_IMAGE_TAG: "abc123" },
      rules: [{ match: CLAIM("postgres"), exit: 1, stdout: "error: You must be logged in to the server (Unauthorized)" }],
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("cannot read claim data-postgres-0 in namespace factory-system from cluster attractor-factory-eks");
    expect(callsOf(r, "engine")).toEqual([]);
  });

  test("refuses without FACTORY_IMAGE_TAG", () => {
    const r = runScript("deploy-app.sh", { args: ["--yes"] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("missing prerequisite: FACTORY_IMAGE_TAG");
    expect(callsOf(r, "engine")).toEqual([]);
  });

  test("refuses a tag whose image is not in ECR", () => {
    const r = runScript("deploy-app.sh", {
      args: ["--yes"],
      env: { FACTORY_IMAGE_TAG: "abc123" },
      rules: [{ match: `aws * ecr describe-images --repository-name ${P}/factory-web *`, exit: 254 }],
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`image ${P}/factory-web:abc123 is not in ECR`);
    expect(callsOf(r, "engine")).toEqual([]);
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
    expect(callsOf(r, "engine")).toEqual([]);
  });
});

describe("deploy-all", () => {
  const INFRA = INFRA_STACKS;
  // smoke-checks (run by deploy-all) on a healthy platform.
  const HEALTHY = [
    { match: "getent hosts factory.pelx.ai", stdout: "203.0.113.10    factory.pelx.ai" },
    { match: "curl * --write-out %{http_code} *", stdout: "200" },
    { match: "kubectl * get deployments,statefulsets -o name", stdout: "deployment.apps/factory-api" },
  ];
  const summaryOf = (stderr: string) => stderr.slice(stderr.indexOf("deploy-all summary")).trim().split("\n");

  test("phases in order (infra, images, add-ons, app, dns, smoke checks), one engine run each; a published tag is not built again; a summary, then done", () => {
    const r = runScript("deploy-all.sh", { args: ["--yes"], env: { FACTORY_IMAGE_TAG: "abc123" }, rules: HEALTHY });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    expect(callsOf(r, "engine")).toEqual([apply(...INFRA), apply(`${P}-addons`), apply(`${P}-app`), apply(`${P}-dns`)]);
    expect(callsOf(r, "docker")).toEqual([]);
    expect(r.stderr).toContain("images: done before: all 4 images are in ECR");
    const summary = summaryOf(r.stderr);
    expect(summary[1]).toMatch(/^ {2}URL +https:\/\/factory\.pelx\.ai \(smoke checks passed\)$/);
    expect(summary[2]).toMatch(/^ {2}image tag +abc123 \(FACTORY_IMAGE_TAG\)$/);
    expect(summary.slice(3, 9).map((l) => l.trim().split(/\s+/)[0])).toEqual(["infra", "images", "add-ons", "app", "dns", "smoke"]);
    for (const line of summary.slice(3, 9)) expect(line).toMatch(/^ {2}\S+ +\d\d:\d\d /);
    expect(summary.pop()).toMatch(/^==> \[\d\d:\d\d\] deploy-all: done$/);
  });

  test("a new account with --source: the tag is the source's commit, the images not in ECR are built and pushed (build-push), then the add-ons", () => {
    const { dir, sha } = appCheckout();
    const r = runScript("deploy-all.sh", {
      args: ["--yes", "--source", dir],
      // missing until pushed: deploy-all's check (1 call), its count (4), build-push's own (4)
      rules: [{ match: "aws * ecr describe-images *", exit: 254, uses: 9 }, ...HEALTHY],
    });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`image tag: ${sha.slice(0, 12)} (the commit of ${dir})`);
    expect(callsOf(r, "docker").filter((c) => c.startsWith("docker push "))).toHaveLength(4);
    expect(r.stderr).toContain(`images: built and pushed 4 image(s) from ${dir}`);
    expect(callsOf(r, "engine")).toEqual([apply(...INFRA), apply(`${P}-addons`), apply(`${P}-app`), apply(`${P}-dns`)]);
  });

  test("a failure at a phase: exit 1, the summary marks it FAILED and the later ones not reached, says to run the same command again; the last line names the phase", () => {
    const r = runScript("deploy-all.sh", {
      args: ["--yes"],
      env: { FACTORY_IMAGE_TAG: "abc123" },
      rules: [{ match: `engine apply * ${P}-addons`, exit: 1 }, ...HEALTHY],
    });
    expect(r.status).toBe(1);
    const summary = summaryOf(r.stderr);
    expect(summary.find((l) => l.trim().startsWith("add-ons"))).toMatch(/FAILED \(exit 1; the reason is on the last line\)$/);
    for (const phase of ["app", "dns", "smoke"]) expect(summary.find((l) => l.trim().startsWith(phase))).toMatch(/not reached$/);
    expect(summary.find((l) => l.trim().startsWith("next"))).toContain("run the same command again: it resumes where this run stopped");
    expect(r.stderr.trim().split("\n").pop()).toMatch(/^deploy-all: FAILED at step "add-ons: apply attractor-factory-addons" after \d\d:\d\d \(exit 1\)/);
    expect(r.stderr).not.toContain("deploy-all: done");
  });

  test("images not in ECR and no --source: refused before any plan (exit 2), naming the image and --source", () => {
    const r = runScript("deploy-all.sh", {
      args: ["--yes"],
      env: { FACTORY_IMAGE_TAG: "abc123" },
      rules: [{ match: "aws * ecr describe-images *", exit: 254 }],
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n").pop()).toMatch(
      /^deploy-all: stopped before any change \(exit 2\): missing prerequisite: image attractor-factory\/factory-api:abc123 is not in ECR \(give --source DIR to build and push it/,
    );
    expect(callsOf(r, "engine")).toEqual([]);
  });

  test("a source with uncommitted changes is refused before any change (exit 2)", () => {
    const { dir } = appCheckout();
    writeFileSync(path.join(dir, "factory-web", "new.txt"), "x");
    const r = runScript("deploy-all.sh", { args: ["--yes", "--source", dir] });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n").pop()).toMatch(/^deploy-all: stopped before any change \(exit 2\): refusing to build: .* has 1 uncommitted change\(s\)/);
    expect(callsOf(r, "engine")).toEqual([]);
  });

  test("a missing tool of a later phase (kubectl for the app) stops there with exit 1 and its message, after the phases before it", () => {
    const r = runScript("deploy-all.sh", { args: ["--yes"], env: { FACTORY_IMAGE_TAG: "abc123" }, missing: ["kubectl"] });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n").pop()).toMatch(/^deploy-all: FAILED at step "app: .*" after \d\d:\d\d \(exit 1\): missing prerequisite: kubectl/);
    expect(callsOf(r, "engine")).toEqual([apply(...INFRA), apply(`${P}-addons`)]);
  });

  test("honours the stack prefix and region from the configuration", () => {
    const r = runScript("deploy-all.sh", {
      args: ["--yes"],
      env: { FACTORY_IMAGE_TAG: "abc123", FACTORY_STACK_PREFIX: "af-test", FACTORY_REGION: "eu-west-1", FACTORY_AWS_PROFILE: "" },
      rules: HEALTHY,
    });
    expect(r.status).toBe(0);
    expect(callsOf(r, "engine")[0]).toBe(apply(...INFRA_SHORT.map((s) => `af-test-${s}`)));
    expect(r.calls).toContain("aws --region eu-west-1 ecr describe-images --repository-name af-test/factory-api --image-ids imageTag=abc123");
  });
});
