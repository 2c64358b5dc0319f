/** EksManagedAddons: VPC CNI (network policies on), kube-proxy, CoreDNS and the EBS CSI driver, pinned, after the nodes. */
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { EBS_CSI_SERVICE_ACCOUNT, EksManagedAddons, EksManagedAddonsProps, VPC_CNI_CONFIGURATION } from "../../constructs/eks-managed-addons";
import { awsStack, byKey, only, ref, synth, TfJson } from "./support";

const ISSUER = "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const PROVIDER_ARN = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const VERSIONS = {
  "vpc-cni": "v1.20.4-eksbuild.2",
  "kube-proxy": "v1.34.1-eksbuild.2",
  coredns: "v1.12.4-eksbuild.1",
  "aws-ebs-csi-driver": "v1.51.1-eksbuild.1",
  "amazon-cloudwatch-observability": "v6.6.0-eksbuild.1",
};
/** The add-ons this construct makes (Container Insights' is constructs/addons/container-insights/addon.ts's). */
const { "amazon-cloudwatch-observability": _insights, ...MANAGED_HERE } = VERSIONS;

function build(overrides: Partial<EksManagedAddonsProps> = {}) {
  const stack = awsStack();
  const nodes = new EksNodeGroup(stack, "nodes", {
    clusterName: "attractor-factory",
    nodeRoleArn: "arn:aws:iam::111122223333:role/attractor-factory-node",
    subnetIds: ["subnet-a"],
    scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 1 },
  });
  new EksManagedAddons(stack, "addons", {
    clusterName: "attractor-factory",
    versions: VERSIONS,
    oidcProviderArn: PROVIDER_ARN,
    oidcIssuerUrl: ISSUER,
    nodes: [nodes],
    ...overrides,
  });
  const json = synth(stack);
  const addons: Record<string, TfJson> = Object.fromEntries(Object.values(byKey(json, "aws_eks_addon")).map((a) => [a.addon_name, a]));
  return { json, addons, nodesRef: `aws_eks_node_group.${Object.keys(byKey(json, "aws_eks_node_group"))[0]}` };
}

test("EksManagedAddons: exactly VPC CNI, kube-proxy, CoreDNS and the EBS CSI driver, on the named cluster", () => {
  const { addons } = build();
  expect(Object.keys(addons).sort()).toEqual(["aws-ebs-csi-driver", "coredns", "kube-proxy", "vpc-cni"]);
  for (const addon of Object.values(addons)) expect(addon.cluster_name).toBe("attractor-factory");
});

test("EksManagedAddons: each add-on at its pinned version from versions", () => {
  const { addons } = build();
  for (const [name, version] of Object.entries(MANAGED_HERE)) expect(addons[name].addon_version).toBe(version);
});

test("EksManagedAddons: EKS owns the add-ons' configuration: conflicts are overwritten on create and on update", () => {
  for (const addon of Object.values(build().addons)) {
    expect(addon.resolve_conflicts_on_create).toBe("OVERWRITE");
    expect(addon.resolve_conflicts_on_update).toBe("OVERWRITE");
  }
});

test("EksManagedAddons: the VPC CNI enforces NetworkPolicies (its network policy agent is on)", () => {
  expect(VPC_CNI_CONFIGURATION).toEqual({ enableNetworkPolicy: "true" });
  expect(JSON.parse(build().addons["vpc-cni"].configuration_values)).toEqual({ enableNetworkPolicy: "true" });
});

test("EksManagedAddons: the other add-ons keep their default configuration", () => {
  const { addons } = build();
  for (const name of ["kube-proxy", "coredns", "aws-ebs-csi-driver"]) expect(addons[name].configuration_values).toBeUndefined();
});

test("EksManagedAddons: every add-on is created (and upgraded) after the nodes", () => {
  const { addons, nodesRef } = build();
  for (const addon of Object.values(addons)) expect(addon.depends_on).toContain(nodesRef);
});

test("EksManagedAddons: the EBS CSI driver runs with its own IRSA role; the other add-ons with the node role", () => {
  const { json, addons } = build();
  expect(addons["aws-ebs-csi-driver"].service_account_role_arn).toBe(ref(json, "aws_iam_role", "arn"));
  for (const name of ["vpc-cni", "kube-proxy", "coredns"]) expect(addons[name].service_account_role_arn).toBeUndefined();
});

test("EksManagedAddons: the EBS CSI role is <cluster>-ebs-csi, with AmazonEBSCSIDriverPolicy, attached before the add-on is created", () => {
  const { json, addons } = build();
  expect(only(json, "aws_iam_role").name).toBe("attractor-factory-ebs-csi");
  expect(only(json, "aws_iam_role_policy_attachment").policy_arn).toBe("arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
  const attachmentKey = Object.keys(byKey(json, "aws_iam_role_policy_attachment"))[0];
  expect(addons["aws-ebs-csi-driver"].depends_on).toContain(`aws_iam_role_policy_attachment.${attachmentKey}`);
});

test("EksManagedAddons: only the EBS CSI controller's service account of this cluster's OIDC provider may assume the EBS CSI role", () => {
  expect(EBS_CSI_SERVICE_ACCOUNT).toEqual({ namespace: "kube-system", name: "ebs-csi-controller-sa" });
  const statement = only(build().json, "aws_iam_policy_document", "data").statement[0];
  expect(statement.principals).toEqual([{ type: "Federated", identifiers: [PROVIDER_ARN] }]);
  expect(statement.condition[0]).toEqual({
    test: "StringEquals",
    variable: `\${replace("${ISSUER}", "https://", "")}:sub`,
    values: ["system:serviceaccount:kube-system:ebs-csi-controller-sa"],
  });
});

test("EksManagedAddons: the add-ons and the EBS CSI role are exposed, by add-on name", () => {
  const stack = awsStack();
  const nodes = new EksNodeGroup(stack, "nodes", {
    clusterName: "c",
    nodeRoleArn: "arn",
    subnetIds: ["s"],
    scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 1 },
  });
  const managed = new EksManagedAddons(stack, "addons", {
    clusterName: "c",
    versions: VERSIONS,
    oidcProviderArn: PROVIDER_ARN,
    oidcIssuerUrl: ISSUER,
    nodes: [nodes],
  });
  expect(Object.entries(managed.addons).map(([name, addon]) => [name, addon.node.id])).toEqual(Object.keys(MANAGED_HERE).map((name) => [name, name]));
  expect(managed.ebsCsiRole.role.node.path).toBe("t/addons/ebs-csi-role/role");
});
