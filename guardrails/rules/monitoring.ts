/**
 * Monitoring rules: an alarm always tells someone, the alert topic is encrypted, and no log group
 * keeps its events forever.
 */
import { items, many, parseRef } from "../resolve";
import { rule } from "../rule";
import type { Rule } from "../types";

const alarmsNotify = rule(
  "alarms-notify",
  "Every CloudWatch alarm sends both ALARM and OK to an SNS topic of the platform (`alarm_actions` and `ok_actions`), with its missing-data treatment chosen (`treat_missing_data`).",
  (stacks, report) => {
    for (const a of items(stacks, ["aws_cloudwatch_metric_alarm"])) {
      for (const field of ["alarm_actions", "ok_actions"]) {
        const actions = many(a.body[field]).map(String);
        if (actions.length === 0) report.add(a.stack, a.address, `no ${field}: its state changes reach nobody`);
        // A topic of the stack (aws_sns_topic.x.arn), another stack's through its cross-stack output
        // (cross-stack-output-aws_sns_topic<...>arn), or an SNS ARN.
        else if (!actions.every((x) => /\baws_sns_topic\.|cross-stack-output-aws_sns_topic/.test(x) || x.startsWith("arn:aws:sns:")))
          report.add(a.stack, a.address, `${field} ${actions.join(", ")} is not an SNS topic`);
      }
      if (!a.body.treat_missing_data) report.add(a.stack, a.address, "treat_missing_data is left to the default: choose it on purpose");
    }
  },
);

const alertTopicEncrypted = rule(
  "alert-topic-encrypted",
  "Every SNS topic is encrypted with a customer-managed KMS key (`kms_master_key_id` refers to an `aws_kms_key` of the stack) and has a topic policy.",
  (stacks, report) => {
    for (const t of items(stacks, ["aws_sns_topic"])) {
      const key = t.body.kms_master_key_id;
      if (!key) report.add(t.stack, t.address, "no kms_master_key_id: messages are stored unencrypted by a key of ours");
      else if (parseRef(t.stack, key)?.type !== "aws_kms_key")
        report.add(t.stack, t.address, `kms_master_key_id ${String(key)} is not a key of the stack (an AWS-managed key cannot let CloudWatch publish)`);
      const policies = items([t.stack], ["aws_sns_topic_policy"]).filter((p) => String(p.body.arn).includes(`aws_sns_topic.${t.name}.`));
      if (policies.length === 0) report.add(t.stack, t.address, "no aws_sns_topic_policy: who may publish is not stated");
    }
  },
);

const logGroupsRetained = rule(
  "log-groups-retained",
  "Every CloudWatch log group has a retention (`retention_in_days` > 0), so nothing grows forever (the control plane's is cluster-control-plane-logs's).",
  (stacks, report) => {
    for (const g of items(stacks, ["aws_cloudwatch_log_group"])) {
      if (/^\/aws\/eks\/[^/]+\/cluster$/.test(String(g.body.name))) continue;
      if (!(Number(g.body.retention_in_days) > 0))
        report.add(g.stack, g.address, `retention_in_days is ${JSON.stringify(g.body.retention_in_days)}: events are kept forever`);
    }
  },
);

/** In docs/guardrails.md's order; rules.ts concatenates the families in turn. */
export const MONITORING_RULES: readonly Rule[] = [alarmsNotify, alertTopicEncrypted, logGroupsRetained];
