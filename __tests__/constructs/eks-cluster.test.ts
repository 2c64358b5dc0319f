/** EksCluster: an EKS control plane with secure defaults (encrypted secrets, every log, access entries only, OIDC provider). */
import { CONTROL_PLANE_LOG_TYPES, EksCluster, EksClusterProps } from "../../constructs/eks-cluster";
import { awsStack, byKey, only, ref, synth, TfJson } from "./support";

const props: EksClusterProps = {
  clusterName: "attractor-factory",
  kubernetesVersion: "1.34",
  subnetIds: ["subnet-private-a", "subnet-private-b"],
  serviceCidr: "172.20.0.0/16",
};

function build(overrides: Partial<EksClusterProps> = {}): TfJson {
  const stack = awsStack();
  new EksCluster(stack, "eks", { ...props, ...overrides });
  return synth(stack);
}
const cluster = (json: TfJson) => only(json, "aws_eks_cluster");
/** The policy documents by what they are for: the cluster role's trust, and the use of the secrets key. */
const documents = (json: TfJson) => {
  const docs = byKey(json, "aws_iam_policy_document", "data");
  const key = (part: string) => Object.keys(docs).find((k) => k.includes(part))!;
  return { trustKey: key("_trust_"), kmsUseKey: key("_kms-use_"), trust: docs[key("_trust_")], kmsUse: docs[key("_kms-use_")] };
};

test("EksCluster: Kubernetes secrets are envelope-encrypted with a customer-managed KMS key of the cluster's own", () => {
  const json = build();
  expect(cluster(json).encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: ref(json, "aws_kms_key", "arn") } });
  expect(only(json, "aws_kms_key").description).toBe("Envelope encryption of Kubernetes secrets of EKS cluster attractor-factory");
  expect(only(json, "aws_kms_alias")).toEqual({ name: "alias/eks/attractor-factory", target_key_id: ref(json, "aws_kms_key", "key_id") });
});

test("EksCluster: the secrets key is rotated yearly and can be recovered for 30 days after deletion", () => {
  expect(only(build(), "aws_kms_key")).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
});

test("EksCluster: every control-plane log type is enabled", () => {
  expect(CONTROL_PLANE_LOG_TYPES).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
  expect(cluster(build()).enabled_cluster_log_types).toEqual(CONTROL_PLANE_LOG_TYPES);
});

test("EksCluster: the logs go to /aws/eks/<cluster>/cluster, created before the cluster (not by EKS, without a retention)", () => {
  const json = build();
  expect(only(json, "aws_cloudwatch_log_group").name).toBe("/aws/eks/attractor-factory/cluster");
  const logGroupKey = Object.keys(byKey(json, "aws_cloudwatch_log_group"))[0];
  expect(cluster(json).depends_on).toContain(`aws_cloudwatch_log_group.${logGroupKey}`);
});

test("EksCluster: the control-plane logs are kept 90 days by default; logRetentionDays sets it", () => {
  expect(only(build(), "aws_cloudwatch_log_group").retention_in_days).toBe(90);
  expect(only(build({ logRetentionDays: 365 }), "aws_cloudwatch_log_group").retention_in_days).toBe(365);
});

test("EksCluster: authentication through access entries only (no aws-auth ConfigMap), and the creator gets no implicit admin", () => {
  expect(cluster(build()).access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
});

test("EksCluster: a private endpoint for the nodes and a public one open to every network by default", () => {
  expect(cluster(build()).vpc_config).toEqual({
    subnet_ids: ["subnet-private-a", "subnet-private-b"],
    endpoint_private_access: true,
    endpoint_public_access: true,
    public_access_cidrs: ["0.0.0.0/0"],
  });
});

test("EksCluster: endpointPublicAccessCidrs restricts the public endpoint to those networks", () => {
  const cidrs = ["203.0.113.0/24", "198.51.100.7/32"];
  expect(cluster(build({ endpointPublicAccessCidrs: cidrs })).vpc_config.public_access_cidrs).toEqual(cidrs);
});

test("EksCluster: the cluster is named clusterName, at kubernetesVersion, with the given IPv4 service network", () => {
  const c = cluster(build());
  expect(c.name).toBe("attractor-factory");
  expect(c.version).toBe("1.34");
  expect(c.kubernetes_network_config).toEqual({ service_ipv4_cidr: "172.20.0.0/16", ip_family: "ipv4" });
});

test("EksCluster: the control plane's role is assumed by EKS only, has AmazonEKSClusterPolicy, attached before the cluster is created", () => {
  const json = build();
  expect(only(json, "aws_iam_role")).toEqual({
    name: "attractor-factory-cluster",
    assume_role_policy: `\${data.aws_iam_policy_document.${documents(json).trustKey}.json}`,
  });
  expect(documents(json).trust.statement[0].principals).toEqual([{ type: "Service", identifiers: ["eks.amazonaws.com"] }]);
  expect(only(json, "aws_iam_role_policy_attachment").policy_arn).toBe("arn:aws:iam::aws:policy/AmazonEKSClusterPolicy");
  expect(cluster(json).role_arn).toBe(ref(json, "aws_iam_role", "arn"));
  const attachmentKey = Object.keys(byKey(json, "aws_iam_role_policy_attachment"))[0];
  expect(cluster(json).depends_on).toContain(`aws_iam_role_policy_attachment.${attachmentKey}`);
});

test("EksCluster: the control plane's role may use the secrets key, and that key only", () => {
  const json = build();
  expect(documents(json).kmsUse.statement).toEqual([
    { effect: "Allow", actions: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], resources: [ref(json, "aws_kms_key", "arn")] },
  ]);
  expect(only(json, "aws_iam_role_policy")).toEqual({
    name: "attractor-factory-secrets-kms",
    role: ref(json, "aws_iam_role", "id"),
    policy: `\${data.aws_iam_policy_document.${documents(json).kmsUseKey}.json}`,
  });
});

test("EksCluster: the role's use of the secrets key is granted before the cluster is created (CreateCluster sets up encryption with it)", () => {
  const json = build();
  expect(cluster(json).depends_on).toContain(`aws_iam_role_policy.${Object.keys(byKey(json, "aws_iam_role_policy"))[0]}`);
});

test("EksCluster: the IAM OIDC provider that IRSA roles trust is the cluster's issuer, for the STS audience, with no pinned thumbprint", () => {
  const json = build();
  expect(only(json, "aws_iam_openid_connect_provider")).toEqual({
    url: ref(json, "aws_eks_cluster", "identity[0].oidc[0].issuer"),
    client_id_list: ["sts.amazonaws.com"],
  });
});

test("EksCluster: the two attributes EKS takes only at creation and never reports back are ignored (an adopted cluster is not replaced)", () => {
  expect(cluster(build()).lifecycle).toEqual({
    ignore_changes: ["bootstrap_self_managed_addons", "access_config[0].bootstrap_cluster_creator_admin_permissions"],
  });
});

test("EksCluster: the cluster, its OIDC provider and its secrets key are exposed", () => {
  const stack = awsStack();
  const eks = new EksCluster(stack, "eks", props);
  expect(eks.cluster.node.id).toBe("cluster");
  expect(eks.oidcProvider.node.id).toBe("oidc");
  expect(eks.kmsKey.node.id).toBe("secrets-key");
});

test("EksCluster: the upgrade policy is set explicitly, STANDARD by default (AWS's own default is EXTENDED, six times the price)", () => {
  expect(cluster(build()).upgrade_policy).toEqual({ support_type: "STANDARD" });
  expect(cluster(build({ supportType: "EXTENDED" })).upgrade_policy).toEqual({ support_type: "EXTENDED" });
});
