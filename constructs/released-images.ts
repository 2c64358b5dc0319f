import { Construct } from "constructs";
import { DataAwsEcrImage } from "@cdktf/provider-aws/lib/data-aws-ecr-image";

export interface ReleasedImagesProps {
  /** The ECR repositories (names, e.g. `attractor-factory/factory-api`) whose images the stack runs. */
  readonly repositoryNames: readonly string[];
  /** The release tag; undefined: nothing to check (the image tag guard refuses the plan instead). */
  readonly imageTag: string | undefined;
}

/**
 * Every image of a release must be in ECR before anything is planned to run it: one
 * `aws_ecr_image` data source per repository, read at plan time, so a tag that was never pushed
 * (or was expired by the lifecycle policy) fails the plan with the provider's one line naming the
 * repository and tag, in every path (`cdktf deploy` included), instead of Deployments that wait
 * out their rollout and are left tainted.
 */
export class ReleasedImages extends Construct {
  readonly images: DataAwsEcrImage[];

  constructor(scope: Construct, id: string, props: ReleasedImagesProps) {
    super(scope, id);
    const tag = props.imageTag;
    this.images =
      tag === undefined
        ? []
        : props.repositoryNames.map((repositoryName) => new DataAwsEcrImage(this, repositoryName.split("/").pop()!, { repositoryName, imageTag: tag }));
  }
}
