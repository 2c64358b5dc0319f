/**
 * scripts/stacks.ts (the engine of the verbs) and scripts/lib/adopt.ts, in parts: ordering,
 * scheduling, plan summaries, and how adoption picks the objects an interrupted apply left.
 * The verbs themselves, with real Terraform against the local AWS API, are the e2e's.
 */
import { AwsCli } from "../../scripts/lib/aws-cli";
import { AdoptionError, findAdoptions, health, Plan, ResourceChange } from "../../scripts/lib/adopt";
import { mkdtempSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { schedule, scheduleApply, topological } from "../../scripts/lib/schedule";
import { taintedObjects } from "../../scripts/lib/stack-backend";
import { parseArgs, plannedChanges, remoteStateStacks, report, summarize, synthKey } from "../../scripts/stacks";

/** An AwsCli whose answers are looked up by the joined arguments (first matching prefix wins). */
function fakeAws(answers: Record<string, unknown>): AwsCli & { calls: string[] } {
  const calls: string[] = [];
  const aws = {
    calls,
    json(args: readonly string[]) {
      const call = args.join(" ");
      calls.push(call);
      const key = Object.keys(answers).find((k) => call.startsWith(k));
      if (key === undefined) throw new Error(`unexpected aws call: ${call}`);
      const answer = answers[key];
      if (answer instanceof Error) throw answer;
      return answer;
    },
    jsonOrUndefined(args: readonly string[]) {
      try {
        return aws.json(args);
      } catch {
        return undefined;
      }
    },
    async jsonAsync(args: readonly string[]) {
      return aws.json(args);
    },
    async jsonOrUndefinedAsync(args: readonly string[]) {
      return aws.jsonOrUndefined(args);
    },
  };
  return aws as unknown as AwsCli & { calls: string[] };
}

const create = (address: string, type: string, after: Record<string, unknown>): ResourceChange => ({
  address,
  type,
  mode: "managed",
  change: { actions: ["create"], after },
});

describe("ordering", () => {
  const deps: Record<string, string[]> = {
    network: [],
    ecr: [],
    cert: [],
    eks: ["network"],
    addons: ["eks", "network"],
    app: ["addons", "eks", "ecr", "cert"],
    dns: ["app", "cert"],
  };

  test("apply order puts every stack after the stacks it reads", async () => {
    const order = topological(["dns", "app", "addons", "eks", "ecr", "cert", "network"], (s) => deps[s]);
    for (const [stack, before] of Object.entries(deps)) for (const d of before) expect(order.indexOf(d)).toBeLessThan(order.indexOf(stack));
  });

  test("destroy order puts every stack before the stacks it reads", async () => {
    const all = Object.keys(deps);
    const dependents = (s: string) => all.filter((d) => deps[d].includes(s));
    const order = topological(all, dependents);
    for (const [stack, before] of Object.entries(deps)) for (const d of before) expect(order.indexOf(d)).toBeGreaterThan(order.indexOf(stack));
  });

  test("a dependency cycle is an error, not a hang", async () => {
    expect(() => topological(["a", "b"], (s) => (s === "a" ? ["b"] : ["a"]))).toThrow(/dependency cycle/);
  });
});

describe("schedule", () => {
  const deps: Record<string, string[]> = { network: [], ecr: [], cert: [], eks: ["network"] };

  test("independent stacks go side by side; eks starts only after network succeeded", async () => {
    const events: string[] = [];
    let running = 0;
    let most = 0;
    const outcomes = await schedule(
      ["network", "ecr", "cert", "eks"],
      (s) => deps[s],
      3,
      async (s) => {
        running++;
        most = Math.max(most, running);
        events.push(`start ${s}`);
        await new Promise((r) => setTimeout(r, s === "network" ? 30 : 5));
        events.push(`end ${s}`);
        running--;
        return { stack: s, ok: true, text: "applied" };
      },
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(most).toBe(3);
    expect(events.indexOf("start eks")).toBeGreaterThan(events.indexOf("end network"));
  });

  test("a failure starts nothing new and names what was not started", async () => {
    const started: string[] = [];
    const outcomes = await schedule(
      ["network", "eks"],
      (s) => deps[s],
      3,
      async (s) => {
        started.push(s);
        return { stack: s, ok: s !== "network", text: s === "network" ? "terraform exit 1" : "applied" };
      },
    );
    expect(started).toEqual(["network"]);
    expect(outcomes).toEqual([
      { stack: "network", ok: false, text: "terraform exit 1" },
      { stack: "eks", ok: false, text: "not started (an earlier stack failed)" },
    ]);
  });

  test("a thrown error is that stack's failure, with its message", async () => {
    const outcomes = await schedule(
      ["ecr"],
      () => [],
      1,
      async () => {
        throw new Error("aws s3api head-object failed (exit 255): could not connect");
      },
    );
    expect(outcomes).toEqual([{ stack: "ecr", ok: false, text: "aws s3api head-object failed (exit 255): could not connect" }]);
  });
});

describe("apply schedule", () => {
  // eks reads network's outputs; every stack comes after state (ordering only).
  const reads: Record<string, string[]> = { state: [], network: [], ecr: [], eks: ["network"] };
  const after: Record<string, string[]> = { state: [], network: ["state"], ecr: ["state"], eks: ["state", "network"] };
  const order = ["state", "network", "ecr", "eks"];

  async function run(planAhead: boolean, changes: Record<string, boolean>, failPlan?: string) {
    const events: string[] = [];
    const outcomes = await scheduleApply(
      order,
      { reads: (s) => reads[s], after: (s) => after[s], planAhead },
      4,
      async (s) => {
        events.push(`plan ${s}`);
        await new Promise((r) => setTimeout(r, s === "state" ? 20 : 5));
        events.push(`planned ${s}`);
        if (s === failPlan) return { stack: s, done: { stack: s, ok: false, text: "terraform plan exit 1" } };
        return changes[s] ? { stack: s, t0: 0 } : { stack: s, done: { stack: s, ok: true, text: "no changes" } };
      },
      async (p) => {
        events.push(`apply ${p.stack}`);
        return { stack: p.stack, ok: true, changed: true, text: "applied" };
      },
    );
    return { events, outcomes };
  }

  test("with the bucket in place, an ordering-only dependency does not hold a plan back: a re-run plans state, network and ecr side by side", async () => {
    const { events } = await run(true, {});
    expect(events.slice(0, 3)).toEqual(["plan state", "plan network", "plan ecr"]);
    expect(events.indexOf("plan eks")).toBeGreaterThan(events.indexOf("planned network"));
  });

  test("a stack is applied only after every stack it comes after is done, and planned only after the stacks it reads", async () => {
    const { events, outcomes } = await run(true, { state: true, network: true, eks: true });
    expect(events.indexOf("apply network")).toBeGreaterThan(events.indexOf("apply state"));
    expect(events.indexOf("plan eks")).toBeGreaterThan(events.indexOf("apply network"));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true]);
  });

  test("without the bucket (a new account) nothing is planned before the state bucket's stack is applied", async () => {
    const { events } = await run(false, { state: true, network: true, ecr: true, eks: true });
    expect(events.indexOf("plan network")).toBeGreaterThan(events.indexOf("apply state"));
    expect(events.indexOf("plan ecr")).toBeGreaterThan(events.indexOf("apply state"));
  });

  test("a new account: the other stacks are planned and applied as soon as the bucket is ready, while its own stack is still being applied", async () => {
    const events: string[] = [];
    let ready = () => {};
    const bucket = new Promise<void>((r) => (ready = r));
    await scheduleApply(
      order,
      { reads: (s) => reads[s], after: (s) => after[s], planAhead: bucket, usableEarly: (s) => s === "state" },
      4,
      async (s) => {
        events.push(`plan ${s}`);
        return { stack: s, t0: 0 };
      },
      async (p) => {
        events.push(`apply ${p.stack}`);
        if (p.stack === "state") {
          await new Promise((r) => setTimeout(r, 5));
          ready();
          await new Promise((r) => setTimeout(r, 30)); // the lifecycle rules' wait
          events.push("applied state");
        }
        return { stack: p.stack, ok: true, changed: true, text: "applied" };
      },
    );
    expect(events.slice(0, 2)).toEqual(["plan state", "apply state"]);
    expect(events.indexOf("plan network")).toBeGreaterThan(events.indexOf("apply state"));
    expect(events.indexOf("apply network")).toBeLessThan(events.indexOf("applied state"));
    expect(events.indexOf("apply eks")).toBeLessThan(events.indexOf("applied state"));
    expect(events.indexOf("plan eks")).toBeGreaterThan(events.indexOf("apply network"));
  });

  test("a re-run (the bucket exists): nothing is applied before the bucket's own stack is planned and done (the guard sees it first)", async () => {
    const events: string[] = [];
    await scheduleApply(
      order,
      { reads: (s) => reads[s], after: (s) => after[s], planAhead: true, usableEarly: (s) => s === "state" },
      4,
      async (s) => {
        events.push(`plan ${s}`);
        if (s === "state") await new Promise((r) => setTimeout(r, 20));
        return { stack: s, t0: 0 };
      },
      async (p) => {
        events.push(`apply ${p.stack}`);
        return { stack: p.stack, ok: true, changed: true, text: "applied" };
      },
    );
    expect(events.indexOf("apply network")).toBeGreaterThan(events.indexOf("apply state"));
    expect(events.indexOf("apply ecr")).toBeGreaterThan(events.indexOf("apply state"));
  });

  test("before the bucket is ready, nothing is planned or applied after its stack", async () => {
    const events: string[] = [];
    await scheduleApply(
      order,
      { reads: (s) => reads[s], after: (s) => after[s], planAhead: new Promise<void>(() => {}), usableEarly: (s) => s === "state" },
      4,
      async (s) => {
        events.push(`plan ${s}`);
        return { stack: s, t0: 0 };
      },
      async (p) => {
        events.push(`apply ${p.stack}`);
        if (p.stack === "state") await new Promise((r) => setTimeout(r, 20));
        events.push(`applied ${p.stack}`);
        return { stack: p.stack, ok: true, changed: true, text: "applied" };
      },
    );
    expect(events.slice(0, 3)).toEqual(["plan state", "apply state", "applied state"]);
  });

  test("a free slot goes to the longest chain of work: eks (the heaviest stack) is planned as soon as network is, before ecr and cert", async () => {
    const weights: Record<string, number> = { state: 7, network: 16, ecr: 8, cert: 3, eks: 25 };
    const stacks = ["state", "network", "ecr", "cert", "eks"];
    const events: string[] = [];
    await scheduleApply(
      stacks,
      {
        reads: (s) => (s === "eks" ? ["network"] : []),
        after: (s) => (s === "state" ? [] : s === "eks" ? ["state", "network"] : ["state"]),
        planAhead: true,
        weight: (s) => weights[s],
      },
      2,
      async (s) => {
        events.push(`plan ${s}`);
        await new Promise((r) => setTimeout(r, s === "state" ? 30 : 5));
        return { stack: s, done: { stack: s, ok: true, text: "no changes" } };
      },
      async () => ({ stack: "?", ok: true, text: "applied" }),
    );
    expect(events.slice(0, 3)).toEqual(["plan state", "plan network", "plan eks"]);
    expect(events.indexOf("plan ecr")).toBeGreaterThan(events.indexOf("plan eks"));
  });

  test("a failed plan stops the run: nothing is applied after it, and the outcome names it", async () => {
    const { events, outcomes } = await run(true, { state: true, network: true, eks: true }, "network");
    expect(events).not.toContain("apply network");
    expect(events).not.toContain("plan eks");
    expect(outcomes.find((o) => o.stack === "network")).toEqual({ stack: "network", ok: false, text: "terraform plan exit 1" });
    expect(outcomes.find((o) => o.stack === "eks")!.ok).toBe(false);
  });
});

describe("arguments", () => {
  test("verbs, stacks and options", async () => {
    const o = parseArgs(["apply", "--yes", "--outdir", "/tmp/x/cdktf.out", "a", "b"]);
    expect([o.verb, o.yes, o.outdir, o.stacks]).toEqual(["apply", true, "/tmp/x/cdktf.out", ["a", "b"]]);
    expect(parseArgs(["destroy", "--no-refresh", "dns", "dns", "app"]).noRefresh.has("dns")).toBe(true);
  });

  test("apply takes --allow-replace ADDRESS, repeatable; plan takes --show", () => {
    const o = parseArgs(["apply", "--allow-replace", "aws_vpc.a", "--allow-replace", "eks:aws_eks_cluster.b", "network"]);
    expect([...o.allowReplace]).toEqual(["aws_vpc.a", "eks:aws_eks_cluster.b"]);
    expect(o.stacks).toEqual(["network"]);
    const p = parseArgs(["plan", "--show", "eks"]);
    expect([p.verb, p.show, p.stacks]).toEqual(["plan", true, ["eks"]]);
  });

  test.each([
    [["deploy", "a"], /unknown verb "deploy"/],
    [["apply"], /name at least one stack/],
    [["apply", "--yse", "a"], /unknown option --yse/],
    [["unlock", "a", "b"], /unlock takes one stack/],
  ])("bad usage %j is refused", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

test("the plan summary counts creates, in-place updates, destroys (a replacement is both) and imports", async () => {
  const plan: Plan = {
    resource_changes: [
      create("aws_vpc.a", "aws_vpc", {}),
      { address: "aws_subnet.b", type: "aws_subnet", change: { actions: ["update"] } },
      { address: "aws_eip.c", type: "aws_eip", change: { actions: ["delete", "create"] } },
      { address: "aws_iam_role.d", type: "aws_iam_role", change: { actions: ["no-op"], importing: { id: "d" } } as never },
      { address: "data.aws_region.e", type: "aws_region", mode: "data", change: { actions: ["read"] } },
    ],
  };
  expect(summarize(plan)).toBe("2 to add, 1 to change, 1 to destroy, 1 to import");
});

describe("adoption", () => {
  test("named objects that exist are adopted with the provider's import id", async () => {
    const aws = fakeAws({
      "eks describe-cluster --name attractor-factory-eks": { cluster: { status: "ACTIVE" } },
      "iam get-role --role-name attractor-factory-eks-node": { Role: {} },
      "iam list-attached-role-policies --role-name attractor-factory-eks-node": {
        AttachedPolicies: [{ PolicyArn: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy" }],
      },
      "eks describe-addon --cluster-name attractor-factory-eks --addon-name vpc-cni": new Error("ResourceNotFoundException"),
    });
    const plan: Plan = {
      resource_changes: [
        create("aws_eks_cluster.c", "aws_eks_cluster", { name: "attractor-factory-eks" }),
        create("aws_iam_role.r", "aws_iam_role", { name: "attractor-factory-eks-node" }),
        create("aws_iam_role_policy_attachment.p", "aws_iam_role_policy_attachment", {
          role: "attractor-factory-eks-node",
          policy_arn: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
        }),
        create("aws_eks_addon.a", "aws_eks_addon", { cluster_name: "attractor-factory-eks", addon_name: "vpc-cni" }),
      ],
    };
    expect(await findAdoptions(plan, aws, "attractor-factory-eks")).toEqual([
      { address: "aws_eks_cluster.c", id: "attractor-factory-eks" },
      { address: "aws_iam_role.r", id: "attractor-factory-eks-node" },
      { address: "aws_iam_role_policy_attachment.p", id: "attractor-factory-eks-node/arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy" },
    ]);
  });

  test("unnamed objects are found by the planned tags plus the stack's tag; those the state holds are never adopted", async () => {
    const aws = fakeAws({ "ec2 describe-vpcs": { Vpcs: [{ VpcId: "vpc-orphan" }, { VpcId: "vpc-in-state" }] } });
    const plan: Plan = {
      resource_changes: [create("aws_vpc.v", "aws_vpc", { tags_all: { Name: "attractor-factory-vpc" } })],
      prior_state: { values: { root_module: { resources: [{ values: { id: "vpc-in-state" } }] } } },
    };
    expect(await findAdoptions(plan, aws, "attractor-factory-network")).toEqual([{ address: "aws_vpc.v", id: "vpc-orphan" }]);
    expect(aws.calls).toEqual(["ec2 describe-vpcs --filters Name=tag:Name,Values=attractor-factory-vpc Name=tag:Stack,Values=attractor-factory-network"]);
  });

  test("a value that comes from another resource being created (an inline policy's role) is taken from that resource, so one pass finds both", async () => {
    const aws = fakeAws({
      "iam get-role --role-name r1": { Role: {} },
      "iam get-role-policy --role-name r1 --policy-name p1": { PolicyName: "p1" },
    });
    const plan: Plan = {
      resource_changes: [create("aws_iam_role.r", "aws_iam_role", { name: "r1" }), create("aws_iam_role_policy.p", "aws_iam_role_policy", { name: "p1" })],
      configuration: {
        root_module: { resources: [{ address: "aws_iam_role_policy.p", expressions: { role: { references: ["aws_iam_role.r.id", "aws_iam_role.r"] } } }] },
      },
    };
    expect(await findAdoptions(plan, aws, "s")).toEqual([
      { address: "aws_iam_role.r", id: "r1" },
      { address: "aws_iam_role_policy.p", id: "r1:p1" },
    ]);
  });

  test("two candidates for one resource stop the verb with both ids, instead of guessing", async () => {
    const aws = fakeAws({
      "resourcegroupstaggingapi get-resources": {
        ResourceTagMappingList: [{ ResourceARN: "arn:aws:kms:us-west-2:1:key/k1" }, { ResourceARN: "arn:aws:kms:us-west-2:1:key/k2" }],
      },
      "kms describe-key": { KeyMetadata: { KeyState: "Enabled" } },
    });
    const plan: Plan = { resource_changes: [create("aws_kms_key.k", "aws_kms_key", {})] };
    await expect(findAdoptions(plan, aws, "attractor-factory-eks")).rejects.toThrow(AdoptionError);
    await expect(findAdoptions(plan, aws, "attractor-factory-eks")).rejects.toThrow(/aws_kms_key\.k: 2 existing objects match \(k1, k2\)/);
  });

  test("a KMS key pending deletion (left by an earlier destroy) is not adopted", async () => {
    const aws = fakeAws({
      "resourcegroupstaggingapi get-resources": { ResourceTagMappingList: [{ ResourceARN: "arn:aws:kms:us-west-2:1:key/old" }] },
      "kms describe-key --key-id old": { KeyMetadata: { KeyState: "PendingDeletion" } },
    });
    expect(await findAdoptions({ resource_changes: [create("aws_kms_key.k", "aws_kms_key", {})] }, aws, "s")).toEqual([]);
  });

  test("only creates are looked up: updates and replacements are Terraform's to make", async () => {
    const aws = fakeAws({});
    const plan: Plan = { resource_changes: [{ address: "aws_vpc.v", type: "aws_vpc", change: { actions: ["update"], after: { tags_all: {} } } }] };
    expect(await findAdoptions(plan, aws, "s")).toEqual([]);
    expect(aws.calls).toEqual([]);
  });
});

describe("tainted objects", () => {
  const tainted = (type: string, before: Record<string, unknown>): ResourceChange => ({
    address: `${type}.x`,
    type,
    change: { actions: ["delete", "create"], before },
  });

  test("a cluster still CREATING is pending (waited for), ACTIVE is healthy, FAILED is not", async () => {
    for (const [status, expected] of [
      ["CREATING", "pending"],
      ["ACTIVE", "healthy"],
      ["FAILED", "unhealthy"],
    ]) {
      const aws = fakeAws({ "eks describe-cluster --name c": { cluster: { status } } });
      expect(await health(tainted("aws_eks_cluster", { name: "c" }), aws)).toEqual({ health: expected, status });
    }
  });

  test("the tainted objects are read from the state itself (address, type, attributes); data sources and whole objects are not", () => {
    const state = JSON.stringify({
      version: 4,
      resources: [
        {
          mode: "managed",
          type: "aws_kms_key",
          name: "cluster_secrets-key_1ED7DE39",
          instances: [{ status: "tainted", attributes: { id: "k-1", key_id: "k-1" } }],
        },
        {
          mode: "managed",
          type: "aws_eip",
          name: "nat",
          instances: [
            { index_key: 0, attributes: { id: "e-0" } },
            { index_key: 1, status: "tainted", attributes: { id: "e-1" } },
          ],
        },
        { mode: "data", type: "aws_caller_identity", name: "me", instances: [{ status: "tainted", attributes: {} }] },
      ],
    });
    expect(taintedObjects(state)).toEqual([
      { address: "aws_kms_key.cluster_secrets-key_1ED7DE39", type: "aws_kms_key", attributes: { id: "k-1", key_id: "k-1" } },
      { address: "aws_eip.nat[1]", type: "aws_eip", attributes: { id: "e-1" } },
    ]);
  });

  test("an object without a status that the refresh found is whole; one the refresh lost is not", async () => {
    const aws = fakeAws({});
    expect((await health(tainted("aws_route_table", { id: "rtb-1" }), aws)).health).toBe("healthy");
    expect((await health({ ...tainted("aws_route_table", {}), change: { actions: ["create"], before: null } }, aws)).health).toBe("unhealthy");
  });
});

describe("prerequisites", () => {
  test("a stack must wait only for the stacks whose outputs it reads (remote state), not for ordering-only dependencies", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stacks-test-"));
    const remote = (stack: string) => ({ backend: "s3", config: { bucket: "b", key: `${stack}/terraform.tfstate` } });
    writeFileSync(
      path.join(dir, "cdk.tf.json"),
      JSON.stringify({
        data: { terraform_remote_state: { "cross-stack-reference-input-p-cert": remote("p-cert"), "cross-stack-reference-input-p-eks": remote("p-eks") } },
      }),
    );
    expect(remoteStateStacks(dir)).toEqual(["p-cert", "p-eks"]);
    writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify({ resource: {} }));
    expect(remoteStateStacks(dir)).toEqual([]);
  });
});

describe("synth reuse", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "synth-key-"));
  writeFileSync(path.join(root, "main.ts"), "app");
  writeFileSync(path.join(root, "versions.yaml"), "a: 1");

  test("the same code and settings give the same key (the synth is skipped)", () => {
    expect(synthKey({ FACTORY_NODE_MIN: "2", PATH: "/x" }, root)).toBe(synthKey({ FACTORY_NODE_MIN: "2", PATH: "/y", FACTORY_RESULT_FILE: "/tmp/r" }, root));
  });

  test("a changed setting, an added setting or a changed file gives another key (the synth runs)", () => {
    const before = synthKey({ FACTORY_NODE_MIN: "2" }, root);
    expect(synthKey({ FACTORY_NODE_MIN: "3" }, root)).not.toBe(before);
    expect(synthKey({ FACTORY_NODE_MIN: "2", FACTORY_IMAGE_TAG: "abc" }, root)).not.toBe(before);
    writeFileSync(path.join(root, "versions.yaml"), "a: 2");
    expect(synthKey({ FACTORY_NODE_MIN: "2" }, root)).not.toBe(before);
  });
});

describe("adopting a node group with a generated name", () => {
  const plan = (known: string[]): Plan => ({
    resource_changes: [create("aws_eks_node_group.nodes", "aws_eks_node_group", { cluster_name: "c", node_group_name_prefix: "default-" })],
    prior_state: { values: { root_module: { resources: known.map((id) => ({ values: { id } })) } } },
  });

  test("the cluster's group with the prefix and the stack's tag that the state does not record is adopted", async () => {
    const aws = fakeAws({
      "eks describe-cluster --name c": { cluster: { name: "c" } },
      "eks list-nodegroups --cluster-name c": { nodegroups: ["default-1", "default-2", "other-3"] },
      "eks describe-nodegroup --cluster-name c --nodegroup-name default-2": { nodegroup: { nodegroupName: "default-2", tags: { Stack: "s" } } },
    });
    expect(await findAdoptions(plan(["c:default-1"]), aws, "s")).toEqual([{ address: "aws_eks_node_group.nodes", id: "c:default-2" }]);
  });

  test("a group of another stack is left alone", async () => {
    const aws = fakeAws({
      "eks describe-cluster --name c": { cluster: { name: "c" } },
      "eks list-nodegroups --cluster-name c": { nodegroups: ["default-2"] },
      "eks describe-nodegroup --cluster-name c --nodegroup-name default-2": { nodegroup: { nodegroupName: "default-2", tags: { Stack: "other" } } },
    });
    expect(await findAdoptions(plan([]), aws, "s")).toEqual([]);
  });

  test("a roll cut off after the new group was created stops the verb, naming the untracked group and how to go on", async () => {
    const rolling: Plan = {
      resource_changes: [
        {
          address: "aws_eks_node_group.nodes",
          type: "aws_eks_node_group",
          mode: "managed",
          change: { actions: ["create", "delete"], after: { cluster_name: "c", node_group_name_prefix: "default-" } },
        },
      ],
      prior_state: { values: { root_module: { resources: [{ values: { id: "c:default-1" } }] } } },
    };
    const aws = fakeAws({
      "eks describe-cluster --name c": { cluster: { name: "c" } },
      "eks list-nodegroups --cluster-name c": { nodegroups: ["default-1", "default-2"] },
      "eks describe-nodegroup --cluster-name c --nodegroup-name default-2": { nodegroup: { nodegroupName: "default-2", tags: { Stack: "s" } } },
    });
    await expect(findAdoptions(rolling, aws, "s")).rejects.toThrow(
      /a node group roll was cut off: default-2 exist\(s\) beside the group in state; delete it \(aws eks delete-nodegroup --cluster-name c --nodegroup-name default-2\)/,
    );
  });

  test("no cluster: nothing is listed, nothing adopted", async () => {
    const aws = fakeAws({ "eks describe-cluster --name c": new Error("(ResourceNotFoundException) not found") });
    expect(await findAdoptions(plan([]), aws, "s")).toEqual([]);
    expect(aws.calls.filter((c) => c.includes("list-nodegroups"))).toEqual([]);
  });
});

describe("the verdict of an apply stopped by the guard", () => {
  const quiet = <T>(f: () => T): T => {
    const write = process.stderr.write;
    process.stderr.write = (() => true) as never;
    try {
      return f();
    } finally {
      process.stderr.write = write;
    }
  };
  const blockedNetwork = { stack: "network", ok: false, blocked: true, text: "stopped by the guard: ..." };

  test("nothing changed anywhere: exit 2, like a prerequisite", () => {
    expect(
      quiet(() =>
        report("apply", [
          { stack: "state", ok: true, text: "no changes" },
          blockedNetwork,
          { stack: "eks", ok: false, text: "not started (an earlier stack failed)" },
        ]),
      ),
    ).toBe(2);
  });

  test("another stack was applied meanwhile: exit 1", () => {
    expect(
      quiet(() => report("apply", [{ stack: "ecr", ok: true, changed: true, text: "applied: 0 added, 1 changed, 0 destroyed in 3 s" }, blockedNetwork])),
    ).toBe(1);
  });
});

test("the planned changes of `terraform plan -json` (Terraform 1.11's machine-readable UI) become a plan's resource changes", () => {
  const event = (addr: string, type: string, action: string) =>
    JSON.stringify({
      "@level": "info",
      "@message": `${addr}: Plan to ${action}`,
      type: "planned_change",
      change: { resource: { addr, resource_type: type }, action },
    });
  const stdout = [
    JSON.stringify({ "@level": "info", "@message": "Terraform 1.11.4", type: "version", terraform: "1.11.4", ui: "1.2" }),
    event("aws_cloudwatch_log_group.logs", "aws_cloudwatch_log_group", "update"),
    event("aws_eks_node_group.nodes", "aws_eks_node_group", "replace"),
    event("aws_eks_access_entry.extra", "aws_eks_access_entry", "create"),
    event("data.aws_iam_policy_document.p", "aws_iam_policy_document", "read"),
    JSON.stringify({
      "@level": "info",
      "@message": "Plan: 2 to add, 1 to change, 1 to destroy.",
      type: "change_summary",
      changes: { add: 2, change: 1, remove: 1, operation: "plan" },
    }),
  ].join("\n");
  const plan = plannedChanges(stdout);
  expect(plan.resource_changes!.map((rc) => [rc.address, rc.change.actions.join(",")])).toEqual([
    ["aws_cloudwatch_log_group.logs", "update"],
    ["aws_eks_node_group.nodes", "delete,create"],
    ["aws_eks_access_entry.extra", "create"],
    ["data.aws_iam_policy_document.p", "read"],
  ]);
  expect(summarize(plan)).toBe("2 to add, 1 to change, 1 to destroy");
});
