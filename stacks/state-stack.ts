import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { FactoryConfig } from "../config";
import { FactoryStack } from "./factory-stack";
import { StateBucket } from "../constructs/state-bucket";

/**
 * Bootstrap: the bucket every other stack keeps its state in. Its own state stays in a local file
 * (terraform.<prefix>-state.tfstate in the project root); deploy it once, before anything else.
 */
export class StateStack extends FactoryStack {
  constructor(scope: Construct, config: FactoryConfig) {
    super(scope, "state", { config, backend: "local" });
    const state = new StateBucket(this, "state-bucket", { bucketName: config.stateBucket });
    new TerraformOutput(this, "StateBucketName", { value: state.bucket.bucket });
  }
}
