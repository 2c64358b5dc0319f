/**
 * The guardrails (rules.ts) over the real platform, synthesized as `cdktf synth` does with the
 * defaults and with overrides: no rule reports anything. Then, for each rule, negative tests: a
 * small app built here (a compliant "mini platform" of raw provider resources) is synthesized with
 * exactly one deliberate defect, and the rule must report it at the right address, while the
 * compliant app passes every rule and the defect trips no other rule.
 */
import { mkdtempSync, rmSync } from "fs";
import * as os from "os";
import * as path from "path";
import { App, Fn, LocalBackend, S3Backend, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { StatefulSetV1 } from "@cdktf/provider-kubernetes/lib/stateful-set-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { Password } from "@cdktf/provider-random/lib/password";
import { settingDocs } from "../../config";
import { synthPlatform } from "../helpers";
import { EXCEPTIONS, RULES, SynthesizedStack, Violation, formatViolations, readSynthesized, ruleById } from "./rules";

// ---- the real platform -------------------------------------------------------------------------

/** Synthesizes the platform (as cdktf synth does), reads every stack, removes the output. */
function platformStacks(env: Record<string, string>): SynthesizedStack[] {
  const { outdir } = synthPlatform(env);
  try {
    return readSynthesized(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const PLATFORMS: [string, Record<string, string>][] = [
  ["defaults", {}],
  ["per-AZ NAT gateways and an image tag", { FACTORY_NAT_GATEWAYS: "per-az", FACTORY_IMAGE_TAG: "3f2c1ab9d0e4" }],
  [
    "restricted endpoint, other names and sizes",
    {
      FACTORY_ENDPOINT_PUBLIC_ACCESS_CIDRS: "203.0.113.0/24,198.51.100.7/32",
      FACTORY_CLUSTER_NAME: "factory-staging",
      FACTORY_STACK_PREFIX: "af-staging",
      FACTORY_NODE_INSTANCE_TYPES: "m6i.xlarge,m6a.xlarge",
      FACTORY_NODE_CAPACITY_TYPE: "SPOT",
      FACTORY_ADMIN_PRINCIPAL_ARNS: "arn:aws:iam::582719176192:role/ops",
      FACTORY_IMAGE_TAG: "v1.4.0",
    },
  ],
];

const synthesized = new Map(PLATFORMS.map(([name, env]) => [name, platformStacks(env)]));

describe.each(PLATFORMS.map(([name]) => [name]))("the platform (%s) breaks no guardrail", (name) => {
  const stacks = synthesized.get(name)!;

  test("every stack was read", () => {
    expect(stacks.length).toBe(9);
  });

  test.each(RULES.map((r) => [r.id, r] as const))("%s", (_id, rule) => {
    const violations = rule.check(stacks);
    expect(formatViolations(violations)).toBe("");
  });
});

describe("the rules have something to check in the platform (no vacuous pass)", () => {
  const stacks = synthesized.get("defaults")!;
  const count = (type: string, kind: "resource" | "data" = "resource") => stacks.reduce((n, s) => n + Object.keys(s.json[kind]?.[type] ?? {}).length, 0);

  test.each<[string, string, number]>([
    ["node group", "aws_eks_node_group", 1],
    ["launch template", "aws_launch_template", 1],
    ["cluster", "aws_eks_cluster", 1],
    ["IRSA roles (EBS CSI, Load Balancer Controller, Cluster Autoscaler) and service roles (EKS, nodes, AWS Backup)", "aws_iam_role", 6],
    ["Load Balancer Controller, Cluster Autoscaler and metrics-server releases", "helm_release", 3],
    ["NetworkPolicies (both namespaces)", "kubernetes_network_policy_v1", 12],
    ["state bucket", "aws_s3_bucket", 1],
    ["ECR repositories", "aws_ecr_repository", 4],
    ["certificate", "aws_acm_certificate", 1],
    ["ingress", "kubernetes_ingress_v1", 1],
    ["Deployments", "kubernetes_deployment_v1", 3],
    ["data-store StatefulSets", "kubernetes_stateful_set_v1", 3],
    ["generated Secrets", "kubernetes_secret_v1", 3],
    ["subnets", "aws_subnet", 4],
  ])("%s", (_what, type, n) => {
    expect(count(type)).toBe(n);
  });

  test("every stack but the bootstrap has an S3 backend", () => {
    expect(stacks.filter((s) => s.json.terraform?.backend?.s3).length).toBe(8);
  });
});

describe("the public endpoint's CIDRs are configurable, with the documented default", () => {
  const cidrs = (name: string) =>
    Object.values(
      synthesized.get(name)!.find((s) => s.json.resource?.aws_eks_cluster)!.json.resource.aws_eks_cluster as Record<
        string,
        { vpc_config: { public_access_cidrs: string[] } }
      >,
    )[0].vpc_config.public_access_cidrs;

  test("default: the one README documents", () => {
    const doc = settingDocs().find((d) => d.variable === "FACTORY_ENDPOINT_PUBLIC_ACCESS_CIDRS")!;
    expect(cidrs("defaults")).toEqual(doc.default.split(","));
  });

  test("FACTORY_ENDPOINT_PUBLIC_ACCESS_CIDRS replaces it", () => {
    expect(cidrs("restricted endpoint, other names and sizes")).toEqual(["203.0.113.0/24", "198.51.100.7/32"]);
  });
});

// ---- negative tests: a compliant mini platform, broken one way at a time -----------------------

/** Deliberate defects of the mini platform; each test turns on one. */
type Defect =
  | "sg-world-db"
  | "sg-world-lb-8080"
  | "ssh-remote-access"
  | "ssh-key-name"
  | "ssh-port-22"
  | "imds-optional"
  | "imds-hop-2"
  | "alb-controller-no-vpc"
  | "ami-al2"
  | "nodes-public-subnet"
  | "lt-untagged-sg"
  | "kms-no-rotation"
  | "logs-missing-audit"
  | "logs-no-retention"
  | "auth-config-map"
  | "endpoint-no-cidrs"
  | "irsa-wildcard-sub"
  | "irsa-no-aud"
  | "state-unversioned"
  | "state-destroyable"
  | "backend-no-lock"
  | "backend-same-key"
  | "backend-local"
  | "ecr-mutable"
  | "acm-email"
  | "ingress-tls10"
  | "listener-http-forward"
  | "container-root"
  | "container-writable-root"
  | "container-no-limits"
  | "container-no-probes"
  | "volume-delete-class"
  | "volume-untagged-class"
  | "namespace-no-default-deny"
  | "data-store-open-to-namespaces"
  | "secret-literal-password"
  | "env-literal-token"
  | "access-key-in-output"
  | "random-in-env"
  | "provider-token";

/** Addresses of the mini platform's elements, by role. */
interface Addresses {
  readonly [role: string]: { stack: string; address: string };
}

const at = (stack: TerraformStack, el: { terraformResourceType: string; friendlyUniqueId: string }, data = false) => ({
  stack: stack.node.id,
  address: `${data ? "data." : ""}${el.terraformResourceType}.${el.friendlyUniqueId}`,
});

const BUCKET = "mini-tfstate";
const CLUSTER = "mini";

/** A small platform that passes every rule, except for the one defect given. */
function miniPlatform(app: App, defect: Defect | undefined): Addresses {
  const is = (d: Defect) => defect === d;
  const backend = (stack: TerraformStack, key: string) => {
    new S3Backend(stack, { bucket: BUCKET, key: `${key}/terraform.tfstate`, region: "us-west-2", encrypt: true });
    stack.addOverride("terraform.backend.s3.use_lockfile", true);
  };

  // state: the bucket, with a local backend (the documented exception)
  const state = new TerraformStack(app, "mini-state");
  new LocalBackend(state, { path: "terraform.mini-state.tfstate" });
  new AwsProvider(state, "aws", { region: "us-west-2" });
  const bucket = new S3Bucket(state, "bucket", { bucket: BUCKET, lifecycle: { preventDestroy: !is("state-destroyable") } });
  if (!is("state-unversioned")) new S3BucketVersioningA(state, "versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
  new S3BucketServerSideEncryptionConfigurationA(state, "sse", {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
  });
  new S3BucketPublicAccessBlock(state, "pab", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const tls = new DataAwsIamPolicyDocument(state, "tls", {
    statement: [
      {
        effect: "Deny",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: ["s3:*"],
        resources: [bucket.arn, `${bucket.arn}/*`],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ],
  });
  new S3BucketPolicy(state, "policy", { bucket: bucket.id, policy: tls.json });

  // net: VPC, a private subnet behind NAT, a public one behind the internet gateway
  const net = new TerraformStack(app, "mini-net");
  backend(net, "mini-net");
  new AwsProvider(net, "aws", { region: "us-west-2" });
  const vpc = new Vpc(net, "vpc", { cidrBlock: "10.0.0.0/16" });
  const igw = new InternetGateway(net, "igw", { vpcId: vpc.id });
  const pub = new Subnet(net, "public", { vpcId: vpc.id, cidrBlock: "10.0.128.0/20" });
  const priv = new Subnet(net, "private", { vpcId: vpc.id, cidrBlock: "10.0.0.0/18" });
  const pubRt = new RouteTable(net, "public-rt", { vpcId: vpc.id, route: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }] });
  new RouteTableAssociation(net, "public-rta", { subnetId: pub.id, routeTableId: pubRt.id });
  const nat = new NatGateway(net, "nat", { subnetId: pub.id, allocationId: new Eip(net, "eip", { domain: "vpc" }).id });
  const privRt = new RouteTable(net, "private-rt", { vpcId: vpc.id, route: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }] });
  new RouteTableAssociation(net, "private-rta", { subnetId: priv.id, routeTableId: privRt.id });

  // eks: cluster, nodes, IRSA, ECR, ACM, a load balancer with its own group
  const eks = new TerraformStack(app, "mini-eks");
  backend(eks, is("backend-same-key") ? "mini-net" : "mini-eks");
  if (is("backend-no-lock")) eks.addOverride("terraform.backend.s3.use_lockfile", false);
  new AwsProvider(eks, "aws", { region: "us-west-2" });
  const key = new KmsKey(eks, "key", { enableKeyRotation: !is("kms-no-rotation") });
  const logs = new CloudwatchLogGroup(eks, "logs", { name: `/aws/eks/${CLUSTER}/cluster`, retentionInDays: is("logs-no-retention") ? undefined : 30 });
  const trustEks = new DataAwsIamPolicyDocument(eks, "trust-eks", {
    statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["eks.amazonaws.com", "ec2.amazonaws.com"] }] }],
  });
  const role = new IamRole(eks, "service-role", { name: "mini", assumeRolePolicy: trustEks.json });
  const cluster = new EksCluster(eks, "cluster", {
    name: CLUSTER,
    roleArn: role.arn,
    vpcConfig: {
      subnetIds: [priv.id],
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: is("endpoint-no-cidrs") ? undefined : ["203.0.113.0/24"],
    },
    accessConfig: { authenticationMode: is("auth-config-map") ? "API_AND_CONFIG_MAP" : "API", bootstrapClusterCreatorAdminPermissions: false },
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: key.arn } },
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"].filter((t) => !(is("logs-missing-audit") && t === "audit")),
    dependsOn: [logs],
  });
  new EksAccessEntry(eks, "admin", { clusterName: cluster.name, principalArn: "arn:aws:iam::111122223333:role/admin" });
  const oidc = new IamOpenidConnectProvider(eks, "oidc", { url: cluster.identity.get(0).oidc.get(0).issuer, clientIdList: ["sts.amazonaws.com"] });
  const issuer = Fn.replace(cluster.identity.get(0).oidc.get(0).issuer, "https://", "");
  const irsaTrust = new DataAwsIamPolicyDocument(eks, "irsa-trust", {
    statement: [
      {
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [oidc.arn] }],
        condition: [
          is("irsa-wildcard-sub")
            ? { test: "StringLike", variable: `${issuer}:sub`, values: ["system:serviceaccount:kube-system:*"] }
            : { test: "StringEquals", variable: `${issuer}:sub`, values: ["system:serviceaccount:kube-system:aws-load-balancer-controller"] },
          ...(is("irsa-no-aud") ? [] : [{ test: "StringEquals", variable: `${issuer}:aud`, values: ["sts.amazonaws.com"] }]),
        ],
      },
    ],
  });
  const irsa = new IamRole(eks, "alb-controller-role", { name: "mini-alb-controller", assumeRolePolicy: irsaTrust.json });
  const untagged = new SecurityGroup(eks, "extra-sg", { vpcId: vpc.id, name: "mini-extra" });
  const template = new LaunchTemplate(eks, "launch-template", {
    namePrefix: "mini-",
    keyName: is("ssh-key-name") ? "ops" : undefined,
    vpcSecurityGroupIds: is("lt-untagged-sg") ? [untagged.id] : undefined,
    metadataOptions: { httpEndpoint: "enabled", httpTokens: is("imds-optional") ? "optional" : "required", httpPutResponseHopLimit: is("imds-hop-2") ? 2 : 1 },
  });
  new BackupSelection(eks, "backup-selection", {
    name: "mini-data",
    planId: "mini-plan",
    iamRoleArn: role.arn,
    resources: ["arn:aws:ec2:*:*:volume/*"],
    condition: [{ stringEquals: [{ key: "aws:ResourceTag/mini/backup", value: "on" }] }],
  });
  const nodes = new EksNodeGroup(eks, "nodes", {
    clusterName: cluster.name,
    nodeRoleArn: role.arn,
    subnetIds: [is("nodes-public-subnet") ? pub.id : priv.id],
    amiType: is("ami-al2") ? "AL2_x86_64" : "AL2023_x86_64_STANDARD",
    scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 2 },
    launchTemplate: { id: template.id, version: template.latestVersion.toString() },
    remoteAccess: is("ssh-remote-access") ? { ec2SshKey: "ops" } : undefined,
  });
  const dbSg = new SecurityGroup(eks, "db-sg", { vpcId: vpc.id, name: "mini-db" });
  const dbIngress = new SecurityGroupRule(eks, "db-ingress", {
    type: "ingress",
    securityGroupId: dbSg.id,
    protocol: "tcp",
    fromPort: is("ssh-port-22") ? 22 : 5432,
    toPort: is("ssh-port-22") ? 22 : 5432,
    cidrBlocks: [is("sg-world-db") ? "0.0.0.0/0" : "10.0.0.0/16"],
  });
  new SecurityGroupRule(eks, "egress", { type: "egress", securityGroupId: dbSg.id, protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] });
  const lbSg = new SecurityGroup(eks, "lb-sg", { vpcId: vpc.id, name: "mini-lb" });
  // The documented exception: the load balancer's own group is open on 80 and 443.
  const lbPort = (port: number) =>
    new SecurityGroupRule(eks, `lb-${port}`, {
      type: "ingress",
      securityGroupId: lbSg.id,
      protocol: "tcp",
      fromPort: port,
      toPort: port,
      cidrBlocks: ["0.0.0.0/0"],
      ipv6CidrBlocks: ["::/0"],
    });
  lbPort(80);
  lbPort(443);
  const lb8080 = is("sg-world-lb-8080") ? lbPort(8080) : undefined;
  const lb = new Lb(eks, "lb", { name: "mini", loadBalancerType: "application", securityGroups: [lbSg.id], subnets: [pub.id] });
  const cert = new AcmCertificate(eks, "cert", { domainName: "mini.example.com", validationMethod: is("acm-email") ? "EMAIL" : "DNS" });
  new AcmCertificateValidation(eks, "cert-validation", { certificateArn: cert.arn, validationRecordFqdns: ["_x.mini.example.com"] });
  new LbListener(eks, "https", {
    loadBalancerArn: lb.arn,
    port: 443,
    protocol: "HTTPS",
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    certificateArn: cert.arn,
    defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],
  });
  const http = new LbListener(eks, "http", {
    loadBalancerArn: lb.arn,
    port: 80,
    protocol: "HTTP",
    defaultAction: [
      is("listener-http-forward")
        ? { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200" } }
        : { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
    ],
  });
  const repo = new EcrRepository(eks, "repo", {
    name: "mini/api",
    imageTagMutability: is("ecr-mutable") ? "MUTABLE" : "IMMUTABLE",
    imageScanningConfiguration: { scanOnPush: true },
  });
  new EcrLifecyclePolicy(eks, "repo-lifecycle", {
    repository: repo.name,
    policy: JSON.stringify({
      rules: [{ rulePriority: 1, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 }, action: { type: "expire" } }],
    }),
  });
  const output = new TerraformOutput(eks, "ClusterName", { value: cluster.name });
  if (is("access-key-in-output")) new TerraformOutput(eks, "DeployKey", { value: "AKIAIOSFODNN7EXAMPLE" });

  // app: Kubernetes workloads, storage classes, a generated Secret, the ALB ingress, Helm
  const k8s = new TerraformStack(app, "mini-app");
  if (is("backend-local")) new LocalBackend(k8s, { path: "terraform.mini-app.tfstate" });
  else backend(k8s, "mini-app");
  new KubernetesProvider(k8s, "kubernetes", {
    host: cluster.endpoint,
    token: is("provider-token") ? "k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8" : undefined,
  });
  new HelmProvider(k8s, "helm", {});
  new RandomProvider(k8s, "random");
  new Release(k8s, "alb-controller", {
    name: "aws-load-balancer-controller",
    chart: "aws-load-balancer-controller",
    namespace: "kube-system",
    values: [
      JSON.stringify({
        clusterName: cluster.name,
        region: "us-west-2",
        ...(is("alb-controller-no-vpc") ? {} : { vpcId: vpc.id }),
        serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": irsa.arn } },
      }),
    ],
  });
  const storageClass = (name: string, reclaimPolicy: string, isDefault: boolean, tags: Record<string, string> = {}) =>
    new StorageClassV1(k8s, name, {
      metadata: { name, annotations: { "storageclass.kubernetes.io/is-default-class": String(isDefault) } },
      storageProvisioner: "ebs.csi.aws.com",
      reclaimPolicy,
      parameters: { type: "gp3", encrypted: "true", ...tags },
    });
  // Both classes write the backup tag here, so that a claim on the Delete class breaks one rule only.
  storageClass("gp3", "Delete", true, { tagSpecification_1: "mini/backup=on" });
  storageClass("gp3-retain", "Retain", false, is("volume-untagged-class") ? {} : { tagSpecification_1: "mini/backup=on" });
  const password = new Password(k8s, "db-password", { length: 32 });
  const secret = new SecretV1(k8s, "db-credentials", {
    metadata: { name: "db", namespace: "mini" },
    data: { username: "mini", password: is("secret-literal-password") ? "hunter2hunter2" : password.result },
  });
  const container = (name: string) => ({
    name,
    image: `${repo.repositoryUrl}:v1`,
    env: [
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: secret.metadata.name, key: "password" } } },
      ...(is("env-literal-token") ? [{ name: "API_TOKEN", value: "tok-8f14e45fceea167a5a36dedd4bea2543" }] : []),
      ...(is("random-in-env") ? [{ name: "DB_URL", value: `postgres://mini:${password.result}@db:5432/mini` }] : []),
    ],
    securityContext: {
      runAsNonRoot: !is("container-root"),
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: !is("container-writable-root"),
      capabilities: { drop: ["ALL"] },
    },
    resources: is("container-no-limits")
      ? { requests: { cpu: "100m", memory: "128Mi" } }
      : { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    readinessProbe: is("container-no-probes") ? undefined : { httpGet: { path: "/healthz", port: "8080" } },
    livenessProbe: is("container-no-probes") ? undefined : { httpGet: { path: "/healthz", port: "8080" } },
  });
  const deployment = new DeploymentV1(k8s, "api", {
    metadata: { name: "api", namespace: "mini" },
    spec: {
      selector: { matchLabels: { app: "api" } },
      template: { metadata: { labels: { app: "api" } }, spec: { securityContext: { runAsUser: "10001" }, container: [container("api")] } },
    },
  });
  const db = new StatefulSetV1(k8s, "db", {
    metadata: { name: "db", namespace: "mini" },
    spec: {
      serviceName: "db",
      selector: { matchLabels: { app: "db" } },
      template: { metadata: { labels: { app: "db" } }, spec: { container: [container("db")] } },
      volumeClaimTemplate: [
        {
          metadata: { name: "data" },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: is("volume-delete-class") ? "gp3" : "gp3-retain",
            resources: { requests: { storage: "1Gi" } },
          },
        },
      ],
    },
  });
  const defaultDeny = new NetworkPolicyV1(k8s, "default-deny", {
    metadata: { name: "default-deny", namespace: is("namespace-no-default-deny") ? "elsewhere" : "mini" },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  });
  const dbPolicy = new NetworkPolicyV1(k8s, "db-ingress", {
    metadata: { name: "db-ingress", namespace: "mini" },
    spec: {
      podSelector: { matchLabels: { app: "db" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { app: "api" } } },
            ...(is("data-store-open-to-namespaces") ? [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "runs" } } }] : []),
          ],
          ports: [{ protocol: "TCP", port: "5432" }],
        },
      ],
    },
  });
  const ingress = new IngressV1(k8s, "ingress", {
    metadata: {
      name: "mini",
      namespace: "mini",
      annotations: {
        "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
        "alb.ingress.kubernetes.io/ssl-redirect": "443",
        "alb.ingress.kubernetes.io/certificate-arn": cert.arn,
        "alb.ingress.kubernetes.io/ssl-policy": is("ingress-tls10") ? "ELBSecurityPolicy-2016-08" : "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
      },
    },
    spec: {
      ingressClassName: "alb",
      rule: [{ host: "mini.example.com", http: { path: [{ path: "/", backend: { service: { name: "api", port: { number: 80 } } } }] } }],
    },
  });

  return {
    stateBucket: at(state, bucket),
    eksBackend: { stack: eks.node.id, address: "terraform.backend" },
    appBackend: { stack: k8s.node.id, address: "terraform.backend" },
    dbIngress: at(eks, dbIngress),
    lb8080: lb8080 ? at(eks, lb8080) : { stack: "", address: "" },
    nodes: at(eks, nodes),
    template: at(eks, template),
    cluster: at(eks, cluster),
    key: at(eks, key),
    logs: at(eks, logs),
    irsa: at(eks, irsa),
    repo: at(eks, repo),
    cert: at(eks, cert),
    http: at(eks, http),
    albController: { stack: k8s.node.id, address: "helm_release.alb-controller" },
    ingress: at(k8s, ingress),
    deployment: at(k8s, deployment),
    statefulSet: at(k8s, db),
    defaultDeny: at(k8s, defaultDeny),
    dbPolicy: at(k8s, dbPolicy),
    secret: at(k8s, secret),
    output: { stack: eks.node.id, address: `output.${output.friendlyUniqueId.replace("ClusterName", "DeployKey")}` },
    provider: { stack: k8s.node.id, address: "provider.kubernetes" },
  };
}

/** The mini platform synthesized as cdktf synth does (cross-stack references included). */
function synthMini(defect: Defect | undefined): { stacks: SynthesizedStack[]; at: Addresses } {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "guardrails-mini-"));
  try {
    const app = Testing.app({ outdir });
    const addresses = miniPlatform(app, defect);
    app.synth();
    return { stacks: readSynthesized(outdir), at: addresses };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const firing = (stacks: readonly SynthesizedStack[]) => RULES.filter((r) => r.check(stacks).length > 0).map((r) => r.id);

describe("the compliant mini platform", () => {
  const { stacks } = synthMini(undefined);
  test("passes every rule (so each negative test below differs from it by its one defect)", () => {
    expect(formatViolations(RULES.flatMap((r) => r.check(stacks)))).toBe("");
  });
  test("has a cross-stack reference the rules follow (nodes' subnet, the controller's VPC id)", () => {
    const eks = stacks.find((s) => s.name === "mini-eks")!;
    expect(JSON.stringify(eks.json.resource.aws_eks_node_group)).toContain("data.terraform_remote_state.");
  });
});

/** [rule, defect, the address (role in the mini platform) that must be reported]. */
const NEGATIVE: [string, Defect, string][] = [
  ["sg-no-world-ingress", "sg-world-db", "dbIngress"],
  ["sg-no-world-ingress", "sg-world-lb-8080", "lb8080"],
  ["node-no-ssh", "ssh-remote-access", "nodes"],
  ["node-no-ssh", "ssh-key-name", "template"],
  ["node-no-ssh", "ssh-port-22", "dbIngress"],
  ["node-imdsv2-hop-limit-1", "imds-optional", "template"],
  ["node-imdsv2-hop-limit-1", "imds-hop-2", "template"],
  ["alb-controller-region-vpc", "alb-controller-no-vpc", "albController"],
  ["node-al2023", "ami-al2", "nodes"],
  ["node-private-subnets", "nodes-public-subnet", "nodes"],
  ["node-single-cluster-security-group", "lt-untagged-sg", "template"],
  ["cluster-secrets-kms", "kms-no-rotation", "key"],
  ["cluster-control-plane-logs", "logs-missing-audit", "cluster"],
  ["cluster-control-plane-logs", "logs-no-retention", "logs"],
  ["cluster-access-entries", "auth-config-map", "cluster"],
  ["cluster-public-endpoint-cidrs", "endpoint-no-cidrs", "cluster"],
  ["irsa-trust-pinned", "irsa-wildcard-sub", "irsa"],
  ["irsa-trust-pinned", "irsa-no-aud", "irsa"],
  ["state-bucket-hardened", "state-unversioned", "stateBucket"],
  ["state-bucket-hardened", "state-destroyable", "stateBucket"],
  ["backend-encrypted-locked", "backend-no-lock", "eksBackend"],
  ["backend-encrypted-locked", "backend-same-key", "eksBackend"],
  ["backend-encrypted-locked", "backend-local", "appBackend"],
  ["ecr-repository-hardened", "ecr-mutable", "repo"],
  ["acm-certificate-dns-validated", "acm-email", "cert"],
  ["alb-https-only", "ingress-tls10", "ingress"],
  ["alb-https-only", "listener-http-forward", "http"],
  ["container-security-context", "container-root", "deployment"],
  ["container-security-context", "container-writable-root", "statefulSet"],
  ["container-resources-probes", "container-no-limits", "deployment"],
  ["container-resources-probes", "container-no-probes", "statefulSet"],
  ["data-volumes-retained", "volume-delete-class", "statefulSet"],
  ["data-volumes-backed-up", "volume-untagged-class", "statefulSet"],
  ["namespaces-default-deny", "namespace-no-default-deny", "deployment"],
  ["data-stores-isolated", "data-store-open-to-namespaces", "dbPolicy"],
  ["no-literal-secrets", "secret-literal-password", "secret"],
  ["no-literal-secrets", "env-literal-token", "deployment"],
  ["no-literal-secrets", "access-key-in-output", "output"],
  ["no-literal-secrets", "random-in-env", "deployment"],
  ["no-literal-secrets", "provider-token", "provider"],
];

const compliantFiring = firing(synthMini(undefined).stacks);

describe.each(NEGATIVE)("%s fires on %s", (ruleId, defect, role) => {
  const { stacks, at: addresses } = synthMini(defect);
  const violations: Violation[] = ruleById(ruleId).check(stacks);

  test(`reports the defect at its address (${role})`, () => {
    const expected = addresses[role];
    expect(expected.address).not.toBe("");
    expect(violations.map((v) => `${v.stack} ${v.address}`)).toContain(`${expected.stack} ${expected.address}`);
    for (const v of violations) {
      expect(v.rule).toBe(ruleId);
      expect(v.reason).not.toBe("");
    }
  });

  test("and no other rule fires", () => {
    expect(firing(stacks)).toEqual(
      [...new Set([...compliantFiring, ruleId])].sort((a, b) => RULES.findIndex((r) => r.id === a) - RULES.findIndex((r) => r.id === b)),
    );
  });
});

test("every rule has a negative test, every exception names a rule", () => {
  const tested = new Set(NEGATIVE.map(([r]) => r));
  expect(RULES.map((r) => r.id).filter((id) => !tested.has(id))).toEqual([]);
  for (const e of EXCEPTIONS) expect(RULES.map((r) => r.id)).toContain(e.rule);
  for (const r of RULES) expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
});
