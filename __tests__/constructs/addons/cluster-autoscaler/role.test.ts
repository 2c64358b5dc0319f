/** ClusterAutoscalerRole: the Cluster Autoscaler's IRSA role; it may resize only this cluster's node groups. */
import { CLUSTER_AUTOSCALER_SERVICE_ACCOUNT, ClusterAutoscalerRole, ClusterAutoscalerRoleProps } from "../../../../constructs/addons/cluster-autoscaler/role";
import { all, awsStack, byKey, only, ref, synth, TfJson } from "../../support";

const ISSUER = "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const PROVIDER_ARN = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const props: ClusterAutoscalerRoleProps = { clusterName: "attractor-factory", oidcProviderArn: PROVIDER_ARN, oidcIssuerUrl: ISSUER };

function build(overrides: Partial<ClusterAutoscalerRoleProps> = {}): TfJson {
  const stack = awsStack();
  new ClusterAutoscalerRole(stack, "autoscaler", { ...props, ...overrides });
  return synth(stack);
}
/** The policy documents: the role's trust and its permissions. */
const documents = (json: TfJson) => {
  const docs = byKey(json, "aws_iam_policy_document", "data");
  const key = (part: string) => Object.keys(docs).find((k) => k.includes(part))!;
  return { trust: docs[key("_trust_")], policyKey: key("_policy_"), policy: docs[key("_policy_")] };
};
const statement = (json: TfJson, sid: string) => documents(json).policy.statement.find((s: TfJson) => s.sid === sid);

test("ClusterAutoscalerRole: an IRSA role named <cluster>-cluster-autoscaler", () => {
  expect(only(build(), "aws_iam_role").name).toBe("attractor-factory-cluster-autoscaler");
});

test("ClusterAutoscalerRole: only the autoscaler's service account (kube-system/cluster-autoscaler) of this cluster may assume it", () => {
  expect(CLUSTER_AUTOSCALER_SERVICE_ACCOUNT).toEqual({ namespace: "kube-system", name: "cluster-autoscaler" });
  const trust = documents(build()).trust.statement[0];
  expect(trust.principals).toEqual([{ type: "Federated", identifiers: [PROVIDER_ARN] }]);
  expect(trust.condition[0]).toEqual({
    test: "StringEquals",
    variable: `\${replace("${ISSUER}", "https://", "")}:sub`,
    values: ["system:serviceaccount:kube-system:cluster-autoscaler"],
  });
});

test("ClusterAutoscalerRole: the permissions are the role's one inline policy", () => {
  const json = build();
  expect(only(json, "aws_iam_role_policy")).toEqual({
    name: "attractor-factory-cluster-autoscaler",
    role: ref(json, "aws_iam_role", "id"),
    policy: `\${data.aws_iam_policy_document.${documents(json).policyKey}.json}`,
  });
  expect(all(json, "aws_iam_role_policy_attachment")).toEqual([]);
});

test("ClusterAutoscalerRole: it may discover node groups, instance types and images anywhere (upstream's read-only actions)", () => {
  expect(statement(build(), "Discover")).toEqual({
    sid: "Discover",
    effect: "Allow",
    actions: [
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeAutoScalingInstances",
      "autoscaling:DescribeLaunchConfigurations",
      "autoscaling:DescribeScalingActivities",
      "ec2:DescribeImages",
      "ec2:DescribeInstanceTypes",
      "ec2:DescribeLaunchTemplateVersions",
      "ec2:GetInstanceTypesFromInstanceRequirements",
      "eks:DescribeNodegroup",
    ],
    resources: ["*"],
  });
});

test("ClusterAutoscalerRole: it may change capacity only of Auto Scaling groups tagged k8s.io/cluster-autoscaler/<cluster>=owned", () => {
  expect(statement(build(), "ScaleThisClustersNodeGroups")).toEqual({
    sid: "ScaleThisClustersNodeGroups",
    effect: "Allow",
    actions: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
    resources: ["*"],
    condition: [{ test: "StringEquals", variable: "aws:ResourceTag/k8s.io/cluster-autoscaler/attractor-factory", values: ["owned"] }],
  });
});

test("ClusterAutoscalerRole: no other statement; every action allowed without the tag condition only reads", () => {
  const statements = documents(build()).policy.statement as TfJson[];
  expect(statements.map((s) => s.sid)).toEqual(["Discover", "ScaleThisClustersNodeGroups"]);
  const unconditioned = statements.filter((s) => s.condition === undefined).flatMap((s) => s.actions as string[]);
  expect(unconditioned.filter((action) => !/^[a-z0-9]+:(Describe|Get)/.test(action))).toEqual([]);
});

test("ClusterAutoscalerRole: the IAM role is exposed", () => {
  const stack = awsStack();
  expect(new ClusterAutoscalerRole(stack, "autoscaler", props).role.node.path).toBe("t/autoscaler/irsa/role");
});
