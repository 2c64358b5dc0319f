import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";

/** The AWS services that publish the platform's alerts: CloudWatch alarms and EventBridge rules. */
export const ALERT_PUBLISHERS = ["cloudwatch.amazonaws.com", "events.amazonaws.com"] as const;

export interface AlertTopicProps {
  /** The topic's name (also its key's alias, alias/sns/<name>). */
  readonly topicName: string;
  /** The account whose alarms and rules may publish (aws:SourceAccount). */
  readonly accountId: string;
  /** The region of the alarms and rules that may publish (their aws:SourceArn). */
  readonly region: string;
  /**
   * E-mail addresses to subscribe (each confirms by mail; other endpoints subscribe to the topic's ARN).
   * @default none
   */
  readonly emails?: readonly string[];
}

/**
 * The one topic of the platform's alerts, encrypted with a key of its own (rotated yearly). The
 * key lets CloudWatch (this account's) and EventBridge encrypt what they publish; the topic's policy lets this
 * account's alarms and rules publish, and denies publishing to every other principal, people and
 * roles of this account included, so an alert always comes from an alarm or a rule.
 */
export class AlertTopic extends Construct {
  readonly topic: SnsTopic;
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const account = props.accountId;
    const keyPolicy = new DataAwsIamPolicyDocument(this, "key-policy", {
      statement: [
        {
          sid: "AccountAdministers",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${account}:root`] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        {
          sid: "AlarmsEncrypt",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }],
        },
        {
          // No aws:SourceAccount or aws:SourceArn: the SNS guide says EventBridge's use of a key for an
          // encrypted topic does not support them (its deliveries would fail). The topic's policy
          // still limits publishing to this account's rules.
          sid: "RulesEncrypt",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
          actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
          resources: ["*"],
        },
      ],
    });
    this.key = new KmsKey(this, "key", {
      description: `Encryption of the alerts on SNS topic ${props.topicName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: keyPolicy.json,
    });
    new KmsAlias(this, "key-alias", { name: `alias/sns/${props.topicName}`, targetKeyId: this.key.keyId });
    this.topic = new SnsTopic(this, "topic", { name: props.topicName, kmsMasterKeyId: this.key.arn });

    const arn = this.topic.arn;
    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        {
          sid: "AlarmsPublish",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["sns:Publish"],
          resources: [arn],
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
            { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:cloudwatch:${props.region}:${account}:alarm:*`] },
          ],
        },
        {
          sid: "RulesPublish",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
          actions: ["sns:Publish"],
          resources: [arn],
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
            { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:events:${props.region}:${account}:rule/*`] },
          ],
        },
        {
          sid: "NobodyElsePublishes",
          effect: "Deny",
          // Everyone, services included; the condition spares the two publishers.
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["sns:Publish"],
          resources: [arn],
          condition: [{ test: "StringNotEquals", variable: "aws:PrincipalServiceName", values: [...ALERT_PUBLISHERS] }],
        },
      ],
    });
    new SnsTopicPolicy(this, "topic-policy", { arn, policy: policy.json });

    for (const email of props.emails ?? []) {
      // Keyed by address, not position: removing one leaves the others' addresses alone.
      new SnsTopicSubscription(this, `email-${email.replace(/[^A-Za-z0-9]/g, "-")}`, { topicArn: arn, protocol: "email", endpoint: email });
    }
  }
}
