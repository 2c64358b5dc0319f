/** ServiceRole: an IAM role assumed by an AWS service, with managed policies. */
import { ServiceRole, ServiceRoleProps, awsManagedPolicy } from "../../constructs/service-role";
import { all, awsStack, byKey, only, ref, synth, TfJson } from "./support";

const props: ServiceRoleProps = {
  roleName: "factory-cluster",
  servicePrincipal: "eks.amazonaws.com",
  managedPolicyArns: [awsManagedPolicy("AmazonEKSClusterPolicy"), awsManagedPolicy("AmazonEKSVPCResourceController")],
};

function build(overrides: Partial<ServiceRoleProps> = {}): TfJson {
  const stack = awsStack();
  new ServiceRole(stack, "role", { ...props, ...overrides });
  return synth(stack);
}

test("ServiceRole: only the given AWS service may assume the role (sts:AssumeRole, Service principal)", () => {
  expect(only(build(), "aws_iam_policy_document", "data").statement).toEqual([
    { effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["eks.amazonaws.com"] }] },
  ]);
});

test("ServiceRole: the role is named roleName and trusts exactly that policy document", () => {
  const json = build();
  expect(only(json, "aws_iam_role")).toEqual({ name: "factory-cluster", assume_role_policy: ref(json, "aws_iam_policy_document", "json", "data") });
});

test("ServiceRole: each managed policy is attached to the role, keyed by its policy name", () => {
  const json = build();
  const attachments = byKey(json, "aws_iam_role_policy_attachment");
  expect(Object.values(attachments)).toEqual([
    { role: ref(json, "aws_iam_role", "name"), policy_arn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" },
    { role: ref(json, "aws_iam_role", "name"), policy_arn: "arn:aws:iam::aws:policy/AmazonEKSVPCResourceController" },
  ]);
  const keys = Object.keys(attachments);
  expect(keys[0]).toMatch(/^role_AmazonEKSClusterPolicy_/);
  // Removing the first policy leaves the second one's address, so it is not detached and re-attached.
  expect(Object.keys(byKey(build({ managedPolicyArns: [props.managedPolicyArns[1]] }), "aws_iam_role_policy_attachment"))).toEqual([keys[1]]);
});

test("ServiceRole: no managed policies, no attachments", () => {
  expect(all(build({ managedPolicyArns: [] }), "aws_iam_role_policy_attachment")).toEqual([]);
});

test("ServiceRole: awsManagedPolicy is the commercial-partition ARN of an AWS managed policy", () => {
  expect(awsManagedPolicy("AmazonSSMManagedInstanceCore")).toBe("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
});
