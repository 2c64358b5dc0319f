/**
 * Cost allocation: every AWS resource the platform creates carries the cost allocation tags
 * (Project, Stack), including what is launched or created outside Terraform: node instances and
 * their volumes, the Load Balancer Controller's ALB, the EBS CSI driver's volumes.
 */
import { helmValues, items, many, one } from "../resolve";
import { rule } from "../rule";
import type { Rule } from "../types";

const TAGS = ["Project", "Stack"] as const;
const missing = (tags: unknown) => TAGS.filter((t) => !(tags && typeof tags === "object" && (tags as Record<string, unknown>)[t]));

const costAllocationTags = rule(
  "cost-allocation-tags",
  "Everything the platform creates in AWS carries the cost allocation tags Project and Stack: the AWS provider's default tags, what a launch template launches (instances, volumes), the Load Balancer Controller's `defaultTags` (the ALB) and every EBS StorageClass's `tagSpecification_N` (the data volumes).",
  (stacks, report) => {
    for (const stack of stacks) {
      for (const [name, provider] of Object.entries((stack.json.provider?.aws ?? []) as Record<string, unknown>)) {
        const tags = one(one(provider)?.default_tags)?.tags;
        const lacking = missing(tags);
        if (lacking.length) report.add(stack, `provider.aws${name === "0" ? "" : `.${name}`}`, `default_tags lack ${lacking.join(", ")}`);
      }
    }
    for (const lt of items(stacks, ["aws_launch_template"])) {
      for (const kind of ["instance", "volume"]) {
        const spec = many(lt.body.tag_specifications).find((s) => s.resource_type === kind);
        const lacking = missing(spec?.tags);
        if (lacking.length)
          report.add(lt.stack, lt.address, `what it launches (${kind}) lacks the tags ${lacking.join(", ")} (the provider's default tags do not reach it)`);
      }
    }
    for (const release of items(stacks, ["helm_release"])) {
      if (release.body.chart !== "aws-load-balancer-controller") continue;
      const lacking = missing(helmValues(release).values.defaultTags);
      if (lacking.length) report.add(release.stack, release.address, `defaultTags lack ${lacking.join(", ")} (the ALB and its target groups go untagged)`);
    }
    for (const sc of items(stacks, ["kubernetes_storage_class_v1"])) {
      if (sc.body.storage_provisioner !== "ebs.csi.aws.com") continue;
      const tags = Object.fromEntries(
        Object.entries((sc.body.parameters ?? {}) as Record<string, string>)
          .filter(([k]) => /^tagSpecification_\d+$/.test(k))
          .map(([, v]) => String(v).split("=", 2)),
      );
      const lacking = missing(tags);
      if (lacking.length) report.add(sc.stack, sc.address, `the volumes it provisions lack the tags ${lacking.join(", ")} (tagSpecification_N)`);
    }
  },
);

/** In docs/guardrails.md's order; rules.ts concatenates the families in turn. */
export const COST_RULES: readonly Rule[] = [costAllocationTags];
