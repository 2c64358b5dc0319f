import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { FactoryConfig } from "../config";
import { PlatformStack } from "./platform-stack";
import { EcrRepository } from "../constructs/ecr-repository";

import { FACTORY_IMAGES, FactoryImage } from "../factory-images";

export interface EcrStackProps {
  /** The validated settings (config/index.ts). */
  readonly config: FactoryConfig;
}

/** The ECR repositories of the factory's four images. */
export class EcrStack extends PlatformStack {
  readonly repositoryUrls: Record<FactoryImage, string>;

  constructor(scope: Construct, id: string, props: EcrStackProps) {
    super(scope, id, { config: props.config });
    const { config } = props;
    const urls: Partial<Record<FactoryImage, string>> = {};
    for (const [image, output] of Object.entries(FACTORY_IMAGES) as [FactoryImage, string][]) {
      const repo = new EcrRepository(this, image, {
        repositoryName: `${config.stackPrefix}/${image}`,
        keepImages: config.ecrKeepImages,
      });
      urls[image] = repo.repository.repositoryUrl;
      new TerraformOutput(this, output, { value: repo.repository.repositoryUrl, description: `The ECR repository URL of ${image}` });
    }
    this.repositoryUrls = urls as Record<FactoryImage, string>;
  }
}
