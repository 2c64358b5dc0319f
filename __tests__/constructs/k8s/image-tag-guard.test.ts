/** ImageTagGuard: the app stack synthesizes without an image tag, but no plan or apply runs an image without one. */
import { TerraformStack } from "cdktf";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { ImageTagGuard, ImageTagGuardProps, missingImageTagMessage } from "../../../constructs/k8s/image-tag-guard";
import { kubernetesStack, only, synth } from "../support";

const REPOSITORY = "111122223333.dkr.ecr.us-west-2.amazonaws.com/attractor-factory/factory-api";

function build(props: ImageTagGuardProps) {
  const stack = kubernetesStack();
  const guard = new ImageTagGuard(stack, "guard", props);
  // A resource that carries the guard's precondition, as each one that runs an image does.
  new ConfigMapV1(stack, "guarded", { metadata: { name: "x" }, lifecycle: { precondition: [guard.precondition] } });
  const json = synth(stack);
  return { stack, guard, json, lifecycle: only(json, "kubernetes_config_map_v1").lifecycle };
}
const warnings = (stack: TerraformStack) => stack.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));

test("ImageTagGuard: the precondition holds when the local image_tag is not empty, and fails with the one-line reason", () => {
  const { lifecycle } = build({ imageTag: "v1.2.3", stackName: "attractor-factory-app" });
  expect(lifecycle.precondition).toEqual([{ condition: '${local.image_tag != ""}', error_message: missingImageTagMessage("attractor-factory-app") }]);
});

test("ImageTagGuard: the local is the image tag when set", () => {
  expect(build({ imageTag: "v1.2.3", stackName: "app" }).json.locals).toEqual({ image_tag: "v1.2.3" });
});

test("ImageTagGuard: without a tag the stack still synthesizes; the local is empty, so the precondition fails at plan", () => {
  const { json, lifecycle } = build({ imageTag: undefined, stackName: "app" });
  expect(json.locals).toEqual({ image_tag: "" });
  expect(lifecycle.precondition[0].condition).toBe('${local.image_tag != ""}');
});

test("ImageTagGuard: without a tag synth warns, naming the stack and how to set the tag", () => {
  const { stack } = build({ imageTag: undefined, stackName: "attractor-factory-app" });
  expect(warnings(stack)).toEqual([`attractor-factory-app: ${missingImageTagMessage("attractor-factory-app")} (synth continues; deploy and diff fail)`]);
});

test("ImageTagGuard: with a tag synth does not warn", () => {
  expect(warnings(build({ imageTag: "v1.2.3", stackName: "app" }).stack)).toEqual([]);
});

test("ImageTagGuard: the reason is one line: build and push with build-push.sh, then deploy the stack with FACTORY_IMAGE_TAG", () => {
  const message = missingImageTagMessage("attractor-factory-app");
  expect(message).not.toContain("\n");
  expect(message).toMatch(/^FACTORY_IMAGE_TAG is not set: build and push the images with scripts\/aws\/build-push\.sh/);
  expect(message.endsWith("then run FACTORY_IMAGE_TAG=<tag> cdktf deploy attractor-factory-app")).toBe(true);
});

test("ImageTagGuard: image() is <repository>:<tag> with a tag", () => {
  const { guard } = build({ imageTag: "v1.2.3", stackName: "app" });
  expect(guard.image(REPOSITORY)).toBe(`${REPOSITORY}:v1.2.3`);
  expect(guard.imageTag).toBe("v1.2.3");
});

test("ImageTagGuard: image() is the bare repository without a tag (no made-up tag)", () => {
  const { guard } = build({ imageTag: undefined, stackName: "app" });
  expect(guard.image(REPOSITORY)).toBe(REPOSITORY);
  expect(guard.imageTag).toBeUndefined();
});
