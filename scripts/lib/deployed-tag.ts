/**
 * The image tag the platform runs now, read from what the app stack deployed: the images of its
 * Deployments in its Terraform state (the state bucket), so that no verb needs the operator to dig
 * the tag out of the cluster. Every factory image runs the same tag (build-push pushes them as one
 * release); a state whose Deployments disagree is an error, not a guess.
 */
import { AwsCli, AwsCliError } from "./aws-cli";
import { FactoryConfig, stackName } from "../../config";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** The images of the state's kubernetes Deployments (every container of every instance). */
export function deploymentImages(state: Json): string[] {
  const first = (v: unknown): Json => (Array.isArray(v) ? v[0] : (v as Json)) ?? {};
  return (state.resources ?? [])
    .filter((r: Json) => r.mode === "managed" && /^kubernetes_deployment(_v1)?$/.test(r.type))
    .flatMap((r: Json) => r.instances ?? [])
    .flatMap((i: Json) => first(first(first(i.attributes?.spec).template).spec).container ?? [])
    .map((c: Json) => String(c.image ?? ""))
    .filter(Boolean);
}

/**
 * The one tag of the images from `registry/<repositoryPrefix>/...` in an app stack's state;
 * undefined when the state runs none of them. Throws when they run different tags.
 */
export function tagOfState(state: Json, repositoryPrefix: string): string | undefined {
  const ours = deploymentImages(state).filter((image) => image.split("/").slice(1).join("/").startsWith(`${repositoryPrefix}/`));
  const tags = [...new Set(ours.map((image) => (/:([^:/@]+)$/.exec(image) ?? [])[1]).filter(Boolean))];
  if (tags.length > 1) throw new Error(`the app stack's Deployments run different image tags (${tags.join(", ")}): set FACTORY_IMAGE_TAG to the one to deploy`);
  return tags[0];
}

/** The app stack's state in the bucket, parsed; undefined when there is none (no app deployed). */
export function readState(aws: AwsCli, bucket: string, key: string): Json | undefined {
  let text: string;
  try {
    text = aws.text(["s3", "cp", `s3://${bucket}/${key}`, "-", "--only-show-errors"]);
  } catch (e) {
    if (e instanceof AwsCliError && /\(404\)|NoSuchKey|does not exist/.test(e.stderr)) return undefined;
    throw e;
  }
  // An empty object is no Terraform state: nothing deployed.
  return text.trim() ? (JSON.parse(text) as Json) : undefined;
}

/** The tag the configured platform's app stack runs now, or undefined when no app is deployed. */
export function deployedImageTag(config: FactoryConfig): string | undefined {
  const aws = new AwsCli({ region: config.region, profile: config.awsProfile });
  const state = readState(aws, config.stateBucket, `${stackName(config, "app")}/terraform.tfstate`);
  return state === undefined ? undefined : tagOfState(state, config.stackPrefix);
}
