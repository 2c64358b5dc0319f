/**
 * The mini platform's AWS stacks, in raw provider resources: mini-state (the state bucket),
 * mini-net (VPC and subnets) and mini-eks (cluster, nodes, IRSA, ECR, ACM, a load balancer).
 * Each is compliant unless `is` turns on one of its defects.
 */
import { App, Fn, TerraformOutput, TerraformStack } from "cdktf";
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
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Is, at, backend, BUCKET, CLUSTER, costTags } from "./common";

/** mini-state: the bucket, its own state in it like every stack's. */
export function stateStack(app: App, is: Is) {
  const state = new TerraformStack(app, "mini-state");
  backend(state, "mini-state");
  new AwsProvider(state, "aws", { region: "us-west-2", defaultTags: [{ tags: costTags(state) }] });
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
  return { stateBucket: at(state, bucket) };
}

/** mini-net: VPC, a private subnet behind NAT, a public one behind the internet gateway. */
export function netStack(app: App) {
  const net = new TerraformStack(app, "mini-net");
  backend(net, "mini-net");
  new AwsProvider(net, "aws", { region: "us-west-2", defaultTags: [{ tags: costTags(net) }] });
  const vpc = new Vpc(net, "vpc", { cidrBlock: "10.0.0.0/16" });
  const igw = new InternetGateway(net, "igw", { vpcId: vpc.id });
  const pub = new Subnet(net, "public", { vpcId: vpc.id, cidrBlock: "10.0.128.0/20" });
  const priv = new Subnet(net, "private", { vpcId: vpc.id, cidrBlock: "10.0.0.0/18" });
  const pubRt = new RouteTable(net, "public-rt", { vpcId: vpc.id, route: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }] });
  new RouteTableAssociation(net, "public-rta", { subnetId: pub.id, routeTableId: pubRt.id });
  const nat = new NatGateway(net, "nat", { subnetId: pub.id, allocationId: new Eip(net, "eip", { domain: "vpc" }).id });
  const privRt = new RouteTable(net, "private-rt", { vpcId: vpc.id, route: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }] });
  new RouteTableAssociation(net, "private-rta", { subnetId: priv.id, routeTableId: privRt.id });
  return { vpc, pub, priv };
}

/** mini-eks: cluster, nodes, IRSA, ECR, ACM, a load balancer with its own group. */
export function eksStack(app: App, is: Is, { vpc, pub, priv }: ReturnType<typeof netStack>) {
  const eks = new TerraformStack(app, "mini-eks");
  backend(eks, is("backend-same-key") ? "mini-net" : "mini-eks");
  if (is("backend-no-lock")) eks.addOverride("terraform.backend.s3.use_lockfile", false);
  new AwsProvider(eks, "aws", { region: "us-west-2", defaultTags: is("provider-no-cost-tags") ? undefined : [{ tags: costTags(eks) }] });
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
    upgradePolicy: is("cluster-no-upgrade-policy") ? undefined : { supportType: "STANDARD" },
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
    tagSpecifications: ["instance", "volume"].map((resourceType) => ({ resourceType, tags: is("lt-no-cost-tags") ? { Name: "mini-node" } : costTags(eks) })),
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
    nodeRepairConfig: is("nodes-no-repair") ? undefined : { enabled: true },
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
  return {
    cluster,
    irsa,
    repo,
    cert,
    addresses: {
      eksBackend: { stack: eks.node.id, address: "terraform.backend" },
      awsProvider: { stack: eks.node.id, address: "provider.aws" },
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
      output: { stack: eks.node.id, address: `output.${output.friendlyUniqueId.replace("ClusterName", "DeployKey")}` },
    },
  };
}

/** mini-monitoring: an encrypted alert topic, an alarm that notifies it, a log group with retention. */
export function monitoringStack(app: App, is: Is) {
  const mon = new TerraformStack(app, "mini-monitoring");
  backend(mon, "mini-monitoring");
  new AwsProvider(mon, "aws", { region: "us-west-2", defaultTags: [{ tags: costTags(mon) }] });
  const key = new KmsKey(mon, "alert-key", { enableKeyRotation: true });
  const topic = new SnsTopic(mon, "alerts", { name: "mini-alerts", kmsMasterKeyId: is("topic-unencrypted") ? undefined : key.arn });
  new SnsTopicPolicy(mon, "alerts-policy", {
    arn: topic.arn,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: "*" }],
    }),
  });
  const alarm = new CloudwatchMetricAlarm(mon, "nodes-alarm", {
    alarmName: "mini-nodes-not-ready",
    namespace: "ContainerInsights",
    metricName: "cluster_failed_node_count",
    statistic: "Maximum",
    period: 60,
    evaluationPeriods: 1,
    comparisonOperator: "GreaterThanThreshold",
    threshold: 0,
    treatMissingData: "notBreaching",
    alarmActions: [topic.arn],
    okActions: is("alarm-no-ok-action") ? undefined : [topic.arn],
  });
  const group = new CloudwatchLogGroup(mon, "insights-logs", {
    name: `/aws/containerinsights/${CLUSTER}/application`,
    retentionInDays: is("log-group-forever") ? undefined : 30,
  });
  return { topic: at(mon, topic), alarm: at(mon, alarm), logGroup: at(mon, group) };
}
