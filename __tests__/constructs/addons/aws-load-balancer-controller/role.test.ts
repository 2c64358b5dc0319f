/** AlbControllerRole: the IRSA role of the AWS Load Balancer Controller, with the upstream policy of its version. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import {
  ALB_CONTROLLER_POLICY_FILE,
  ALB_CONTROLLER_SERVICE_ACCOUNT,
  AlbControllerRole,
  AlbControllerRoleProps,
} from "../../../../constructs/addons/aws-load-balancer-controller/role";
import { IrsaRole } from "../../../../constructs/irsa-role";
import { all, awsStack, emptyStack, only, ref, synth, TfJson } from "../../support";

const ISSUER = "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const PROVIDER_ARN = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const props: AlbControllerRoleProps = { clusterName: "attractor-factory", oidcProviderArn: PROVIDER_ARN, oidcIssuerUrl: ISSUER };

function build(overrides: Partial<AlbControllerRoleProps> = {}): TfJson {
  const stack = awsStack();
  new AlbControllerRole(stack, "alb-controller", { ...props, ...overrides });
  return synth(stack);
}
const dir = mkdtempSync(path.join(tmpdir(), "alb-controller-role-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function policyFile(text: string): string {
  const file = path.join(dir, "policy.json");
  writeFileSync(file, text);
  return file;
}

test("AlbControllerRole: an IRSA role named <cluster>-alb-controller", () => {
  const stack = awsStack();
  const role = new AlbControllerRole(stack, "alb-controller", props);
  expect(role).toBeInstanceOf(IrsaRole);
  expect(only(synth(stack), "aws_iam_role").name).toBe("attractor-factory-alb-controller");
});

test("AlbControllerRole: only the controller's service account (kube-system/aws-load-balancer-controller) of this cluster may assume it", () => {
  expect(ALB_CONTROLLER_SERVICE_ACCOUNT).toEqual({ namespace: "kube-system", name: "aws-load-balancer-controller" });
  const statement = only(build(), "aws_iam_policy_document", "data").statement[0];
  expect(statement.principals).toEqual([{ type: "Federated", identifiers: [PROVIDER_ARN] }]);
  expect(statement.condition[0]).toEqual({
    test: "StringEquals",
    variable: `\${replace("${ISSUER}", "https://", "")}:sub`,
    values: ["system:serviceaccount:kube-system:aws-load-balancer-controller"],
  });
});

test("AlbControllerRole: by default the upstream policy beside it (iam-policy.json) is the role's inline policy (and its only policy)", () => {
  expect(ALB_CONTROLLER_POLICY_FILE).toBe(
    path.join(__dirname, "..", "..", "..", "..", "constructs", "addons", "aws-load-balancer-controller", "iam-policy.json"),
  );
  const json = build();
  const inline = only(json, "aws_iam_role_policy");
  expect(inline).toMatchObject({ name: "attractor-factory-alb-controller", role: ref(json, "aws_iam_role", "id") });
  expect(JSON.parse(inline.policy)).toEqual(JSON.parse(readFileSync(ALB_CONTROLLER_POLICY_FILE, "utf8")));
  expect(all(json, "aws_iam_role_policy_attachment")).toEqual([]);
});

test("AlbControllerRole: a policyFile replaces the upstream policy, parsed and re-serialized as compact JSON", () => {
  const file = policyFile(
    '{\n    "Version": "2012-10-17",\n    "Statement": [ { "Effect": "Allow", "Action": "elasticloadbalancing:*", "Resource": "*" } ]\n}\n',
  );
  expect(only(build({ policyFile: file }), "aws_iam_role_policy").policy).toBe(
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"elasticloadbalancing:*","Resource":"*"}]}',
  );
});

test("AlbControllerRole: a malformed policy file fails synth, naming the file", () => {
  const file = policyFile('{ "Version": "2012-10-17", "Statement": [ }');
  expect(() => new AlbControllerRole(emptyStack(), "alb-controller", { ...props, policyFile: file })).toThrow(`${file}: not a valid IAM policy JSON document`);
});

test("AlbControllerRole: a missing policy file fails synth, naming the file", () => {
  const file = path.join(dir, "missing.json");
  expect(() => new AlbControllerRole(emptyStack(), "alb-controller", { ...props, policyFile: file })).toThrow(`${file}: not a valid IAM policy JSON document`);
});
