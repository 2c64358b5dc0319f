/** AwsLoadBalancerController: the chart at its pin, with cluster, region, VPC and the IRSA service account computed. */
import * as path from "path";
import { TerraformVariable } from "cdktf";
import { AwsLoadBalancerController, AwsLoadBalancerControllerProps } from "../../../../constructs/addons/aws-load-balancer-controller/release";
import { HELM_VALUES_DIR, loadHelmValues } from "../../../../constructs/k8s/helm-values";
import { ALB_CONTROLLER_SERVICE_ACCOUNT } from "../../../../constructs/addons/aws-load-balancer-controller/role";
import { helmStack, only, synth, TfJson } from "../../support";

const pin = { repository: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller", version: "1.13.3", appVersion: "v2.13.3" };
const ROLE_ARN = "arn:aws:iam::111122223333:role/attractor-factory-alb-controller";
const props: AwsLoadBalancerControllerProps = { pin, clusterName: "attractor-factory", region: "us-west-2", vpcId: "vpc-0123456789abcdef0", roleArn: ROLE_ARN };

function build(overrides: Partial<AwsLoadBalancerControllerProps> = {}) {
  const stack = helmStack();
  const controller = new AwsLoadBalancerController(stack, "alb-controller", { ...props, ...overrides });
  const release = only(synth(stack), "helm_release");
  return { controller, release, values: JSON.parse(release.values[0]) as TfJson };
}

test("AwsLoadBalancerController: the pinned chart, released as aws-load-balancer-controller in kube-system", () => {
  expect(build().release).toMatchObject({
    name: "aws-load-balancer-controller",
    namespace: "kube-system",
    repository: "https://aws.github.io/eks-charts",
    chart: "aws-load-balancer-controller",
    version: "1.13.3",
  });
});

test("AwsLoadBalancerController: a PinnedHelmRelease: atomic, rolled back on failure, bounded history", () => {
  expect(build().release).toMatchObject({ atomic: true, cleanup_on_fail: true, wait: true, timeout: 600, max_history: 10 });
});

test("AwsLoadBalancerController: cluster name, region and VPC id are given explicitly (pods cannot ask the instance metadata)", () => {
  expect(build().values).toMatchObject({ clusterName: "attractor-factory", region: "us-west-2", vpcId: "vpc-0123456789abcdef0" });
});

test("AwsLoadBalancerController: the chart creates the service account the IRSA role trusts, annotated with the role", () => {
  expect(ALB_CONTROLLER_SERVICE_ACCOUNT).toEqual({ namespace: "kube-system", name: "aws-load-balancer-controller" });
  expect(build().values.serviceAccount).toEqual({
    create: true,
    name: "aws-load-balancer-controller",
    annotations: { "eks.amazonaws.com/role-arn": ROLE_ARN },
  });
});

test("AwsLoadBalancerController: the static values are helm-values/aws-load-balancer-controller.yaml's", () => {
  const file = loadHelmValues(path.join(HELM_VALUES_DIR, "aws-load-balancer-controller.yaml"));
  const { values } = build();
  expect(values).toMatchObject(file);
  expect(Object.keys(values).sort()).toEqual([...Object.keys(file), "clusterName", "region", "vpcId", "serviceAccount"].sort());
});

test("AwsLoadBalancerController: the Ingress class is alb, pods are targeted directly (ip), LoadBalancer Services are left alone", () => {
  expect(build().values).toMatchObject({
    ingressClass: "alb",
    createIngressClassResource: true,
    defaultTargetType: "ip",
    enableServiceMutatorWebhook: false,
  });
});

test("AwsLoadBalancerController: references to the other stacks become Terraform interpolations in the values", () => {
  const stack = helmStack();
  const v = (name: string) => new TerraformVariable(stack, name, { type: "string" }).stringValue;
  new AwsLoadBalancerController(stack, "alb-controller", { pin, clusterName: v("cluster"), region: "us-west-2", vpcId: v("vpc"), roleArn: v("role") });
  const values = JSON.parse(only(synth(stack), "helm_release").values[0]);
  expect(values).toMatchObject({ clusterName: "${var.cluster}", vpcId: "${var.vpc}" });
  expect(values.serviceAccount.annotations).toEqual({ "eks.amazonaws.com/role-arn": "${var.role}" });
});

test("AwsLoadBalancerController: the merged values are exposed as handed to Helm", () => {
  const { controller, values } = build();
  expect(controller.values).toEqual(values);
});

test("AwsLoadBalancerController: defaultTags go to every AWS resource the controller creates (the ALB's cost can be split); none by default", () => {
  expect(build().values.defaultTags).toBeUndefined();
  const tags = { Project: "attractor-factory", Stack: "attractor-factory-addons" };
  expect(build({ defaultTags: tags }).values.defaultTags).toEqual(tags);
});

test("AwsLoadBalancerController: its pod meets the restricted Pod Security Standard (seccomp RuntimeDefault, no capabilities, non-root, no escalation)", () => {
  const { values } = build();
  expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
  expect(values.securityContext).toEqual({
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  });
});
