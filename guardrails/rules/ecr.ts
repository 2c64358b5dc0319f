/**
 * Image registry rules: ECR repositories keep tags immutable, scan on push and expire old images.
 */
import { isRef, isTrue, items, many, one, refersTo } from "../resolve";
import { rule } from "../rule";
import type { Rule } from "../types";

const ecrHardened = rule("ecr-repository-hardened", "Every ECR repository has immutable tags, scan on push and a lifecycle policy.", (stacks, report) => {
  for (const repo of items(stacks, ["aws_ecr_repository"])) {
    if (repo.body.image_tag_mutability !== "IMMUTABLE")
      report.add(repo.stack, repo.address, `image_tag_mutability is ${JSON.stringify(repo.body.image_tag_mutability)}, not IMMUTABLE`);
    if (!isTrue(one(repo.body.image_scanning_configuration)?.scan_on_push))
      report.add(repo.stack, repo.address, "image_scanning_configuration.scan_on_push is not true");
    const policies = items([repo.stack], ["aws_ecr_lifecycle_policy"]).filter(
      (p) => refersTo(p.body.repository, repo, ["name", "id"]) || p.body.repository === repo.body.name,
    );
    const valid = policies.some((p) => {
      try {
        return many(JSON.parse(String(p.body.policy)).rules).length > 0;
      } catch {
        return isRef(p.body.policy);
      }
    });
    if (!valid) report.add(repo.stack, repo.address, "no aws_ecr_lifecycle_policy with rules for the repository");
  }
});

/** In docs/guardrails.md's order; rules.ts concatenates the families in turn. */
export const ECR_RULES: readonly Rule[] = [ecrHardened];
