import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { FactoryConfig } from "../config";
import { PlatformStack } from "./platform-stack";
import { StateBucket } from "../constructs/state-bucket";

export interface StateStackProps {
  /** The validated settings (config.ts). */
  readonly config: FactoryConfig;
}

/**
 * Bootstrap: the bucket every other stack keeps its state in. Its own state stays in a local file
 * (terraform.<prefix>-state.tfstate in the project root); deploy it once, before anything else.
 */
export class StateStack extends PlatformStack {
  constructor(scope: Construct, id: string, props: StateStackProps) {
    super(scope, id, { config: props.config, backend: "local" });
    const { config } = props;
    const state = new StateBucket(this, "state-bucket", { bucketName: config.stateBucket });
    new TerraformOutput(this, "StateBucketName", { value: state.bucket.bucket, description: "The S3 bucket of every stack's Terraform state" });
  }
}
