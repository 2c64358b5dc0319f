import { Construct } from "constructs";
import { Annotations, Precondition, TerraformLocal } from "cdktf";

export interface ImageTagGuardProps {
  /** config.imageTag: undefined until images are built. */
  readonly imageTag: string | undefined;
  /** Stack name, for the message (cdktf deploy <stack>). */
  readonly stackName: string;
}

/** The one-line reason an apply without an image tag fails. */
export function missingImageTagMessage(stackName: string): string {
  return (
    `FACTORY_IMAGE_TAG is not set: build and push the images with scripts/aws/build-push.sh, which prints the tag, ` +
    `then run FACTORY_IMAGE_TAG=<tag> cdktf deploy ${stackName}`
  );
}

/**
 * Lets the app stack synthesize before any image exists (so the rest of the platform, ECR
 * included, can be deployed first) while refusing to plan or apply it: a precondition, carried by
 * every resource that runs an image, fails with a one-line message when the tag is empty; synth
 * also warns. With a tag set the precondition holds.
 *
 * A precondition rather than a terraform_data resource: cdktf validates terraform_data by running
 * `terraform version` at every synth, which would make synth need Terraform and cost a process.
 */
export class ImageTagGuard extends Construct {
  /** Add to the lifecycle of every resource that runs one of the images. */
  readonly precondition: Precondition;
  readonly imageTag: string | undefined;

  constructor(scope: Construct, id: string, props: ImageTagGuardProps) {
    super(scope, id);
    this.imageTag = props.imageTag;
    // A local, not a literal: Terraform rejects a condition that refers to nothing.
    const tag = new TerraformLocal(this, "image_tag", props.imageTag ?? "");
    tag.overrideLogicalId("image_tag");
    this.precondition = { condition: `\${local.${tag.friendlyUniqueId} != ""}`, errorMessage: missingImageTagMessage(props.stackName) };
    if (props.imageTag === undefined) {
      Annotations.of(scope).addWarning(`${props.stackName}: ${missingImageTagMessage(props.stackName)} (synth continues; deploy and diff fail)`);
    }
  }

  /**
   * The image reference of an ECR repository: `<repository>:<tag>`. Without a tag, the bare
   * repository (no made-up tag); the guard keeps it from ever being applied.
   */
  image(repositoryUrl: string): string {
    return this.imageTag === undefined ? repositoryUrl : `${repositoryUrl}:${this.imageTag}`;
  }
}
