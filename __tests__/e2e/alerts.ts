/**
 * Knowing when it breaks, as deployed: Container Insights' add-on and log groups (eks stack), the
 * monitoring stack's encrypted alert topic and alarms (each with its actions), and the alert path
 * end to end: a queue subscribed to the topic receives a failed backup job's event put on the
 * default bus (routed by the project's rule) and an alarm's state changes. `npm run status` on
 * this platform: healthy, then unhealthy while an alarm is in ALARM.
 */
import * as path from "path";
import { expandedAlarmCount } from "../../constructs/platform-alarms";
import { CONTAINER_INSIGHTS_LOG_GROUPS } from "../../constructs/addons/container-insights/addon";
import { ALARM_LIST_SIZES } from "../../lib/workloads";
import { aws } from "./aws-queries";
import { outputs, run } from "./commands";
import { config, env, root, SPOT } from "./context";
import { check, checkEqual, log } from "./report";

/** An SQS call: the aws CLI v1 sends SQS to its legacy endpoint whatever AWS_ENDPOINT_URL says, so the endpoint is given. */
function sqs(args: string[]) {
  return aws(["sqs", ...args, "--endpoint-url", String(env.AWS_ENDPOINT_URL)]);
}

/** The queue's messages, waited for up to `seconds` (SQS long polls of 2 s). */
function receive(queueUrl: string, count: number, seconds = 10): string[] {
  const bodies: string[] = [];
  for (const deadline = Date.now() + seconds * 1000; bodies.length < count && Date.now() < deadline;) {
    const got = sqs(["receive-message", "--queue-url", queueUrl, "--max-number-of-messages", "10", "--wait-time-seconds", "2"]).Messages ?? [];
    for (const m of got as { Body: string; ReceiptHandle: string }[]) {
      bodies.push(m.Body);
      sqs(["delete-message", "--queue-url", queueUrl, "--receipt-handle", m.ReceiptHandle]);
    }
  }
  return bodies;
}

function status(label: string) {
  return run(path.join(root, "scripts", "aws", "status.sh"), [], { logName: label, extraEnv: SPOT });
}

export function verifyAlerts(): void {
  const prefix = config.stackPrefix;
  // Container Insights (eks stack): the add-on at its pin, its role, its log groups.
  const addon = aws(["eks", "describe-addon", "--cluster-name", config.clusterName, "--addon-name", "amazon-cloudwatch-observability"]).addon;
  check(
    "Container Insights add-on ACTIVE with its own IRSA role",
    addon.status === "ACTIVE" && /-cloudwatch-agent$/.test(addon.serviceAccountRoleArn ?? ""),
    JSON.stringify(addon),
  );
  const groups = aws(["logs", "describe-log-groups", "--log-group-name-prefix", `/aws/containerinsights/${config.clusterName}/`]).logGroups as {
    logGroupName: string;
    retentionInDays?: number;
    kmsKeyId?: string;
  }[];
  checkEqual(
    "Container Insights' log groups exist before the agent writes, each with the platform's retention and a KMS key",
    groups.map((g) => `${g.logGroupName.split("/").pop()} ${g.retentionInDays} ${g.kmsKeyId ? "kms" : "no key"}`).sort(),
    CONTAINER_INSIGHTS_LOG_GROUPS.map((k) => `${k} ${config.logRetentionDays} kms`).sort(),
  );

  // The topic and the alarms (monitoring stack).
  const topicArn = outputs("monitoring").AlertTopicArn as string;
  const attributes = aws(["sns", "get-topic-attributes", "--topic-arn", topicArn]).Attributes;
  check(
    "alert topic encrypted with a key of its own, with a policy that denies publishing to all but CloudWatch and EventBridge",
    !!attributes.KmsMasterKeyId && /NobodyElsePublishes/.test(attributes.Policy ?? ""),
    topicArn,
  );
  const alarms = aws(["cloudwatch", "describe-alarms", "--alarm-name-prefix", `${prefix}-`]).MetricAlarms as {
    AlarmName: string;
    AlarmActions: string[];
    OKActions: string[];
    TreatMissingData?: string;
  }[];
  const expected = outputs("monitoring").AlarmNames as string[];
  check(
    `every alarm of the monitoring stack deployed (${alarms.length} of ${expected.length}), each sending ALARM and OK to the topic, its missing-data treatment set`,
    alarms
      .map((a) => a.AlarmName)
      .sort()
      .join() === [...expected].sort().join() &&
      expected.length === expandedAlarmCount("monitoring", ALARM_LIST_SIZES) &&
      alarms.every((a) => a.AlarmActions.includes(topicArn) && a.OKActions.includes(topicArn) && !!a.TreatMissingData),
    alarms.map((a) => a.AlarmName).join(", "),
  );

  // The alert path: a queue subscribed to the topic.
  const queueUrl = sqs(["create-queue", "--queue-name", `${prefix}-e2e-alerts`]).QueueUrl as string;
  const queueArn = sqs(["get-queue-attributes", "--queue-url", queueUrl, "--attribute-names", "QueueArn"]).Attributes.QueueArn;
  aws(["sns", "subscribe", "--topic-arn", topicArn, "--protocol", "sqs", "--notification-endpoint", queueArn, "--attributes", "RawMessageDelivery=true"]);
  const failed = {
    Source: "aws.backup",
    DetailType: "Backup Job State Change",
    Detail: JSON.stringify({ backupJobId: "e2e-job-1", backupVaultName: config.backup.vaultName, state: "FAILED", resourceType: "EBS" }),
  };
  const put = aws([
    "events",
    "put-events",
    "--entries",
    JSON.stringify([failed, { ...failed, Detail: JSON.stringify({ backupJobId: "e2e-job-2", state: "COMPLETED" }) }]),
  ]);
  log(`put-events: ${put.FailedEntryCount} failed entries`);
  const events = receive(queueUrl, 1).map((b) => JSON.parse(b));
  check(
    "alert path: a backup job FAILED event put on the default bus reaches the topic's subscriber through the project's rule (and a COMPLETED one does not)",
    events.length === 1 && events[0].detail?.backupJobId === "e2e-job-1" && events[0].source === "aws.backup",
    JSON.stringify(events),
  );

  const healthy = status("status (healthy)");
  check(
    "npm run status on the deployed platform: exit 0, healthy",
    healthy.status === 0 && /status: healthy$/.test(healthy.stderr.trim()),
    healthy.stderr.trim().split("\n").pop(),
  );
  check(
    "npm run status shows each section: alarms, cluster and support type, a node group per zone, image tag, certificate",
    /alarms +0 in ALARM/.test(healthy.stdout) &&
      /cluster +Kubernetes \d\.\d+, ACTIVE, support \w+/.test(healthy.stdout) &&
      (healthy.stdout.match(/^nodes /gm) ?? []).length === 2 &&
      /image tag +none \(no app deployed\)/.test(healthy.stdout) &&
      /certificate +ISSUED, expires/.test(healthy.stdout),
    healthy.stdout,
  );

  const alarm = `${prefix}-nodes-not-ready`;
  aws(["cloudwatch", "set-alarm-state", "--alarm-name", alarm, "--state-value", "ALARM", "--state-reason", "e2e: a node NotReady"]);
  const inAlarm = status("status (an alarm in ALARM)");
  aws(["cloudwatch", "set-alarm-state", "--alarm-name", alarm, "--state-value", "OK", "--state-reason", "e2e: back"]);
  const changes = receive(queueUrl, 2).map((b) => JSON.parse(b));
  check(
    "alert path: an alarm's ALARM and OK reach the topic's subscriber",
    changes.map((c) => `${c.AlarmName} ${c.NewStateValue}`).join(", ") === `${alarm} ALARM, ${alarm} OK`,
    JSON.stringify(changes),
  );
  check(
    "npm run status with an alarm in ALARM: exit 2, the last line names it",
    inAlarm.status === 2 && inAlarm.stderr.trim().endsWith(`status: UNHEALTHY: alarm ${alarm}`),
    `exit ${inAlarm.status}: ${inAlarm.stderr.trim().split("\n").pop()}`,
  );
  sqs(["delete-queue", "--queue-url", queueUrl]);
  log(`status (healthy):\n${healthy.stdout}`);
}
