/** ClusterAdminAccess: cluster-admin access entries for the deploying principal's IAM role and for each extra principal. */
import { CLUSTER_ADMIN_POLICY_ARN, ClusterAdminAccess, ClusterAdminAccessProps } from "../../constructs/cluster-admin-access";
import { all, awsStack, byKey, ref, synth, TfJson } from "./support";

const OPS_ROLE = "arn:aws:iam::111122223333:role/platform/ops-admin";
const ALICE = "arn:aws:iam::111122223333:user/alice";

function build(overrides: Partial<ClusterAdminAccessProps> = {}): TfJson {
  const stack = awsStack();
  new ClusterAdminAccess(stack, "admins", { clusterName: "attractor-factory", ...overrides });
  return synth(stack);
}
/** The access entries (or policy associations) by their construct id: the key without the "admins_" prefix and the hash. */
const byId = (json: TfJson, type: string): Record<string, TfJson> =>
  Object.fromEntries(Object.entries(byKey(json, type)).map(([key, value]) => [key.replace(/^admins_/, "").replace(/_[0-9A-F]{8}$/, ""), value]));
const entryKey = (json: TfJson, id: string) => Object.keys(byKey(json, "aws_eks_access_entry")).find((k) => k.startsWith(`admins_${id}_`));

test("ClusterAdminAccess: the deploying principal is admitted as its IAM role (the session's issuer), not as its temporary STS session", () => {
  const json = build();
  expect(byId(json, "aws_eks_access_entry").deployer.principal_arn).toBe(ref(json, "aws_iam_session_context", "issuer_arn", "data"));
  expect(all(json, "aws_iam_session_context", "data")).toEqual([{ arn: ref(json, "aws_caller_identity", "arn", "data") }]);
});

test("ClusterAdminAccess: by default only the deploying principal: one access entry and one policy association", () => {
  const json = build();
  expect(Object.keys(byId(json, "aws_eks_access_entry"))).toEqual(["deployer"]);
  expect(Object.keys(byId(json, "aws_eks_access_policy_association"))).toEqual(["deployer-cluster-admin"]);
});

test("ClusterAdminAccess: each entry is a STANDARD access entry of the named cluster", () => {
  for (const entry of all(build({ extraAdminArns: [OPS_ROLE] }), "aws_eks_access_entry")) {
    expect(entry).toMatchObject({ cluster_name: "attractor-factory", type: "STANDARD" });
  }
});

test("ClusterAdminAccess: each entry's principal gets AmazonEKSClusterAdminPolicy on the whole cluster", () => {
  expect(CLUSTER_ADMIN_POLICY_ARN).toBe("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
  const json = build({ extraAdminArns: [OPS_ROLE] });
  const associations = byId(json, "aws_eks_access_policy_association");
  for (const id of ["deployer", "admin-role-platform-ops-admin"]) {
    expect(associations[`${id}-cluster-admin`]).toEqual({
      cluster_name: "attractor-factory",
      principal_arn: `\${aws_eks_access_entry.${entryKey(json, id)}.principal_arn}`,
      policy_arn: CLUSTER_ADMIN_POLICY_ARN,
      access_scope: { type: "cluster" },
    });
  }
});

test("ClusterAdminAccess: extraAdminArns: each role or user is given cluster admin too", () => {
  const entries = byId(build({ extraAdminArns: [OPS_ROLE, ALICE] }), "aws_eks_access_entry");
  expect(Object.values(entries).map((e) => e.principal_arn)).toEqual(expect.arrayContaining([OPS_ROLE, ALICE]));
  expect(Object.keys(entries)).toHaveLength(3);
});

test("ClusterAdminAccess: an extra principal is keyed by its name (not its list position), so adding or removing one leaves the others alone", () => {
  const json = build({ extraAdminArns: [OPS_ROLE, ALICE] });
  expect(Object.keys(byId(json, "aws_eks_access_entry")).sort()).toEqual(["admin-role-platform-ops-admin", "admin-user-alice", "deployer"]);
  const aliceKey = entryKey(json, "admin-user-alice");
  expect(entryKey(build({ extraAdminArns: [ALICE] }), "admin-user-alice")).toBe(aliceKey);
});

test("ClusterAdminAccess: two extra principals of the same name (in two accounts) are refused with an error naming both", () => {
  const other = "arn:aws:iam::444455556666:role/platform/ops-admin";
  expect(() => build({ extraAdminArns: [OPS_ROLE, other] })).toThrow(
    `ClusterAdminAccess admins: ${other} and ${OPS_ROLE} have the same name; extra admins must differ in their role or user path and name`,
  );
});
