/** destroy-all: confirmation, ingress first, bounded wait for the controller's AWS resources, stack order. */
import * as path from "path";
import { AWS, ROOT, callsOf, runScript } from "../harness";
import { STACK_SHORT_NAMES } from "../../../lib/stack-names";

const P = "attractor-factory";
const ctx = "kubectl --context attractor-factory-eks";
const ALB = `${AWS} elbv2 describe-load-balancers --query LoadBalancers[?LoadBalancerName=='${P}-alb'].State.Code --output text`;
const TGS = `${AWS} resourcegroupstaggingapi get-resources --resource-type-filters elasticloadbalancing:targetgroup --tag-filters Key=elbv2.k8s.aws/cluster,Values=attractor-factory-eks --query ResourceTagMappingList[].ResourceARN --output text`;
const SGS = `${AWS} ec2 describe-security-groups --filters Name=tag:elbv2.k8s.aws/cluster,Values=attractor-factory-eks --query SecurityGroups[].GroupId --output text`;
const GONE = [{ match: "aws * elbv2 describe-load-balancers *", stdout: "None" }];
const REPOS = ["factory-api", "factory-web", "factory-runner-controller", "factory-runner"].map((i) => `${P}/${i}`);

// Every stack but the state stack (whose bucket holds the others' state), in reverse deploy order.
const ALL = [...STACK_SHORT_NAMES]
  .reverse()
  .filter((s) => s !== "state")
  .map((s) => `${P}-${s}`);
/** One call of scripts/platform-engine.ts (its stand-in) destroys every stack; it orders them and skips those without state. */
const DESTROY = `engine destroy --outdir ${path.join(ROOT, "cdktf.out")} --yes --no-refresh ${P}-dns ${ALL.join(" ")}`;
const HAS_STATE = (short: string) => `${AWS} s3api head-object --bucket ${P}-tfstate-582719176192-us-west-2 --key ${P}-${short}/terraform.tfstate`;
const DATA_VOLUMES = `${AWS} ec2 describe-volumes --filters Name=tag-key,Values=${P}/backup --query Volumes[].VolumeId --output text`;
const NO_APP = { match: `aws * s3api head-object * --key ${P}-app/terraform.tfstate`, exit: 254 };

describe("destroy-all", () => {
  test("deletes the ingresses, waits for the ALB, TGs and SGs to go, then destroys dns..network; never state", () => {
    const r = runScript("destroy-all.sh", {
      args: ["--yes", "--poll-interval", "0"],
      rules: [
        // first poll: ALB, one TG and one SG left; second poll: only the SG; third: nothing
        { match: "aws * elbv2 describe-load-balancers *", stdout: "active", uses: 1 },
        {
          match: "aws * resourcegroupstaggingapi get-resources *",
          stdout: "arn:aws:elasticloadbalancing:us-west-2:582719176192:targetgroup/k8s-factory-api/0123",
          uses: 1,
        },
        { match: "aws * ec2 describe-security-groups *", stdout: "sg-0abc", uses: 2 },
        ...GONE,
        { match: `aws * ecr list-images --repository-name ${P}/factory-api *`, stdout: "sha256:aa\tsha256:bb\tsha256:aa", uses: 1 },
      ],
    });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([
      `${AWS} sts get-caller-identity --query Account --output text`,
      HAS_STATE("app"),
      `${AWS} eks describe-cluster --name attractor-factory-eks --query cluster.status --output text`,
      `${AWS} eks update-kubeconfig --name attractor-factory-eks --alias attractor-factory-eks`,
      `${ctx} -n factory-system delete ingress --all --ignore-not-found --wait=true --timeout=900s`,
      ALB,
      TGS,
      SGS,
      ALB,
      TGS,
      SGS,
      ALB,
      TGS,
      SGS,
      HAS_STATE("ecr"),
      `${AWS} ecr list-images --repository-name ${P}/factory-api --max-items 100 --query imageIds[].imageDigest --output text`,
      `${AWS} ecr batch-delete-image --repository-name ${P}/factory-api --image-ids imageDigest=sha256:aa imageDigest=sha256:bb`,
      ...REPOS.map((repo) => `${AWS} ecr list-images --repository-name ${repo} --max-items 100 --query imageIds[].imageDigest --output text`),
      DESTROY,
      DATA_VOLUMES,
    ]);
    expect(r.calls.join("\n")).not.toContain(`${P}-state`);
    expect(r.stderr).toContain("still there: load balancer attractor-factory-alb,target group k8s-factory-api/0123,security group sg-0abc; waiting");
    expect(r.stderr).toContain("still there: security group sg-0abc; waiting");
    expect(r.stderr).toContain(`kept: the state bucket ${P}-tfstate-582719176192-us-west-2`);
  });

  test("names the data stores' volumes it keeps (they outlive the cluster; with the vault gone they are the only copy)", () => {
    const r = runScript("destroy-all.sh", { args: ["--yes"], rules: [NO_APP, { match: "aws * ec2 describe-volumes *", stdout: "vol-0aa\tvol-0bb" }] });
    expect(r.status).toBe(0);
    expect(r.calls).toContain(DATA_VOLUMES);
    expect(r.stderr).toContain(
      "kept: the data stores' data volume(s) vol-0aa vol-0bb (the only copy of their data now; aws ec2 delete-volume --volume-id ID once not needed)",
    );
    expect(callsOf(r, "aws").some((c) => c.includes("delete-volume"))).toBe(false);
  });

  test("times out with a clear message, before destroying any stack", () => {
    const r = runScript("destroy-all.sh", {
      args: ["--yes", "--wait-timeout", "0"],
      rules: [{ match: "aws * ec2 describe-security-groups *", stdout: "sg-0abc" }, ...GONE],
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("timed out after 0s: still there: security group sg-0abc. Nothing was destroyed yet.");
    expect(r.stderr).toMatch(/FAILED at step "wait until the load balancer controller's ALB, target groups and security groups are gone"/);
    expect(callsOf(r, "engine")).toEqual([]);
  });

  test("a stuck ingress deletion (kubectl's own timeout) blames the controller's finalizer and stops before any stack is destroyed", () => {
    const r = runScript("destroy-all.sh", {
      args: ["--yes"],
      rules: [{ match: "kubectl * delete ingress *", exit: 1 }, ...GONE],
      env: { FAKE_STDERR_kubectl: "error: timed out waiting for the condition on ingresses/factory" },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("were not deleted within 900s: their finalizer waits for the AWS Load Balancer Controller");
    expect(callsOf(r, "engine")).toEqual([]);
  });

  test("without a cluster there is no ingress to delete; the stacks are still destroyed", () => {
    const r = runScript("destroy-all.sh", { args: ["--yes"], rules: [{ match: "aws * eks describe-cluster *", exit: 254 }, ...GONE] });
    expect(r.status).toBe(0);
    expect(callsOf(r, "kubectl")).toEqual([]);
    expect(callsOf(r, "engine")).toEqual([DESTROY]);
  });

  test("a partial platform (the app stack has no state): no kubectl needed or called, no ingress wait, the stacks are destroyed", () => {
    const r = runScript("destroy-all.sh", { args: ["--yes"], missing: ["kubectl"], rules: [NO_APP] });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`${P}-app has no state: no ingress, no load balancer to wait for`);
    expect(r.calls.filter((c) => /elbv2|eks describe-cluster|update-kubeconfig/.test(c))).toEqual([]);
    expect(callsOf(r, "engine")).toEqual([DESTROY]);
  });

  test("kubectl failing (not a timeout) is reported as a kubectl failure with its message", () => {
    const r = runScript("destroy-all.sh", {
      args: ["--yes"],
      rules: [{ match: "kubectl * delete ingress *", exit: 1, stdout: "" }, ...GONE],
      env: { FAKE_STDERR_kubectl: "error: You must be logged in to the server (Unauthorized)" },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      "kubectl could not delete the ingresses in factory-system: error: You must be logged in to the server (Unauthorized); nothing was destroyed",
    );
    expect(r.stderr).not.toContain("within 900s");
    expect(callsOf(r, "engine")).toEqual([]);
  });

  test("asks for the stack prefix without --yes: a wrong answer or no answer destroys nothing", () => {
    for (const input of ["yes\n", ""]) {
      const r = runScript("destroy-all.sh", { input, rules: GONE });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`Type the stack prefix (${P}) to continue:`);
      expect(r.stderr).toContain("not confirmed; nothing was destroyed");
      expect(r.calls).toEqual([`${AWS} sts get-caller-identity --query Account --output text`, HAS_STATE("app")]); // reads only
    }
  });

  test("the typed stack prefix confirms", () => {
    const r = runScript("destroy-all.sh", { input: `${P}\n`, args: ["--poll-interval", "0"], rules: GONE });
    expect(r.status).toBe(0);
    expect(callsOf(r, "engine")).toEqual([DESTROY.replace(" --yes", "")]);
  });

  test("names a missing terraform; kubectl is needed (and named) only when the app stack has state", () => {
    const r = runScript("destroy-all.sh", { args: ["--yes"], missing: ["terraform"] });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^destroy-all: missing prerequisite: terraform /m);
    expect(r.calls).toEqual([]);
    const k = runScript("destroy-all.sh", { args: ["--yes"], missing: ["kubectl"] });
    expect(k.status).toBe(2);
    expect(k.stderr).toMatch(/^destroy-all: missing prerequisite: kubectl /m);
    expect(k.calls).toEqual([`${AWS} sts get-caller-identity --query Account --output text`, HAS_STATE("app")]);
  });
});
