/** IrsaRole: an IAM role that exactly one Kubernetes service account of one cluster may assume. */
import { IrsaRole, IrsaRoleProps } from "../../constructs/irsa-role";
import { all, awsStack, only, ref, synth, TfJson } from "./support";

const ISSUER = "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const PROVIDER_ARN = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const props: IrsaRoleProps = {
  roleName: "factory-external-dns",
  oidcProviderArn: PROVIDER_ARN,
  oidcIssuerUrl: ISSUER,
  namespace: "kube-system",
  serviceAccount: "external-dns",
};

function build(overrides: Partial<IrsaRoleProps> = {}): TfJson {
  const stack = awsStack();
  new IrsaRole(stack, "irsa", { ...props, ...overrides });
  return synth(stack);
}
const trustStatement = (json: TfJson) => only(json, "aws_iam_policy_document", "data").statement[0];
/** The condition key as Terraform computes it: the issuer URL without its scheme. */
const issuerKey = (claim: string) => `\${replace("${ISSUER}", "https://", "")}:${claim}`;

test("IrsaRole: only the named service account in the named namespace may assume the role (sub and aud conditions)", () => {
  expect(trustStatement(build()).condition).toEqual([
    { test: "StringEquals", variable: issuerKey("sub"), values: ["system:serviceaccount:kube-system:external-dns"] },
    { test: "StringEquals", variable: issuerKey("aud"), values: ["sts.amazonaws.com"] },
  ]);
});

test("IrsaRole: only web identities from this cluster's OIDC provider (Federated principal, AssumeRoleWithWebIdentity)", () => {
  const statement = trustStatement(build());
  expect(statement.effect).toBe("Allow");
  expect(statement.actions).toEqual(["sts:AssumeRoleWithWebIdentity"]);
  expect(statement.principals).toEqual([{ type: "Federated", identifiers: [PROVIDER_ARN] }]);
});

test("IrsaRole: the role is named roleName and trusts exactly that policy document", () => {
  const json = build();
  expect(only(json, "aws_iam_role")).toEqual({
    name: "factory-external-dns",
    assume_role_policy: ref(json, "aws_iam_policy_document", "json", "data"),
  });
});

test("IrsaRole: by default no managed policy and no inline policy", () => {
  const json = build();
  expect(all(json, "aws_iam_role_policy_attachment")).toEqual([]);
  expect(all(json, "aws_iam_role_policy")).toEqual([]);
});

test("IrsaRole: managedPolicyArns are attached to the role, each keyed by its policy name (not its list position)", () => {
  const arns = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::111122223333:policy/factory/Route53Records"];
  const json = build({ managedPolicyArns: arns });
  const attachments = json.resource.aws_iam_role_policy_attachment;
  expect(Object.values(attachments).map((a) => (a as TfJson).policy_arn)).toEqual(arns);
  for (const a of Object.values(attachments) as TfJson[]) expect(a.role).toBe(ref(json, "aws_iam_role", "name"));
  const keys = Object.keys(attachments);
  expect(keys[0]).toMatch(/^irsa_AmazonS3ReadOnlyAccess_/);
  expect(keys[1]).toMatch(/^irsa_Route53Records_/);
  // Dropping the first policy keeps the second one's address: no detach and re-attach.
  const second = Object.keys(build({ managedPolicyArns: [arns[1]] }).resource.aws_iam_role_policy_attachment);
  expect(second).toEqual([keys[1]]);
});

test("IrsaRole: inlinePolicyJson becomes an inline policy of the role, named after the role", () => {
  const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "route53:ChangeResourceRecordSets", Resource: "*" }] });
  const json = build({ inlinePolicyJson: policy });
  expect(only(json, "aws_iam_role_policy")).toEqual({ name: "factory-external-dns", role: ref(json, "aws_iam_role", "id"), policy });
});

test("IrsaRole: the attachments are exposed, so that a workload can depend on them", () => {
  const stack = awsStack();
  const role = new IrsaRole(stack, "irsa", { ...props, managedPolicyArns: ["arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B"] });
  expect(role.attachments.map((a) => a.node.id)).toEqual(["A", "B"]);
});
