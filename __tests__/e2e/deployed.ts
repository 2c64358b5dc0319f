/**
 * What the deployment left in AWS, checked against the configuration: network, cluster, node
 * group and add-ons, repositories, certificate, the state keys, and the backup stack.
 */
import { existsSync } from "fs";
import { FACTORY_IMAGES } from "../../factory-images";
import { VERSIONS } from "../../versions";
import { aws } from "./aws-queries";
import { outputs } from "./commands";
import { bootstrapStateFile, BUCKET_STATE_STACKS, config, stack } from "./context";
import { check, checkEqual } from "./report";

export function verifyInfra(): void {
  const net = outputs("network");
  const vpc = aws(["ec2", "describe-vpcs", "--vpc-ids", net.VpcId]).Vpcs[0];
  checkEqual("VPC CIDR", vpc.CidrBlock, config.vpcCidr);
  const subnets = aws(["ec2", "describe-subnets", "--filters", `Name=vpc-id,Values=${net.VpcId}`]).Subnets as {
    SubnetId: string;
    AvailabilityZone: string;
    Tags?: { Key: string; Value: string }[];
  }[];
  const tag = (s: (typeof subnets)[0], k: string) => s.Tags?.find((t) => t.Key === k)?.Value;
  const pub = subnets.filter((s) => tag(s, "kubernetes.io/role/elb") === "1");
  const priv = subnets.filter((s) => tag(s, "kubernetes.io/role/internal-elb") === "1");
  checkEqual("2 public subnets tagged kubernetes.io/role/elb", pub.map((s) => s.SubnetId).sort(), [...net.PublicSubnetIds].sort());
  checkEqual("2 private subnets tagged kubernetes.io/role/internal-elb", priv.map((s) => s.SubnetId).sort(), [...net.PrivateSubnetIds].sort());
  checkEqual("subnets span 2 AZs", new Set(subnets.map((s) => s.AvailabilityZone)).size, 2);
  check(
    "every subnet carries the cluster tag",
    subnets.every((s) => tag(s, `kubernetes.io/cluster/${config.clusterName}`) === "shared"),
  );
  const nats = aws(["ec2", "describe-nat-gateways", "--filter", `Name=vpc-id,Values=${net.VpcId}`]).NatGateways.filter(
    (n: { State: string }) => n.State === "available",
  );
  checkEqual("one NAT gateway", nats.length, 1);

  const eksOut = outputs("eks");
  const cluster = aws(["eks", "describe-cluster", "--name", config.clusterName]).cluster;
  checkEqual("cluster name output", eksOut.ClusterName, config.clusterName);
  checkEqual("cluster version", cluster.version, config.kubernetesVersion);
  checkEqual("cluster authentication mode", cluster.accessConfig?.authenticationMode, "API");
  checkEqual("cluster secrets encrypted", cluster.encryptionConfig?.[0]?.resources, ["secrets"]);
  checkEqual("cluster endpoint output", eksOut.ClusterEndpoint, cluster.endpoint);
  checkEqual("OIDC issuer output", eksOut.OidcIssuer, cluster.identity.oidc.issuer);
  const groups = (aws(["eks", "list-nodegroups", "--cluster-name", config.clusterName]).nodegroups as string[]).map(
    (name) => aws(["eks", "describe-nodegroup", "--cluster-name", config.clusterName, "--nodegroup-name", name]).nodegroup,
  );
  checkEqual(
    "a node group per private subnet (zone), each in its own",
    groups.map((g) => g.subnets).sort(),
    [...net.PrivateSubnetIds].sort().map((s: string) => [s]),
  );
  for (const [i, ng] of groups.entries()) {
    checkEqual(
      `node group ${i}: sizes min/desired/max are the totals split over the zones`,
      [ng.scalingConfig.minSize, ng.scalingConfig.desiredSize, ng.scalingConfig.maxSize].map((n: number) => n * groups.length),
      [config.nodeGroup.minSize, config.nodeGroup.desiredSize, config.nodeGroup.maxSize],
    );
    checkEqual(`node group ${i}: AMI type`, ng.amiType, "AL2023_x86_64_STANDARD");
  }
  check(
    "at least a node a zone at min",
    groups.every((g) => g.scalingConfig.minSize >= 1),
    JSON.stringify(groups.map((g) => g.scalingConfig)),
  );
  const ng = groups[0];
  checkEqual("NodeRoleArn output", eksOut.NodeRoleArn, ng.nodeRole);
  const addons = aws(["eks", "list-addons", "--cluster-name", config.clusterName]).addons.sort();
  // The add-ons versions.yaml pins for the cluster's Kubernetes version.
  checkEqual("EKS add-ons", addons, Object.keys(VERSIONS.kubernetes.eksAddons[config.kubernetesVersion]).sort());
  const cni = aws(["eks", "describe-addon", "--cluster-name", config.clusterName, "--addon-name", "vpc-cni"]).addon;
  checkEqual("the VPC CNI enforces network policies (its configuration)", JSON.parse(cni.configurationValues ?? "{}"), { enableNetworkPolicy: "true" });
  const entries = aws(["eks", "list-access-entries", "--cluster-name", config.clusterName]).accessEntries;
  check("an access entry for the deploying principal", entries.length >= 1, JSON.stringify(entries));
  const oidc = aws(["iam", "list-open-id-connect-providers"]).OpenIDConnectProviderList.map((p: { Arn: string }) => p.Arn);
  check("IAM OIDC provider exists", oidc.includes(eksOut.OidcProviderArn), JSON.stringify(oidc));

  const repos = aws(["ecr", "describe-repositories"]).repositories as {
    repositoryName: string;
    repositoryUri: string;
    imageTagMutability: string;
    imageScanningConfiguration: { scanOnPush: boolean };
  }[];
  const ecrOut = outputs("ecr");
  for (const [image, output] of Object.entries(FACTORY_IMAGES)) {
    const repo = repos.find((r) => r.repositoryName === `${config.stackPrefix}/${image}`);
    check(
      `repository ${image}: immutable, scan on push, ${output} output`,
      !!repo && repo.imageTagMutability === "IMMUTABLE" && repo.imageScanningConfiguration.scanOnPush && ecrOut[output] === repo.repositoryUri,
      JSON.stringify(repo),
    );
  }

  const certArn = outputs("cert").CertificateArn;
  const cert = aws(["acm", "describe-certificate", "--certificate-arn", certArn]).Certificate;
  checkEqual("certificate ISSUED", cert.Status, "ISSUED");
  checkEqual("certificate domain", cert.DomainName, config.hostname);
  checkEqual("state bucket versioned", aws(["s3api", "get-bucket-versioning", "--bucket", config.stateBucket]).Status, "Enabled");
  const keys = aws(["s3api", "list-objects-v2", "--bucket", config.stateBucket])
    .Contents?.map((o: { Key: string }) => o.Key)
    .sort();
  checkEqual(
    "every deployed stack's state under its own key, nothing else (no lock, no marker)",
    keys,
    BUCKET_STATE_STACKS.map((s) => `${stack(s)}/terraform.tfstate`).sort(),
  );
  check(
    "no state file to keep: the bootstrap's state is in the bucket, none beside the output directory",
    keys?.includes(`${stack("state")}/terraform.tfstate`) && !existsSync(bootstrapStateFile()),
    bootstrapStateFile(),
  );
  verifyBackup();
}

/** The backup stack as AWS holds it: vault, its key and policy, the plan's rules, the selection by tag. */
function verifyBackup(): void {
  const out = outputs("backup");
  const vault = aws(["backup", "describe-backup-vault", "--backup-vault-name", out.BackupVaultName]);
  const key = vault.EncryptionKeyArn ? aws(["kms", "describe-key", "--key-id", vault.EncryptionKeyArn]).KeyMetadata : undefined;
  check(
    "backup vault encrypted with a key of its own (the backup stack's)",
    !!key && key.KeyState === "Enabled" && key.Description.includes(out.BackupVaultName),
    JSON.stringify(vault),
  );
  const policy = JSON.parse(aws(["backup", "get-backup-vault-access-policy", "--backup-vault-name", out.BackupVaultName]).Policy);
  check(
    "the vault's policy denies deleting recovery points",
    JSON.stringify(policy).includes("backup:DeleteRecoveryPoint") && policy.Statement?.[0]?.Effect === "Deny",
    JSON.stringify(policy),
  );
  const plan = aws(["backup", "get-backup-plan", "--backup-plan-id", out.BackupPlanId]).BackupPlan;
  checkEqual(
    "backup plan: a daily rule kept 35 days and a weekly rule kept 180, into the vault",
    plan.Rules.map((r: { RuleName: string; Lifecycle: { DeleteAfterDays: number }; TargetBackupVaultName: string }) => [
      r.RuleName,
      r.Lifecycle.DeleteAfterDays,
      r.TargetBackupVaultName,
    ]),
    [
      ["daily", 35, out.BackupVaultName],
      ["weekly", 180, out.BackupVaultName],
    ],
  );
  const selections = aws(["backup", "list-backup-selections", "--backup-plan-id", out.BackupPlanId]).BackupSelectionsList;
  const selection =
    selections.length === 1
      ? aws(["backup", "get-backup-selection", "--backup-plan-id", out.BackupPlanId, "--selection-id", selections[0].SelectionId]).BackupSelection
      : undefined;
  checkEqual(
    "backup selection: EBS volumes AND the backup tag (a condition), with the stack's role",
    [selection?.Conditions?.StringEquals, selection?.Resources, selection?.IamRoleArn],
    [[{ ConditionKey: `aws:ResourceTag/${config.stackPrefix}/backup`, ConditionValue: "daily-weekly" }], ["arn:aws:ec2:*:*:volume/*"], out.BackupRoleArn],
  );
}
