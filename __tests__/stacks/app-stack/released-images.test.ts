/** The app stack refuses, at plan time, a release whose images are not all in ECR. */
import { resourcesOf } from "../../helpers";
import { app, TAG, withoutTag } from "./support";
import { IMAGES } from "../../../factory-images";

test("one aws_ecr_image data source per factory image, at the release tag: a tag never pushed fails the plan, cdktf deploy included", () => {
  const images = resourcesOf(app, "aws_ecr_image", "data");
  expect(images.map((d) => d.repository_name).sort()).toEqual(IMAGES.map((i) => `attractor-factory/${i}`).sort());
  for (const d of images) expect(d.image_tag).toBe(TAG);
});

test("without a tag nothing is read (the image tag guard refuses the plan with its own line)", () => {
  expect(resourcesOf(withoutTag.app, "aws_ecr_image", "data")).toEqual([]);
});
