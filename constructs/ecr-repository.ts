import { Construct } from "constructs";
import { EcrRepository as AwsEcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";

export interface EcrRepositoryProps {
  /** Repository name, e.g. attractor-factory/factory-api. */
  readonly repositoryName: string;
  /**
   * How many images to keep; older ones expire.
   * @default 50
   */
  readonly keepImages?: number;
  /**
   * Days after which untagged images (failed or superseded pushes) expire.
   * @default 7
   */
  readonly untaggedExpiryDays?: number;
}

/**
 * A private ECR repository for release images: tags are immutable (a tag names one build forever,
 * so a rollback is redeploying an old tag), images are scanned on push and encrypted with KMS, and
 * a lifecycle policy bounds what is kept.
 */
export class EcrRepository extends Construct {
  readonly repository: AwsEcrRepository;

  constructor(scope: Construct, id: string, props: EcrRepositoryProps) {
    super(scope, id);
    const untaggedDays = props.untaggedExpiryDays ?? 7;
    this.repository = new AwsEcrRepository(this, "repository", {
      name: props.repositoryName,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS" }],
    });

    const lifecycle = {
      rules: [
        {
          rulePriority: 1,
          description: `Expire untagged images after ${untaggedDays} day${untaggedDays === 1 ? "" : "s"}`,
          selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untaggedDays },
          action: { type: "expire" },
        },
        {
          rulePriority: 2,
          description: `Keep the last ${props.keepImages ?? 50} images`,
          selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: props.keepImages ?? 50 },
          action: { type: "expire" },
        },
      ],
    };
    new EcrLifecyclePolicy(this, "lifecycle", { repository: this.repository.name, policy: JSON.stringify(lifecycle) });
  }
}
