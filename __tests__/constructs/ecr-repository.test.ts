/** EcrRepository: a private ECR repository of release images: immutable tags, scanned, KMS-encrypted, bounded. */
import { EcrRepository, EcrRepositoryProps } from "../../constructs/ecr-repository";
import { awsStack, only, ref, synth, TfJson } from "./support";

function build(overrides: Partial<EcrRepositoryProps> = {}): TfJson {
  const stack = awsStack();
  new EcrRepository(stack, "repo", { repositoryName: "attractor-factory/factory-api", ...overrides });
  return synth(stack);
}
const rules = (json: TfJson) => JSON.parse(only(json, "aws_ecr_lifecycle_policy").policy).rules;

test("EcrRepository: tags are immutable (a tag names one build forever)", () => {
  const repository = only(build(), "aws_ecr_repository");
  expect(repository.name).toBe("attractor-factory/factory-api");
  expect(repository.image_tag_mutability).toBe("IMMUTABLE");
});

test("EcrRepository: images are scanned on push", () => {
  expect(only(build(), "aws_ecr_repository").image_scanning_configuration).toEqual({ scan_on_push: true });
});

test("EcrRepository: images are encrypted with KMS", () => {
  expect(only(build(), "aws_ecr_repository").encryption_configuration).toEqual([{ encryption_type: "KMS" }]);
});

test("EcrRepository: the lifecycle policy applies to this repository", () => {
  const json = build();
  expect(only(json, "aws_ecr_lifecycle_policy").repository).toBe(ref(json, "aws_ecr_repository", "name"));
});

test("EcrRepository: untagged images expire after 7 days and only the last 50 images are kept, by default", () => {
  expect(rules(build())).toEqual([
    {
      rulePriority: 1,
      description: "Expire untagged images after 7 days",
      selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
      action: { type: "expire" },
    },
    {
      rulePriority: 2,
      description: "Keep the last 50 images",
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 50 },
      action: { type: "expire" },
    },
  ]);
});

test("EcrRepository: untaggedExpiryDays and keepImages override the defaults", () => {
  const [untagged, kept] = rules(build({ untaggedExpiryDays: 1, keepImages: 200 }));
  expect(untagged.selection.countNumber).toBe(1);
  expect(untagged.description).toBe("Expire untagged images after 1 day");
  expect(kept.selection.countNumber).toBe(200);
  expect(kept.description).toBe("Keep the last 200 images");
});
