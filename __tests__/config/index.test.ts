import { loadConfig, ConfigError, settingDocs, ZONE_COUNT } from "../../config";

describe("configuration defaults are the spec's", () => {
  const config = loadConfig({});
  test.each([
    ["account", config.accountId, "582719176192"],
    ["profile", config.awsProfile, "ai-sandbox-administrator"],
    ["region", config.region, "us-west-2"],
    ["hostname", config.hostname, "factory.pelx.ai"],
    ["hosted zone (hostname's parent domain)", config.hostedZone, "pelx.ai"],
    ["VPC CIDR", config.vpcCidr, "10.42.0.0/16"],
    ["cluster name", config.clusterName, "attractor-factory-eks"],
    ["stack prefix", config.stackPrefix, "attractor-factory"],
    ["namespace", config.namespace, "factory-system"],
  ])("%s", (_what, actual, expected) => {
    expect(actual).toBe(expected);
  });

  test("node group min 2 / desired 2 / max 6", () => {
    expect([config.nodeGroup.minSize, config.nodeGroup.desiredSize, config.nodeGroup.maxSize]).toEqual([2, 2, 6]);
  });

  test("standard support only, by default: the cluster is upgraded rather than billed the extended rate", () => {
    expect(config.eksSupportType).toBe("STANDARD");
  });

  test("no image tag until one is given", () => {
    expect(config.imageTag).toBeUndefined();
  });

  test("the config is frozen, nested objects too", () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.nodeGroup)).toBe(true);
    expect(Object.isFrozen(config.nodeGroup.instanceTypes)).toBe(true);
  });
});

describe("every setting can be overridden by FACTORY_<SETTING>", () => {
  test.each<[string, string, (c: ReturnType<typeof loadConfig>) => unknown, unknown]>([
    ["FACTORY_ACCOUNT_ID", "123456789012", (c) => c.accountId, "123456789012"],
    ["FACTORY_AWS_PROFILE", "prod-admin", (c) => c.awsProfile, "prod-admin"],
    ["FACTORY_AWS_PROFILE", "", (c) => c.awsProfile, undefined],
    ["FACTORY_REGION", "eu-west-1", (c) => c.region, "eu-west-1"],
    ["FACTORY_HOSTNAME", "factory.example.com", (c) => c.hostedZone, "example.com"],
    ["FACTORY_VPC_CIDR", "10.50.0.0/20", (c) => c.vpcCidr, "10.50.0.0/20"],
    ["FACTORY_NAT_GATEWAYS", "per-az", (c) => c.natGateways, "per-az"],
    ["FACTORY_EKS_SUPPORT_TYPE", "EXTENDED", (c) => c.eksSupportType, "EXTENDED"],
    ["FACTORY_CLUSTER_NAME", "other-eks", (c) => c.clusterName, "other-eks"],
    ["FACTORY_SERVICE_CIDR", "172.21.0.0/16", (c) => c.serviceCidr, "172.21.0.0/16"],
    ["FACTORY_ENDPOINT_PUBLIC_ACCESS_CIDRS", "203.0.113.0/24,198.51.100.7/32", (c) => c.endpointPublicAccessCidrs, ["203.0.113.0/24", "198.51.100.7/32"]],
    ["FACTORY_ADMIN_PRINCIPAL_ARNS", "arn:aws:iam::582719176192:role/ops", (c) => c.adminPrincipalArns, ["arn:aws:iam::582719176192:role/ops"]],
    ["FACTORY_LOG_RETENTION_DAYS", "30", (c) => c.logRetentionDays, 30],
    ["FACTORY_NODE_MAX", "10", (c) => c.nodeGroup.maxSize, 10],
    ["FACTORY_NODE_INSTANCE_TYPES", "m6i.xlarge,m6a.xlarge", (c) => c.nodeGroup.instanceTypes, ["m6i.xlarge", "m6a.xlarge"]],
    ["FACTORY_NODE_DISK_SIZE", "100", (c) => c.nodeGroup.diskSizeGiB, 100],
    ["FACTORY_NODE_CAPACITY_TYPE", "SPOT", (c) => c.nodeGroup.capacityType, "SPOT"],
    ["FACTORY_STACK_PREFIX", "af-staging", (c) => c.stateBucket, "af-staging-tfstate-582719176192-us-west-2"],
    ["FACTORY_STATE_BUCKET", "my-state-bucket", (c) => c.stateBucket, "my-state-bucket"],
    ["FACTORY_ECR_KEEP_IMAGES", "20", (c) => c.ecrKeepImages, 20],
    ["FACTORY_NAMESPACE", "factory", (c) => c.namespace, "factory"],
    ["FACTORY_IMAGE_TAG", "3f2c1ab", (c) => c.imageTag, "3f2c1ab"],
    ["FACTORY_API_HEALTH_PATH", "/api/health", (c) => c.apiHealthPath, "/api/health"],
    ["FACTORY_POSTGRES_STORAGE", "100Gi", (c) => c.dataStoreSizes.postgres, "100Gi"],
    ["FACTORY_MIN_REPLICAS", "3", (c) => c.replicas, { min: 3, max: 6 }],
    ["FACTORY_MAX_REPLICAS", "12", (c) => c.replicas, { min: 2, max: 12 }],
  ])("%s=%j", (variable, value, read, expected) => {
    expect(read(loadConfig({ [variable]: value }))).toEqual(expected);
  });

  test("FACTORY_HOSTED_ZONE may be the hostname itself or any parent domain", () => {
    expect(loadConfig({ FACTORY_HOSTED_ZONE: "factory.pelx.ai" }).hostedZone).toBe("factory.pelx.ai");
    expect(loadConfig({ FACTORY_HOSTNAME: "a.b.example.com", FACTORY_HOSTED_ZONE: "example.com" }).hostedZone).toBe("example.com");
  });

  test("node sizes may be equal", () => {
    expect(loadConfig({ FACTORY_NODE_MIN: "4", FACTORY_NODE_DESIRED: "4", FACTORY_NODE_MAX: "4" }).nodeGroup.desiredSize).toBe(4);
  });

  test("node sizes are totals over the zones: multiples of their number, at least a node a zone", () => {
    expect(ZONE_COUNT).toBe(2);
    expect(() => loadConfig({ FACTORY_NODE_DESIRED: "3" })).toThrow(
      'FACTORY_NODE_DESIRED="3" is invalid: a whole number from 2 to 100, a multiple of 2 (the total of the 2 zones\' node groups, split equally)',
    );
    expect(() => loadConfig({ FACTORY_NODE_MIN: "1" })).toThrow('FACTORY_NODE_MIN="1" is invalid: a whole number from 2 to 100');
  });
});

describe("bad input is refused with one line naming the variable, the value and what is allowed", () => {
  test.each<[string, Record<string, string>, string]>([
    ["non-12-digit account", { FACTORY_ACCOUNT_ID: "58271917619" }, "FACTORY_ACCOUNT_ID"],
    ["account with letters", { FACTORY_ACCOUNT_ID: "58271917619x" }, "FACTORY_ACCOUNT_ID"],
    ["empty account", { FACTORY_ACCOUNT_ID: "" }, "FACTORY_ACCOUNT_ID"],
    ["unknown region", { FACTORY_REGION: "us-west-9" }, "FACTORY_REGION"],
    ["region with whitespace", { FACTORY_REGION: " us-west-2" }, "FACTORY_REGION"],
    ["invalid hostname", { FACTORY_HOSTNAME: "Factory_.pelx.ai" }, "FACTORY_HOSTNAME"],
    ["single-label hostname", { FACTORY_HOSTNAME: "localhost" }, "FACTORY_HOSTNAME"],
    ["hostname outside the hosted zone", { FACTORY_HOSTED_ZONE: "example.com" }, "FACTORY_HOSTED_ZONE"],
    ["malformed CIDR", { FACTORY_VPC_CIDR: "10.42.0.0/33" }, "FACTORY_VPC_CIDR"],
    ["CIDR that is not a network address", { FACTORY_VPC_CIDR: "10.42.1.0/16" }, "FACTORY_VPC_CIDR"],
    ["CIDR too small for four subnets", { FACTORY_VPC_CIDR: "10.42.0.0/25" }, "FACTORY_VPC_CIDR"],
    ["CIDR larger than AWS allows", { FACTORY_VPC_CIDR: "10.0.0.0/8" }, "FACTORY_VPC_CIDR"],
    ["public VPC CIDR", { FACTORY_VPC_CIDR: "8.8.0.0/16" }, "FACTORY_VPC_CIDR"],
    ["service CIDR overlapping the VPC", { FACTORY_SERVICE_CIDR: "10.42.0.0/16" }, "FACTORY_SERVICE_CIDR"],
    ["min > desired", { FACTORY_NODE_MIN: "4", FACTORY_NODE_DESIRED: "2" }, "FACTORY_NODE_MIN"],
    ["desired > max", { FACTORY_NODE_DESIRED: "8" }, "FACTORY_NODE_DESIRED"],
    ["size not split equally over the zones", { FACTORY_NODE_MAX: "7" }, "FACTORY_NODE_MAX"],
    ["non-numeric size", { FACTORY_NODE_MAX: "six" }, "FACTORY_NODE_MAX"],
    ["fractional size", { FACTORY_NODE_MIN: "1.5" }, "FACTORY_NODE_MIN"],
    ["size out of range", { FACTORY_NODE_MAX: "0" }, "FACTORY_NODE_MAX"],
    ["instance type list with a bad entry", { FACTORY_NODE_INSTANCE_TYPES: "m6i.large,banana" }, "FACTORY_NODE_INSTANCE_TYPES"],
    ["duplicate instance types", { FACTORY_NODE_INSTANCE_TYPES: "m6i.large,m6i.large" }, "FACTORY_NODE_INSTANCE_TYPES"],
    ["unknown Kubernetes version", { FACTORY_KUBERNETES_VERSION: "1.20" }, "FACTORY_KUBERNETES_VERSION"],
    ["bad cluster name", { FACTORY_CLUSTER_NAME: "-eks" }, "FACTORY_CLUSTER_NAME"],
    ["bad stack prefix", { FACTORY_STACK_PREFIX: "Attractor" }, "FACTORY_STACK_PREFIX"],
    ["bad state bucket", { FACTORY_STATE_BUCKET: "My_Bucket" }, "FACTORY_STATE_BUCKET"],
    ["log retention CloudWatch does not offer", { FACTORY_LOG_RETENTION_DAYS: "42" }, "FACTORY_LOG_RETENTION_DAYS"],
    ["mutable image tag", { FACTORY_IMAGE_TAG: "latest" }, "FACTORY_IMAGE_TAG"],
    ["image tag with a slash", { FACTORY_IMAGE_TAG: "feature/x" }, "FACTORY_IMAGE_TAG"],
    ["bad endpoint CIDR", { FACTORY_ENDPOINT_PUBLIC_ACCESS_CIDRS: "0.0.0.0/0,10.0.0.1/8" }, "FACTORY_ENDPOINT_PUBLIC_ACCESS_CIDRS"],
    ["bad admin ARN", { FACTORY_ADMIN_PRINCIPAL_ARNS: "arn:aws:iam::1:role/x" }, "FACTORY_ADMIN_PRINCIPAL_ARNS"],
    ["bad capacity type", { FACTORY_NODE_CAPACITY_TYPE: "spot" }, "FACTORY_NODE_CAPACITY_TYPE"],
    ["bad NAT mode", { FACTORY_NAT_GATEWAYS: "two" }, "FACTORY_NAT_GATEWAYS"],
    ["bad support type", { FACTORY_EKS_SUPPORT_TYPE: "standard" }, "FACTORY_EKS_SUPPORT_TYPE"],
    ["bad volume size", { FACTORY_REDIS_STORAGE: "5GB" }, "FACTORY_REDIS_STORAGE"],
    ["health path outside /api", { FACTORY_API_HEALTH_PATH: "/healthz" }, "FACTORY_API_HEALTH_PATH"],
    ["bad profile name", { FACTORY_AWS_PROFILE: "a profile" }, "FACTORY_AWS_PROFILE"],
    ["one replica (a PDB would block node drains)", { FACTORY_MIN_REPLICAS: "1" }, "FACTORY_MIN_REPLICAS"],
    ["max replicas below min", { FACTORY_MIN_REPLICAS: "4", FACTORY_MAX_REPLICAS: "3" }, "FACTORY_MIN_REPLICAS"],
  ])("%s", (_what, env, variable) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).not.toContain("\n");
    expect(message).toMatch(/^FACTORY_\w+=/);
    expect((error as ConfigError).variable).toBe(variable);
    // The bad value is shown, quoted so that blanks are visible.
    expect(env[variable]).toBeDefined();
    expect(message).toContain(JSON.stringify(env[variable]));
  });
});

test("every setting is documented with its default and what is allowed", () => {
  const docs = settingDocs();
  expect(docs.length).toBeGreaterThanOrEqual(25);
  for (const doc of docs) {
    expect(doc.variable).toMatch(/^FACTORY_[A-Z_]+$/);
    expect(doc.default).not.toBe("");
    expect(doc.allowed).not.toBe("");
  }
  expect(new Set(docs.map((d) => d.variable)).size).toBe(docs.length);
});

describe("a relational error names every variable involved", () => {
  test("FACTORY_NODE_MIN=4 names it first, and the defaults of the other two as defaults", () => {
    expect(() => loadConfig({ FACTORY_NODE_MIN: "4" })).toThrow(
      'FACTORY_NODE_MIN="4", FACTORY_NODE_DESIRED="2" (default) and FACTORY_NODE_MAX="6" (default) are invalid together: node group sizes must satisfy min <= desired <= max',
    );
  });

  test("replicas and backup retention likewise", () => {
    expect(() => loadConfig({ FACTORY_MAX_REPLICAS: "3", FACTORY_MIN_REPLICAS: "4" })).toThrow(
      'FACTORY_MIN_REPLICAS="4" and FACTORY_MAX_REPLICAS="3" are invalid together: the autoscalers\' maximum must be at least their minimum',
    );
    expect(() => loadConfig({ FACTORY_BACKUP_WEEKLY_RETENTION_DAYS: "30" })).toThrow(
      'FACTORY_BACKUP_RETENTION_DAYS="35" (default) and FACTORY_BACKUP_WEEKLY_RETENTION_DAYS="30" are invalid together',
    );
  });

  test("a hosted zone that does not contain the hostname names both, the default hostname as a default", () => {
    expect(() => loadConfig({ FACTORY_HOSTED_ZONE: "example.com" })).toThrow(
      'FACTORY_HOSTNAME="factory.pelx.ai" (default) and FACTORY_HOSTED_ZONE="example.com" are invalid together: the zone must contain the hostname',
    );
    expect(() => loadConfig({ FACTORY_HOSTNAME: "factory.example.org", FACTORY_HOSTED_ZONE: "pelx.ai" })).toThrow(
      'FACTORY_HOSTNAME="factory.example.org" and FACTORY_HOSTED_ZONE="pelx.ai" are invalid together',
    );
  });
});
