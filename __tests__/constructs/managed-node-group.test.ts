/** ManagedNodeGroup: EKS managed Amazon Linux 2023 nodes, a group per private subnet (zone), hardened, replaced without downtime. */
import { ManagedNodeGroup, ManagedNodeGroupProps, NODE_AMI_TYPE, NODE_ROLE_POLICIES } from "../../constructs/managed-node-group";
import { all, awsStack, only, ref, synth } from "./support";

const props: ManagedNodeGroupProps = {
  clusterName: "attractor-factory",
  launchTemplateNamePrefix: "attractor-factory-default",
  subnetIds: ["subnet-a", "subnet-b"],
  sizing: { minSize: 2, desiredSize: 4, maxSize: 6, instanceTypes: ["m6i.large"], diskSizeGiB: 50, capacityType: "ON_DEMAND" },
};

function build(overrides: Partial<ManagedNodeGroupProps> = {}) {
  const stack = awsStack();
  new ManagedNodeGroup(stack, "nodes", { ...props, ...overrides });
  const json = synth(stack);
  const groups = Object.entries(json.resource.aws_eks_node_group as Record<string, TfJsonLike>)
    .map(([key, g]): TfJsonLike => ({ ...g, key }))
    .sort((a, b) => String(a.subnet_ids[0]).localeCompare(String(b.subnet_ids[0])));
  return { json, groups, group: groups[0], template: only(json, "aws_launch_template") };
}

test("ManagedNodeGroup: IMDSv2 required with a hop limit of 1, so pods cannot reach the node's credentials", () => {
  expect(build().template.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 });
});

test("ManagedNodeGroup: an encrypted gp3 root volume of sizing.diskSizeGiB", () => {
  expect(build().template.block_device_mappings).toEqual([
    { device_name: "/dev/xvda", ebs: { volume_size: 50, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } },
  ]);
});

test("ManagedNodeGroup: no SSH key and no security group in the template (EKS attaches only the cluster security group)", () => {
  const { template } = build();
  expect(template.key_name).toBeUndefined();
  expect(template.vpc_security_group_ids).toBeUndefined();
  expect(template.network_interfaces).toBeUndefined();
});

test("ManagedNodeGroup: the launch template's name is generated from launchTemplateNamePrefix, and new versions become the default", () => {
  const { template, group, json } = build();
  expect(template.name_prefix).toBe("attractor-factory-default-");
  expect(template.update_default_version).toBe(true);
  expect(group.launch_template).toEqual({ id: ref(json, "aws_launch_template", "id"), version: ref(json, "aws_launch_template", "latest_version") });
});

test("ManagedNodeGroup: Amazon Linux 2023 nodes, one group in each given (private) subnet", () => {
  const { groups } = build();
  expect(NODE_AMI_TYPE).toBe("AL2023_x86_64_STANDARD");
  expect(groups.map((g) => g.subnet_ids)).toEqual([["subnet-a"], ["subnet-b"]]);
  for (const g of groups) expect([g.ami_type, g.cluster_name]).toEqual([NODE_AMI_TYPE, "attractor-factory"]);
});

test("ManagedNodeGroup: the zones' groups are identical but for their subnet, name prefix and ordering (the autoscaler balances look-alikes)", () => {
  const { groups } = build();
  const rest = groups.map(({ key: _k, subnet_ids: _s, node_group_name_prefix: _p, depends_on: _d, ...g }) => g);
  expect(rest[1]).toEqual(rest[0]);
});

test("ManagedNodeGroup: sizes are totals, split equally over the zones' groups; instance types and capacity type from sizing", () => {
  const { groups } = build({ sizing: { ...props.sizing, instanceTypes: ["m6i.large", "m5.large"], capacityType: "SPOT" } });
  for (const group of groups) {
    expect(group.scaling_config).toEqual({ min_size: 1, desired_size: 2, max_size: 3 });
    expect(group.instance_types).toEqual(["m6i.large", "m5.large"]);
    expect(group.capacity_type).toBe("SPOT");
  }
});

test("ManagedNodeGroup: sizes that do not split equally over the zones, or leave a zone without a node, are refused with the values", () => {
  expect(() => build({ sizing: { ...props.sizing, desiredSize: 3 } })).toThrow("min/desired/max 2/3/6 must be multiples of the 2 subnets' groups");
  expect(() => build({ subnetIds: ["a", "b", "c"], sizing: { ...props.sizing, minSize: 0, desiredSize: 3, maxSize: 3 } })).toThrow(
    "min at least one node a zone",
  );
});

test("ManagedNodeGroup: the first zone's group keeps the single group's address (so a deployed group is replaced create-first, not destroyed)", () => {
  const { groups } = build();
  expect(groups.map((g) => g.key.replace(/_[0-9A-F]{8}$/, ""))).toEqual(["nodes_node-group", "nodes_node-group-1"]);
});

test("ManagedNodeGroup: the first zone's group waits for the others: a replacement of all creates every new group before the first old one drains", () => {
  const { groups } = build();
  expect(groups[0].depends_on).toContain(`aws_eks_node_group.${groups[1].key}`);
  expect(groups[1].depends_on.filter((d: string) => d.startsWith("aws_eks_node_group"))).toEqual([]);
});

test('ManagedNodeGroup: pool "default" by default: the prefix of the group\'s generated name and the pool label', () => {
  const { group, groups } = build();
  expect(groups.map((g) => g.node_group_name_prefix)).toEqual(["default-z0-", "default-z1-"]);
  expect(group.node_group_name).toBeUndefined();
  expect(group.labels).toEqual({ "attractor-factory/pool": "default" });
});

test("ManagedNodeGroup: poolName names the pool", () => {
  const { group } = build({ poolName: "runners" });
  expect(group.node_group_name_prefix).toBe("runners-z0-");
  expect(group.labels).toEqual({ "attractor-factory/pool": "runners" });
});

test("ManagedNodeGroup: a replacement is created before the old group is destroyed", () => {
  expect(build().group.lifecycle.create_before_destroy).toBe(true);
});

test("ManagedNodeGroup: the desired size is where a new group starts; then the cluster autoscaler owns it", () => {
  expect(build().group.lifecycle.ignore_changes).toEqual(["scaling_config[0].desired_size"]);
});

test("ManagedNodeGroup: in-place updates roll one node at a time", () => {
  expect(build().group.update_config).toEqual({ max_unavailable: 1 });
});

test("ManagedNodeGroup: the nodes follow the cluster's Kubernetes version by default; kubernetesVersion sets it", () => {
  expect(build().group.version).toBeUndefined();
  expect(build({ kubernetesVersion: "1.35" }).group.version).toBe("1.35");
});

test("ManagedNodeGroup: an EC2 node role with the node policies, attached before the group is created", () => {
  const { json, group } = build();
  expect(only(json, "aws_iam_role").name).toBe("attractor-factory-node");
  expect(only(json, "aws_iam_policy_document", "data").statement[0].principals).toEqual([{ type: "Service", identifiers: ["ec2.amazonaws.com"] }]);
  const attachments = all(json, "aws_iam_role_policy_attachment");
  expect(attachments.map((a) => a.policy_arn).sort()).toEqual([...NODE_ROLE_POLICIES].sort());
  expect(NODE_ROLE_POLICIES.map((arn) => arn.split("/").pop())).toEqual([
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonSSMManagedInstanceCore",
  ]);
  expect(group.node_role_arn).toBe(ref(json, "aws_iam_role", "arn"));
  expect([...group.depends_on].filter((d: string) => !d.startsWith("aws_eks_node_group")).sort()).toEqual(
    Object.keys(json.resource.aws_iam_role_policy_attachment)
      .map((k) => `aws_iam_role_policy_attachment.${k}`)
      .sort(),
  );
});

test("ManagedNodeGroup: instances and volumes are tagged <cluster>-node", () => {
  expect(build().template.tag_specifications).toEqual([
    { resource_type: "instance", tags: { Name: "attractor-factory-node" } },
    { resource_type: "volume", tags: { Name: "attractor-factory-node" } },
  ]);
});

test("ManagedNodeGroup: tags reach the instances and root volumes it launches (the provider's default tags do not); none by default", () => {
  const tagsOf = (template: TfJsonLike) => Object.fromEntries(template.tag_specifications.map((s: TfJsonLike) => [s.resource_type, s.tags]));
  expect(tagsOf(build().template)).toEqual({ instance: { Name: "attractor-factory-node" }, volume: { Name: "attractor-factory-node" } });
  const tags = { Project: "attractor-factory", Stack: "attractor-factory-eks" };
  expect(tagsOf(build({ tags }).template)).toEqual({
    instance: { Name: "attractor-factory-node", ...tags },
    volume: { Name: "attractor-factory-node", ...tags },
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJsonLike = Record<string, any>;

test("ManagedNodeGroup: node auto-repair is on (EKS replaces a node that stays unhealthy)", () => {
  expect(build().group.node_repair_config).toEqual({ enabled: true });
});
