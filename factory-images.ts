/**
 * The factory's images, each an ECR repository `<prefix>/<image>`, with the ecr stack's output name
 * of its repository URL (the spec's). One list for the stacks, the constructs and the scripts; a
 * module without dependencies, so that the scripts read it without loading cdktf.
 */
export const FACTORY_IMAGES = {
  "factory-api": "ApiRepositoryUri",
  "factory-web": "WebRepositoryUri",
  "factory-runner-controller": "ControllerRepositoryUri",
  "factory-runner": "RunnerRepositoryUri",
} as const;

export type FactoryImage = keyof typeof FACTORY_IMAGES;

/** The image names, in the list's order. */
export const IMAGES = Object.keys(FACTORY_IMAGES) as FactoryImage[];
