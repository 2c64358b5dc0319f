import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { DataAwsLb } from "@cdktf/provider-aws/lib/data-aws-lb";
import { platform, synthPlatform, synthJson, resourcesOf, onlyResource, TfJson } from "../../helpers";

const json = synthPlatform();
const awsStacks = ["state", "network", "eks", "ecr", "cert", "dns"] as const;

function policyDocs(stack: TfJson): TfJson[] {
  return resourcesOf(stack, "aws_iam_policy_document", "data");
}

describe("every stack: provider and backend", () => {
  test.each(awsStacks)("%s: AWS provider pinned to the account and region, with default tags", (name) => {
    const provider = json[name].provider.aws[0];
    expect(provider.region).toBe("us-west-2");
    expect(provider.profile).toBe("ai-sandbox-administrator");
    expect(provider.allowed_account_ids).toEqual(["582719176192"]);
    expect(provider.default_tags[0].tags).toEqual({ Project: "attractor-factory", Stack: `attractor-factory-${name}`, ManagedBy: "cdktf" });
  });

  test("an empty FACTORY_AWS_PROFILE leaves the profile out (default credential chain)", () => {
    const stack = synthJson(platform({ FACTORY_AWS_PROFILE: "" }).network);
    expect(stack.provider.aws[0].profile).toBeUndefined();
    expect(stack.terraform.backend.s3.profile).toBeUndefined();
  });

  test("every stack keeps state in the one S3 bucket, under a distinct key, encrypted, with locking", () => {
    const backends = awsStacks.map((name) => json[name].terraform.backend.s3);
    for (const backend of backends) {
      expect(backend.bucket).toBe("attractor-factory-tfstate-582719176192-us-west-2");
      expect(backend.encrypt).toBe(true);
      expect(backend.use_lockfile).toBe(true);
      expect(backend.region).toBe("us-west-2");
    }
    const keys = backends.map((b) => b.key);
    expect(new Set(keys).size).toBe(awsStacks.length);
    expect(keys).toContain("attractor-factory-eks/terraform.tfstate");
  });

  test("the state bootstrap keeps its own state in the bucket it creates, under its own key, encrypted and locked (no file for a checkout to keep)", () => {
    expect(json.state.terraform.backend).toEqual({
      s3: expect.objectContaining({
        bucket: "attractor-factory-tfstate-582719176192-us-west-2",
        key: "attractor-factory-state/terraform.tfstate",
        encrypt: true,
        use_lockfile: true,
      }),
    });
  });

  test("the AWS provider is hashicorp/aws 5.100.0", () => {
    expect(json.network.terraform.required_providers.aws.version).toBe("5.100.0");
  });

  test("stacks using another stack's values read them through remote state in the S3 bucket", () => {
    const remote = Object.values(json.eks.data.terraform_remote_state) as TfJson[];
    expect(remote).toHaveLength(1);
    expect(remote[0].backend).toBe("s3");
    expect(remote[0].config.key).toBe("attractor-factory-network/terraform.tfstate");
    expect(remote[0].config.bucket).toBe("attractor-factory-tfstate-582719176192-us-west-2");
  });
});

describe("state stack", () => {
  const stack = JSON.stringify(json.state);
  test("bucket named after prefix, account and region, protected from destroy", () => {
    expect(stack).toHaveResourceWithProperties(S3Bucket, {
      bucket: "attractor-factory-tfstate-582719176192-us-west-2",
      lifecycle: { prevent_destroy: true },
    });
  });
  test("versioning on", () => {
    expect(stack).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
  });
  test("encrypted with KMS by default", () => {
    const sse = onlyResource(json.state, "aws_s3_bucket_server_side_encryption_configuration");
    expect(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
  });
  test("all public access blocked", () => {
    expect(stack).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });
  test("a bucket policy denies any request not made over TLS", () => {
    const doc = onlyResource(json.state, "aws_iam_policy_document", "data");
    expect(doc.statement[0]).toMatchObject({
      effect: "Deny",
      actions: ["s3:*"],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
    expect(onlyResource(json.state, "aws_s3_bucket_policy").policy).toContain(".json}");
  });
});

describe("network stack", () => {
  const net = json.network;
  const subnets = resourcesOf(net, "aws_subnet");
  const pub = subnets.filter((s) => s.tags["kubernetes.io/role/elb"] === "1");
  const priv = subnets.filter((s) => s.tags["kubernetes.io/role/internal-elb"] === "1");

  test("VPC 10.42.0.0/16 with DNS support", () => {
    expect(JSON.stringify(net)).toHaveResourceWithProperties(Vpc, { cidr_block: "10.42.0.0/16", enable_dns_hostnames: true, enable_dns_support: true });
  });
  test("2 public + 2 private subnets across 2 AZs, inside the VPC and not overlapping", () => {
    expect(pub).toHaveLength(2);
    expect(priv).toHaveLength(2);
    expect(subnets.map((s) => s.cidr_block).sort()).toEqual(["10.42.0.0/18", "10.42.128.0/20", "10.42.144.0/20", "10.42.64.0/18"]);
    expect(new Set(subnets.map((s) => s.availability_zone)).size).toBe(2);
  });
  test("public subnets do not give instances public IPs", () => {
    for (const s of pub) expect(s.map_public_ip_on_launch).toBe(false);
  });
  test("subnets carry the load balancer role tags and the cluster tag", () => {
    for (const s of subnets) expect(s.tags["kubernetes.io/cluster/attractor-factory-eks"]).toBe("shared");
  });
  test("internet gateway, and one NAT gateway by default", () => {
    expect(resourcesOf(net, "aws_internet_gateway")).toHaveLength(1);
    expect(resourcesOf(net, "aws_nat_gateway")).toHaveLength(1);
  });
  test("one NAT gateway per AZ when FACTORY_NAT_GATEWAYS=per-az", () => {
    const perAz = synthJson(platform({ FACTORY_NAT_GATEWAYS: "per-az" }).network);
    expect(resourcesOf(perAz, "aws_nat_gateway")).toHaveLength(2);
    const natIds = resourcesOf(perAz, "aws_route_table")
      .flatMap((rt) => rt.route.map((r: TfJson) => r.nat_gateway_id))
      .filter(Boolean);
    expect(new Set(natIds).size).toBe(2);
  });
  test("public route table routes to the internet gateway, private ones to the NAT gateway; every subnet associated", () => {
    const routes = resourcesOf(net, "aws_route_table").map((rt) => rt.route[0]);
    expect(routes.filter((r) => r.gateway_id?.includes("aws_internet_gateway"))).toHaveLength(1);
    expect(routes.filter((r) => r.nat_gateway_id?.includes("aws_nat_gateway"))).toHaveLength(2);
    expect(resourcesOf(net, "aws_route_table_association")).toHaveLength(4);
  });
  test("the default security group is emptied of rules", () => {
    const sg = onlyResource(net, "aws_default_security_group");
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });
  test("outputs VpcId, PublicSubnetIds, PrivateSubnetIds", () => {
    expect(Object.keys(net.output)).toEqual(expect.arrayContaining(["VpcId", "PublicSubnetIds", "PrivateSubnetIds"]));
  });
  test("a smaller VPC is laid out inside itself", () => {
    const small = synthJson(platform({ FACTORY_VPC_CIDR: "192.168.10.0/24" }).network);
    expect(
      resourcesOf(small, "aws_subnet")
        .map((s) => s.cidr_block)
        .sort(),
    ).toEqual(["192.168.10.0/26", "192.168.10.128/28", "192.168.10.144/28", "192.168.10.64/26"]);
  });
});

describe("eks stack", () => {
  const eks = json.eks;
  const cluster = onlyResource(eks, "aws_eks_cluster");

  test("cluster attractor-factory-eks at the pinned Kubernetes version", () => {
    expect(cluster.name).toBe("attractor-factory-eks");
    expect(cluster.version).toBe("1.35");
  });
  test("the cluster's network interfaces are in the private subnets read from the network stack", () => {
    expect(cluster.vpc_config.subnet_ids).toHaveLength(2);
    for (const id of cluster.vpc_config.subnet_ids) expect(id).toMatch(/terraform_remote_state.*private/);
  });
  test("authentication through access entries only (API mode), no implicit creator admin", () => {
    expect(cluster.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
  });
  test("an admin access entry for the deploying principal (its IAM role, not the STS session)", () => {
    const entries = resourcesOf(eks, "aws_eks_access_entry");
    expect(entries).toHaveLength(1);
    expect(entries[0].principal_arn).toMatch(/data\.aws_iam_session_context\..*\.issuer_arn/);
    const assoc = onlyResource(eks, "aws_eks_access_policy_association");
    expect(assoc.policy_arn).toBe("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
    expect(assoc.access_scope).toEqual({ type: "cluster" });
  });
  test("extra admins from FACTORY_ADMIN_PRINCIPAL_ARNS get entries too", () => {
    const more = synthJson(platform({ FACTORY_ADMIN_PRINCIPAL_ARNS: "arn:aws:iam::582719176192:role/ops,arn:aws:iam::582719176192:user/alice" }).eks);
    expect(resourcesOf(more, "aws_eks_access_entry").map((e) => e.principal_arn)).toEqual(
      expect.arrayContaining(["arn:aws:iam::582719176192:role/ops", "arn:aws:iam::582719176192:user/alice"]),
    );
    expect(resourcesOf(more, "aws_eks_access_policy_association")).toHaveLength(3);
  });
  test("secrets encrypted with a customer-managed KMS key that rotates", () => {
    expect(cluster.encryption_config.resources).toEqual(["secrets"]);
    expect(cluster.encryption_config.provider.key_arn).toMatch(/aws_kms_key\..*\.arn/);
    const key = resourcesOf(eks, "aws_kms_key").find((k) => String(k.description).startsWith("Envelope encryption of Kubernetes secrets"));
    expect(key?.enable_key_rotation).toBe(true);
  });
  test("every control-plane log type on, into a log group with a retention created first", () => {
    expect(cluster.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    const logs = resourcesOf(eks, "aws_cloudwatch_log_group").find((g) => g.name === "/aws/eks/attractor-factory-eks/cluster");
    expect(logs).toMatchObject({ name: "/aws/eks/attractor-factory-eks/cluster", retention_in_days: 90 });
    expect(cluster.depends_on.some((d: string) => d.startsWith("aws_cloudwatch_log_group."))).toBe(true);
  });
  test("public endpoint limited to FACTORY_ENDPOINT_PUBLIC_ACCESS_CIDRS (default 0.0.0.0/0), private endpoint on", () => {
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ["0.0.0.0/0"] });
    const narrowed = onlyResource(synthJson(platform({ FACTORY_ENDPOINT_PUBLIC_ACCESS_CIDRS: "203.0.113.0/24" }).eks), "aws_eks_cluster");
    expect(narrowed.vpc_config.public_access_cidrs).toEqual(["203.0.113.0/24"]);
  });
  test("control-plane role trusted by EKS with AmazonEKSClusterPolicy", () => {
    const attachments = resourcesOf(eks, "aws_iam_role_policy_attachment").map((a) => a.policy_arn);
    expect(attachments).toContain("arn:aws:iam::aws:policy/AmazonEKSClusterPolicy");
    const trusts = policyDocs(eks).map((d) => d.statement[0].principals?.[0]?.identifiers?.[0]);
    expect(trusts).toEqual(expect.arrayContaining(["eks.amazonaws.com", "ec2.amazonaws.com"]));
  });
  test("node role includes ECR pull permissions", () => {
    const attachments = resourcesOf(eks, "aws_iam_role_policy_attachment").map((a) => a.policy_arn);
    expect(attachments).toEqual(
      expect.arrayContaining([
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
        "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
      ]),
    );
  });
  test("managed node group: AL2023, private subnets, min 2 / desired 2 / max 6 in total, a group per private subnet (zone)", () => {
    const groups = resourcesOf(eks, "aws_eks_node_group");
    expect(groups.map((ng) => ng.subnet_ids[0]).sort()).toEqual([...cluster.vpc_config.subnet_ids].sort());
    for (const ng of groups) {
      expect(ng.subnet_ids).toHaveLength(1);
      expect(ng.ami_type).toBe("AL2023_x86_64_STANDARD");
      expect(ng.update_config).toEqual({ max_unavailable: 1 });
    }
    const total = (k: string) => groups.reduce((n, ng) => n + ng.scaling_config[k], 0);
    expect([total("min_size"), total("desired_size"), total("max_size")]).toEqual([2, 2, 6]);
  });
  test("a node group change AWS cannot make in place rolls: the new group (generated name) is created before the old one is destroyed", () => {
    for (const ng of resourcesOf(eks, "aws_eks_node_group")) {
      expect(ng.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ["scaling_config[0].desired_size"] });
      expect(ng.node_group_name).toBeUndefined();
      expect(ng.node_group_name_prefix).toMatch(/^default-z[01]-$/);
      // Terraform's 26-character suffix must fit EKS's 63-character limit.
      expect(ng.node_group_name_prefix.length + 26).toBeLessThanOrEqual(63);
    }
  });
  test("disk size is in the launch template: a change rolls the nodes in place, node by node", () => {
    const lt = onlyResource(synthJson(platform({ FACTORY_NODE_DISK_SIZE: "80" }).eks), "aws_launch_template");
    expect(lt.block_device_mappings[0].ebs.volume_size).toBe(80);
    for (const ng of resourcesOf(eks, "aws_eks_node_group")) expect(ng.launch_template.version).toMatch(/aws_launch_template\..*\.latest_version/);
  });
  test("node sizes follow FACTORY_NODE_MIN / _DESIRED / _MAX", () => {
    const groups = resourcesOf(synthJson(platform({ FACTORY_NODE_MIN: "4", FACTORY_NODE_DESIRED: "6", FACTORY_NODE_MAX: "10" }).eks), "aws_eks_node_group");
    expect(groups.map((ng) => ng.scaling_config)).toEqual([0, 1].map(() => ({ min_size: 2, desired_size: 3, max_size: 5 })));
  });
  test("launch template requires IMDSv2 with hop limit 1, encrypted gp3 root volume, no SSH key", () => {
    const lt = onlyResource(eks, "aws_launch_template");
    expect(lt.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(lt.block_device_mappings[0].ebs).toMatchObject({ volume_type: "gp3", encrypted: "true" });
    expect(lt.key_name).toBeUndefined();
    expect(lt.vpc_security_group_ids).toBeUndefined();
    for (const ng of resourcesOf(eks, "aws_eks_node_group")) expect(ng.launch_template.id).toMatch(/aws_launch_template\./);
  });
  test("IAM OIDC provider for IRSA, for the STS audience", () => {
    const oidc = onlyResource(eks, "aws_iam_openid_connect_provider");
    expect(oidc.url).toMatch(/aws_eks_cluster\..*\.identity\[0\]\.oidc\[0\]\.issuer/);
    expect(oidc.client_id_list).toEqual(["sts.amazonaws.com"]);
  });
  test("EKS managed add-ons at the versions pinned for the Kubernetes version", () => {
    const addons = Object.fromEntries(resourcesOf(eks, "aws_eks_addon").map((a) => [a.addon_name, a.addon_version]));
    expect(addons).toEqual({
      "vpc-cni": "v1.22.3-eksbuild.1",
      "kube-proxy": "v1.35.3-eksbuild.13",
      coredns: "v1.14.3-eksbuild.3",
      "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",
      "amazon-cloudwatch-observability": "v6.6.0-eksbuild.1",
    });
  });
  test("add-ons are created and upgraded after the node group (control plane, nodes, add-ons)", () => {
    for (const addon of resourcesOf(eks, "aws_eks_addon")) {
      expect(addon.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_eks_node_group\./)]));
    }
  });
  test("the EBS CSI driver add-on runs with its own IRSA role (AmazonEBSCSIDriverPolicy)", () => {
    const ebs = resourcesOf(eks, "aws_eks_addon").find((a) => a.addon_name === "aws-ebs-csi-driver")!;
    expect(ebs.service_account_role_arn).toMatch(/aws_iam_role\.addons_ebs-csi-role.*\.arn/);
    expect(resourcesOf(eks, "aws_iam_role_policy_attachment").map((a) => a.policy_arn)).toContain(
      "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
    );
  });
  test("outputs ClusterName, ClusterArn, ClusterEndpoint, OidcIssuer, NodeRoleArn and what the Kubernetes layer needs", () => {
    expect(Object.keys(eks.output)).toEqual(
      expect.arrayContaining([
        "ClusterName",
        "ClusterArn",
        "ClusterEndpoint",
        "OidcIssuer",
        "NodeRoleArn",
        "ClusterCertificateAuthorityData",
        "OidcProviderArn",
        "ClusterSecurityGroupId",
      ]),
    );
  });
});

describe("ecr stack", () => {
  const ecr = json.ecr;
  const repos = resourcesOf(ecr, "aws_ecr_repository");
  test("the four repositories", () => {
    expect(repos.map((r) => r.name).sort()).toEqual([
      "attractor-factory/factory-api",
      "attractor-factory/factory-runner",
      "attractor-factory/factory-runner-controller",
      "attractor-factory/factory-web",
    ]);
  });
  test.each([
    "attractor-factory/factory-api",
    "attractor-factory/factory-web",
    "attractor-factory/factory-runner-controller",
    "attractor-factory/factory-runner",
  ])("%s: immutable tags, scan on push, KMS encryption", (name) => {
    expect(JSON.stringify(ecr)).toHaveResourceWithProperties(EcrRepository, {
      name,
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "KMS" }],
    });
  });
  test("a lifecycle policy per repository keeps FACTORY_ECR_KEEP_IMAGES images and expires untagged ones", () => {
    const policies = resourcesOf(synthJson(platform({ FACTORY_ECR_KEEP_IMAGES: "15" }).ecr), "aws_ecr_lifecycle_policy");
    expect(policies).toHaveLength(4);
    const rules = JSON.parse(policies[0].policy).rules;
    expect(rules.find((r: TfJson) => r.selection.tagStatus === "any").selection).toMatchObject({ countType: "imageCountMoreThan", countNumber: 15 });
    expect(rules.find((r: TfJson) => r.selection.tagStatus === "untagged").selection.countType).toBe("sinceImagePushed");
  });
  test("outputs ApiRepositoryUri, WebRepositoryUri, ControllerRepositoryUri, RunnerRepositoryUri", () => {
    // cdktf adds cross-stack-output-* for the stacks that read the URLs; the spec's are these.
    const named = Object.keys(ecr.output).filter((k) => !k.startsWith("cross-stack-output-"));
    expect(named.sort()).toEqual(["ApiRepositoryUri", "ControllerRepositoryUri", "RunnerRepositoryUri", "WebRepositoryUri"]);
  });
});

describe("cert stack", () => {
  const cert = json.cert;
  test("a DNS-validated ACM certificate for factory.pelx.ai, in us-west-2", () => {
    expect(JSON.stringify(cert)).toHaveResourceWithProperties(AcmCertificate, { domain_name: "factory.pelx.ai", validation_method: "DNS" });
    expect(cert.provider.aws[0].region).toBe("us-west-2");
  });
  test("the public hosted zone is looked up by name", () => {
    expect(JSON.stringify(cert)).toHaveDataSourceWithProperties(DataAwsRoute53Zone, { name: "pelx.ai", private_zone: false });
  });
  test("the validation record goes into that zone and the stack waits for issuance", () => {
    const record = onlyResource(cert, "aws_route53_record");
    expect(record.zone_id).toMatch(/data\.aws_route53_zone\..*\.zone_id/);
    expect(record.name).toMatch(/domain_validation_options.*resource_record_name/);
    const validation = onlyResource(cert, "aws_acm_certificate_validation");
    expect(validation.validation_record_fqdns[0]).toMatch(/aws_route53_record\..*\.fqdn/);
  });
  test("output CertificateArn is the validated certificate", () => {
    expect(cert.output.CertificateArn.value).toMatch(/aws_acm_certificate_validation\..*\.certificate_arn/);
  });
});

describe("dns stack", () => {
  const dns = json.dns;
  test("finds the ingress's ALB by the name the ingress gives it", () => {
    expect(JSON.stringify(dns)).toHaveDataSourceWithProperties(DataAwsLb, { name: "attractor-factory-alb" });
  });
  test("alias A record factory.pelx.ai -> the ALB, in the zone the cert stack found", () => {
    const record = onlyResource(dns, "aws_route53_record");
    expect(record).toMatchObject({ name: "factory.pelx.ai", type: "A" });
    expect(record.alias.name).toMatch(/data\.aws_lb\..*\.dns_name/);
    expect(record.alias.zone_id).toMatch(/data\.aws_lb\..*\.zone_id/);
    expect(record.zone_id).toMatch(/terraform_remote_state.*attractor-factory-cert/);
  });
});
