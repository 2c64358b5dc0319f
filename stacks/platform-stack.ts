import { Construct } from "constructs";
import { S3Backend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { FactoryConfig, stackName } from "../config";

export interface PlatformStackProps {
  /** The validated settings (config/index.ts). */
  readonly config: FactoryConfig;
  /**
   * Whether the stack talks to AWS (configures the AWS provider).
   * @default true
   */
  readonly aws?: boolean;
}

/**
 * The base of every stack: the S3 backend shared by all stacks (one bucket, a key per stack,
 * encrypted, with S3-native locking) and the AWS provider pinned to the configured account.
 */
export class PlatformStack extends TerraformStack {
  readonly config: FactoryConfig;
  readonly stackName: string;
  /**
   * The cost allocation tags (Project, Stack) of everything this stack creates: the AWS provider's
   * default tags, and the tags this stack hands to what creates AWS resources outside Terraform
   * (node instances and volumes, the Load Balancer Controller's ALB, the CSI driver's volumes).
   */
  readonly costTags: Readonly<Record<"Project" | "Stack", string>>;

  /** `id` is the stack's short name (network, eks...): the stack is named `<prefix>-<id>`. */
  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    const name = stackName(props.config, id);
    super(scope, name);
    this.config = props.config;
    this.stackName = name;
    this.costTags = { Project: props.config.stackPrefix, Stack: name };

    // Every stack, the state bucket's own included: until the bucket exists, the engine runs that
    // stack with a local state file instead, and moves the state into the bucket after its apply
    // (scripts/engine/bootstrap-state.ts).
    new S3Backend(this, {
      bucket: props.config.stateBucket,
      key: `${name}/terraform.tfstate`,
      region: props.config.region,
      profile: props.config.awsProfile,
      encrypt: true,
    });
    // cdktf 0.21's S3BackendConfig predates `use_lockfile` (S3-native locking, Terraform >= 1.10),
    // so it is set by an override. Keep this line when moving to a fork that adds the field.
    this.addOverride("terraform.backend.s3.use_lockfile", true);

    if (props.aws ?? true) {
      new AwsProvider(this, "aws", {
        region: props.config.region,
        profile: props.config.awsProfile,
        // Terraform refuses to touch any other account, whatever credentials are active.
        allowedAccountIds: [props.config.accountId],
        defaultTags: [{ tags: { ...this.costTags, ManagedBy: "cdktf" } }],
      });
    }
  }
}
