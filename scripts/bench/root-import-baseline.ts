/**
 * Benchmark baseline, not part of the platform: a one-resource app that imports the AWS provider
 * from its package root, which loads every one of its ~1,500 resource modules. scripts/bench.ts
 * compares the whole platform's synth against this.
 */
import { App, TerraformStack } from "cdktf";
// Deliberately the package root (the project's rule forbids this everywhere else).
import { provider, s3Bucket } from "@cdktf/provider-aws";

const app = new App();
const stack = new TerraformStack(app, "baseline");
new provider.AwsProvider(stack, "aws", { region: "us-west-2" });
new s3Bucket.S3Bucket(stack, "bucket", { bucket: "baseline" });
app.synth();
