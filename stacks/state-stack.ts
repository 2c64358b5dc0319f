import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { FactoryConfig } from "../config";
import { PlatformStack } from "./platform-stack";
import { StateBucket } from "../constructs/state-bucket";

export interface StateStackProps {
  /** The validated settings (config/index.ts). */
  readonly config: FactoryConfig;
}

/**
 * Bootstrap: the bucket every stack keeps its state in, this one's included (under its own key).
 * Deployed first; on a new account the engine applies it with a local state file, then moves that
 * state into the bucket it has just made (scripts/engine/bootstrap-state.ts).
 */
export class StateStack extends PlatformStack {
  constructor(scope: Construct, id: string, props: StateStackProps) {
    super(scope, id, { config: props.config });
    const { config } = props;
    const state = new StateBucket(this, "state-bucket", { bucketName: config.stateBucket });
    new TerraformOutput(this, "StateBucketName", { value: state.bucket.bucket, description: "The S3 bucket of every stack's Terraform state" });
  }
}
