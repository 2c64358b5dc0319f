/**
 * EKS control-plane rules: secrets encrypted with a rotated KMS key, every control-plane log type
 * kept with a retention, access entries only, a public endpoint only with listed CIDRs.
 */
// The construct's list is the one definition; aws-stacks.test.ts asserts the spec's literal list
// against the synthesized cluster, so a shortened list cannot pass both the construct and this rule.
import { CONTROL_PLANE_LOG_TYPES } from "../../constructs/eks-cluster";
import { isFalse, isTrue, items, many, one, refersTo, resolveTo } from "../resolve";
import { rule } from "../rule";
import type { Rule } from "../types";

const clusterSecretsKms = rule(
  "cluster-secrets-kms",
  "Every EKS cluster envelope-encrypts Kubernetes secrets with a KMS key of the stack that has key rotation on.",
  (stacks, report) => {
    for (const c of items(stacks, ["aws_eks_cluster"])) {
      const enc = one(c.body.encryption_config);
      if (!enc || !many(enc.resources).map(String).includes("secrets")) {
        report.add(c.stack, c.address, "encryption_config does not cover secrets");
        continue;
      }
      const key = resolveTo(stacks, c.stack, one(enc.provider)?.key_arn, ["aws_kms_key"])[0];
      if (!key)
        report.add(
          c.stack,
          c.address,
          `encryption key ${JSON.stringify(one(enc.provider)?.key_arn)} is not an aws_kms_key of the platform: its rotation cannot be verified`,
        );
      else if (!isTrue(key.body!.enable_key_rotation)) report.add(key.stack, key.address, "enable_key_rotation is not true (it encrypts cluster secrets)");
    }
  },
);

const clusterLogs = rule(
  "cluster-control-plane-logs",
  "Every EKS cluster ships all control-plane log types to `/aws/eks/<cluster>/cluster`, a log group of the stack with a retention, created before the cluster.",
  (stacks, report) => {
    for (const c of items(stacks, ["aws_eks_cluster"])) {
      const types = many(c.body.enabled_cluster_log_types).map(String);
      const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !types.includes(t));
      if (missing.length > 0) report.add(c.stack, c.address, `control-plane log types not enabled: ${missing.join(", ")}`);
      const name = c.body.name;
      const group = items([c.stack], ["aws_cloudwatch_log_group"]).find((g) => typeof name === "string" && g.body.name === `/aws/eks/${name}/cluster`);
      if (!group) {
        report.add(c.stack, c.address, `no aws_cloudwatch_log_group named /aws/eks/${name}/cluster in the stack: EKS would create it with no retention`);
        continue;
      }
      const days = Number(group.body.retention_in_days);
      if (!(days > 0)) report.add(group.stack, group.address, `retention_in_days is ${JSON.stringify(group.body.retention_in_days)}: logs are kept forever`);
      if (!many(c.body.depends_on).map(String).includes(group.address))
        report.add(c.stack, c.address, `does not depend on ${group.address}: EKS may create the log group first, without retention`);
    }
  },
);

const clusterAccessEntries = rule(
  "cluster-access-entries",
  "Every EKS cluster authenticates through access entries only (`authentication_mode = API`, no implicit creator admin, no aws-auth ConfigMap) and has at least one access entry.",
  (stacks, report) => {
    for (const c of items(stacks, ["aws_eks_cluster"])) {
      const access = one(c.body.access_config);
      if (access?.authentication_mode !== "API")
        report.add(c.stack, c.address, `access_config.authentication_mode is ${JSON.stringify(access?.authentication_mode)}, not "API"`);
      if (!isFalse(access?.bootstrap_cluster_creator_admin_permissions))
        report.add(c.stack, c.address, "bootstrap_cluster_creator_admin_permissions is not false: the creator gets admin outside any access entry");
      const entries = items([c.stack], ["aws_eks_access_entry"]).filter(
        (e) => refersTo(e.body.cluster_name, { ...c }, ["name", "id"]) || e.body.cluster_name === c.body.name,
      );
      if (entries.length === 0) report.add(c.stack, c.address, "no aws_eks_access_entry for the cluster: nobody could administer it");
    }
    for (const cm of items(stacks, ["kubernetes_config_map", "kubernetes_config_map_v1", "kubernetes_config_map_v1_data"])) {
      const md = one(cm.body.metadata);
      if (md?.name === "aws-auth") report.add(cm.stack, cm.address, "the aws-auth ConfigMap is deprecated: use EKS access entries");
    }
  },
);

const clusterEndpointCidrs = rule(
  "cluster-public-endpoint-cidrs",
  "Every EKS cluster has its private endpoint on, and a public endpoint only with explicitly listed CIDRs (FACTORY_ENDPOINT_PUBLIC_ACCESS_CIDRS; documented default 0.0.0.0/0).",
  (stacks, report) => {
    for (const c of items(stacks, ["aws_eks_cluster"])) {
      const vpc = one(c.body.vpc_config);
      if (!isTrue(vpc?.endpoint_private_access))
        report.add(c.stack, c.address, "endpoint_private_access is not true: nodes would reach the API over the internet");
      if (isFalse(vpc?.endpoint_public_access)) continue;
      const cidrs = vpc?.public_access_cidrs;
      if (!Array.isArray(cidrs) || cidrs.length === 0) report.add(c.stack, c.address, "public endpoint without explicit public_access_cidrs");
      else
        for (const cidr of cidrs)
          if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(String(cidr)))
            report.add(c.stack, c.address, `public_access_cidrs entry ${JSON.stringify(cidr)} is not an IPv4 CIDR`);
    }
  },
);

const clusterUpgradePolicy = rule(
  "cluster-upgrade-policy",
  "Every EKS cluster sets its upgrade policy explicitly (FACTORY_EKS_SUPPORT_TYPE, STANDARD by default): AWS's default is EXTENDED, six times the control plane's price once the minor leaves standard support.",
  (stacks, report) => {
    for (const c of items(stacks, ["aws_eks_cluster"])) {
      const support = one(c.body.upgrade_policy)?.support_type;
      if (support !== "STANDARD" && support !== "EXTENDED")
        report.add(c.stack, c.address, `upgrade_policy.support_type is ${JSON.stringify(support)}: left to AWS's default (EXTENDED)`);
    }
  },
);

/** In docs/guardrails.md's order; rules.ts concatenates the families in turn. */
export const CLUSTER_RULES: readonly Rule[] = [clusterSecretsKms, clusterLogs, clusterAccessEntries, clusterEndpointCidrs, clusterUpgradePolicy];
