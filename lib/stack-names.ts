/**
 * The platform's stacks by short name (stack name = `<prefix>-<short>`, state key
 * `<prefix>-<short>/terraform.tfstate`). The one list: buildPlatform must build exactly these
 * (checked by the type system), and the scripts and tests iterate it. No dependencies, so the
 * scripts read it without loading cdktf.
 */
export const STACK_SHORT_NAMES = ["state", "network", "eks", "ecr", "cert", "backup", "monitoring", "addons", "app", "dns"] as const;

export type StackShortName = (typeof STACK_SHORT_NAMES)[number];

/**
 * The operator verb that deploys each stack, by short name: the stack-to-verb table (deploy-infra's
 * stack list, the diagram, the README's stacks table and the engine's messages).
 */
export const DEPLOYED_BY: Readonly<Record<string, string>> = {
  state: "deploy-infra (bootstrap)",
  network: "deploy-infra",
  eks: "deploy-infra",
  ecr: "deploy-infra",
  cert: "deploy-infra",
  backup: "deploy-infra",
  monitoring: "deploy-infra",
  addons: "deploy-addons",
  app: "deploy-app",
  dns: "publish-dns",
} satisfies Record<StackShortName, string>;

/**
 * What each stack holds, one line by short name (from each stacks/*-stack.ts class's doc comment):
 * the "holds" column of the stacks table (scripts/docs.ts renders it into README.md).
 */
export const STACK_SUMMARIES: Readonly<Record<string, string>> = {
  state: "the S3 bucket every stack keeps its state in, its own included (bootstrapped on a new account)",
  network: "the VPC the cluster runs in: public and private subnets per zone, NAT, route tables",
  eks: "the EKS cluster, its node groups (one a zone), the EKS managed add-ons, the add-ons' IRSA roles",
  ecr: "the ECR repositories of the factory's four images",
  cert: "the TLS certificate of the hostname, DNS-validated in its existing public hosted zone",
  backup: "AWS Backup of the data stores' volumes: a vault, a plan, a selection by tag",
  monitoring: "the alert topic, the alarms of alarms.yaml, the rule that reports failed backup jobs",
  addons: "the Helm add-ons and the gp3 StorageClasses",
  app: "the factory: Postgres, Redis, MinIO, the api, web and runner-controller Deployments, the ingress",
  dns: "the hostname's alias record to the ingress's ALB, and the ALB's alarms",
} satisfies Record<StackShortName, string>;
