/**
 * How adoption (scripts/engine/adopt.ts) picks the objects an interrupted apply left, and how the
 * tainted objects it left are read from the state (scripts/engine/stack-backend.ts) and judged whole
 * or not. The verbs themselves, with real Terraform against the local AWS API, are the e2e's.
 */
import { AdoptionError, findAdoptions, health, Plan, ResourceChange } from "../../../scripts/engine/adopt";
import { taintedObjects } from "../../../scripts/engine/stack-backend";
import { create, fakeAws } from "../plan-fixtures";

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
