/**
 * Knowing when it breaks (issue: metrics, logs and alerts): Container Insights in the eks stack,
 * the monitoring stack's alert topic, alarms and backup-failure rule, the dns stack's ALB alarms.
 */
import { expandedAlarmCount } from "../../constructs/platform-alarms";
import { CONTAINER_INSIGHTS_LOG_GROUPS } from "../../constructs/addons/container-insights/addon";
import { ALARM_LIST_SIZES, DATA_STORES, FACTORY_DEPLOYMENTS, FACTORY_INGRESS, INGRESS_BACKENDS } from "../../lib/workloads";
import { VERSIONS } from "../../versions";
import { onlyResource, platform, resourcesOf, synthJson, synthPlatform, TfJson } from "../helpers";

const json = synthPlatform();
const { eks, monitoring, dns, app } = json;
const alarms = resourcesOf(monitoring, "aws_cloudwatch_metric_alarm");
const topicRef = /^\$\{aws_sns_topic\.alerts_topic_[0-9A-F]+\.arn\}$/;

/** The statements of the policy document whose construct id contains `id`. */
function statements(stack: TfJson, id: string): TfJson[] {
  const [doc] = Object.entries(stack.data.aws_iam_policy_document as Record<string, TfJson>).filter(([name]) => name.includes(id));
  return doc[1].statement;
}

describe("metrics and logs: Container Insights (eks stack)", () => {
  const addon = resourcesOf(eks, "aws_eks_addon").find((a) => a.addon_name === "amazon-cloudwatch-observability")!;

  test("the managed add-on amazon-cloudwatch-observability at the version versions.yaml pins for the cluster's minor", () => {
    expect(addon.addon_version).toBe(VERSIONS.kubernetes.eksAddons["1.35"]["amazon-cloudwatch-observability"]);
  });

  test("its IRSA role: CloudWatchAgentServerPolicy, trusted by the agent's service account only", () => {
    expect(addon.service_account_role_arn).toMatch(/aws_iam_role\.container-insights_agent-role_/);
    const trust = statements(eks, "container-insights_agent-role_trust")[0];
    expect(JSON.stringify(trust.condition)).toContain("system:serviceaccount:amazon-cloudwatch:cloudwatch-agent");
    const attached = resourcesOf(eks, "aws_iam_role_policy_attachment").filter((a) => String(a.role).includes("container-insights_agent-role"));
    expect(attached.map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"]);
  });

  test("the log groups it writes to exist first, with the platform's retention and a key of their own, so nothing grows forever", () => {
    const groups = resourcesOf(eks, "aws_cloudwatch_log_group").filter((g) => String(g.name).includes("/containerinsights/"));
    expect(groups.map((g) => g.name).sort()).toEqual(CONTAINER_INSIGHTS_LOG_GROUPS.map((k) => `/aws/containerinsights/attractor-factory-eks/${k}`).sort());
    for (const g of groups) {
      expect(g.retention_in_days).toBe(90);
      expect(g.kms_key_id).toMatch(/aws_kms_key\.container-insights_key_/);
    }
    expect(addon.depends_on.filter((d: string) => d.startsWith("aws_cloudwatch_log_group.container-insights"))).toHaveLength(groups.length);
    const logsKey = statements(eks, "container-insights_key-policy").find((s) => s.sid === "LogsEncryptTheseGroups")!;
    expect(logsKey.principals[0].identifiers).toEqual(["logs.us-west-2.amazonaws.com"]);
  });

  test("the volume alarms' metric: the agent scrapes the kubelet's volume stats and publishes them by claim", () => {
    const config = JSON.parse(addon.configuration_values);
    expect(config.agent.config.logs.metrics_collected.kubernetes.enhanced_container_insights).toBe(true);
    const declaration = config.agent.config.logs.metrics_collected.prometheus.emf_processor.metric_declaration[0];
    expect(declaration.dimensions).toEqual([["ClusterName", "namespace", "persistentvolumeclaim"]]);
    expect(config.agent.prometheus.config.scrape_configs[0].job_name).toBe("kubelet");
    // No Terraform interpolation hides in the configuration (cdktf passes ${...} to Terraform).
    expect(addon.configuration_values).not.toContain("${");
  });
});

describe("one alert topic (monitoring stack)", () => {
  const topic = onlyResource(monitoring, "aws_sns_topic");

  test("encrypted with a key of its own, which this account's CloudWatch, and EventBridge (no aws:Source* condition: unsupported for it), may use to encrypt", () => {
    expect(topic.name).toBe("attractor-factory-alerts");
    expect(topic.kms_master_key_id).toMatch(/aws_kms_key\.alerts_key_[0-9A-F]+\.arn/);
    const policy = statements(monitoring, "alerts_key-policy");
    const alarmsKey = policy.find((s) => s.sid === "AlarmsEncrypt")!;
    expect(alarmsKey.principals[0].identifiers).toEqual(["cloudwatch.amazonaws.com"]);
    expect(alarmsKey.condition[0]).toEqual({ test: "StringEquals", variable: "aws:SourceAccount", values: ["582719176192"] });
    const rulesKey = policy.find((s) => s.sid === "RulesEncrypt")!;
    expect(rulesKey.principals[0].identifiers).toEqual(["events.amazonaws.com"]);
    expect(rulesKey.condition).toBeUndefined();
  });

  test("its policy lets this account's alarms and rules publish, and denies publishing to everyone else", () => {
    const policy = statements(monitoring, "alerts_policy");
    expect(policy.map((s) => `${s.sid} ${s.effect}`)).toEqual(["AlarmsPublish Allow", "RulesPublish Allow", "NobodyElsePublishes Deny"]);
    expect(policy[2].condition[0]).toEqual({
      test: "StringNotEquals",
      variable: "aws:PrincipalServiceName",
      values: ["cloudwatch.amazonaws.com", "events.amazonaws.com"],
    });
  });

  test("no e-mail subscriber by default; FACTORY_ALERT_EMAILS subscribes each address", () => {
    expect(resourcesOf(monitoring, "aws_sns_topic_subscription")).toEqual([]);
    const withMail = synthJson(platform({ FACTORY_ALERT_EMAILS: "ops@example.com,oncall@example.org" }).monitoring);
    expect(
      resourcesOf(withMail, "aws_sns_topic_subscription")
        .map((s) => `${s.protocol} ${s.endpoint}`)
        .sort(),
    ).toEqual(["email oncall@example.org", "email ops@example.com"]);
  });

  test("the topic's ARN is an output, for other endpoints to subscribe", () => {
    expect(monitoring.output.AlertTopicArn.value).toMatch(topicRef);
  });
});

describe("alarms on the ways this platform fails", () => {
  const names = alarms.map((a) => a.alarm_name).sort();
  const alarm = (name: string) => alarms.find((a) => a.alarm_name === `attractor-factory-${name}`)!;

  test("every alarm sends ALARM and OK to the topic, and says its missing-data behaviour and runbook line", () => {
    for (const a of [...alarms, ...resourcesOf(dns, "aws_cloudwatch_metric_alarm")]) {
      expect(a.alarm_actions).toHaveLength(1);
      expect(a.ok_actions).toEqual(a.alarm_actions);
      expect(["missing", "notBreaching", "breaching"]).toContain(a.treat_missing_data);
      expect(a.alarm_description).toMatch(/First: .+\. Missing data: \w+ \(.+\)\.$/);
    }
    for (const a of alarms) expect(a.alarm_actions[0]).toMatch(topicRef);
  });

  test("a node NotReady, and fewer ready nodes than the node groups' minimum (silence counts: no metrics is no nodes or no agent)", () => {
    expect(alarm("nodes-not-ready")).toMatchObject({ metric_name: "cluster_failed_node_count", comparison_operator: "GreaterThanThreshold", threshold: 0 });
    const below = alarm("ready-nodes-below-minimum");
    expect(below).toMatchObject({ comparison_operator: "LessThanThreshold", threshold: 2, treat_missing_data: "breaching" });
    expect(below.metric_query[0].expression).toBe("total - failed");
    const other = resourcesOf(synthJson(platform({ FACTORY_NODE_MIN: "4", FACTORY_NODE_DESIRED: "4" }).monitoring), "aws_cloudwatch_metric_alarm");
    expect(other.find((a) => a.alarm_name.endsWith("ready-nodes-below-minimum"))!.threshold).toBe(4);
  });

  test("the monitoring stack is created after the cluster whose metrics its alarms watch", () => {
    const manifest = require(`${json.outdir}/manifest.json`);
    expect(manifest.stacks["attractor-factory-monitoring"].dependencies).toContain("attractor-factory-eks");
  });

  test("a factory Deployment with unavailable replicas, and crash-looping pods, in factory-system", () => {
    for (const d of FACTORY_DEPLOYMENTS) {
      expect(alarm(`${d}-unavailable`).dimensions).toEqual({ ClusterName: "attractor-factory-eks", Namespace: "factory-system", PodName: d });
      expect(alarm(`${d}-crash-looping`).metric_name).toBe("pod_container_status_waiting_reason_crash_loop_back_off");
    }
  });

  test("a data store not ready, and its volume over 80% full (the kubelet's volume stats, by claim)", () => {
    for (const store of DATA_STORES) {
      expect(alarm(`${store}-not-ready`)).toMatchObject({ metric_name: "replicas_ready", threshold: 1, comparison_operator: "LessThanThreshold" });
      const volume = alarm(`${store}-volume-80-percent`);
      expect(volume.threshold).toBe(80);
      expect(volume.metric_query[1].metric.dimensions.persistentvolumeclaim).toBe(`data-${store}-0`);
    }
  });

  test("the certificate's days to expiry below 30, and no backup completed in the last 26 hours (silence counts)", () => {
    expect(alarm("certificate-expires-within-30-days")).toMatchObject({ metric_name: "DaysToExpiry", threshold: 30, period: 86400 });
    expect(alarm("certificate-expires-within-30-days").dimensions.CertificateArn).toMatch(/terraform_remote_state/);
    expect(alarm("no-backup-completed-in-26-hours")).toMatchObject({
      metric_name: "NumberOfBackupJobsCompleted",
      period: 3600,
      evaluation_periods: 26,
      datapoints_to_alarm: 26,
      treat_missing_data: "breaching",
      dimensions: { ResourceType: "EBS", BackupVaultName: "attractor-factory-data" },
    });
  });

  test("the load balancer's 5xx rate, no healthy target and unhealthy targets, for the api and web target groups the dns stack finds by the controller's tags", () => {
    const albAlarms = resourcesOf(dns, "aws_cloudwatch_metric_alarm")
      .map((a) => a.alarm_name)
      .sort();
    expect(albAlarms).toEqual(
      INGRESS_BACKENDS.flatMap((b) => [
        `attractor-factory-${b}-5xx-rate`,
        `attractor-factory-${b}-no-healthy-targets`,
        `attractor-factory-${b}-unhealthy-targets`,
      ]).sort(),
    );
    expect(dns.output.AlarmNames.value).toHaveLength(albAlarms.length);
    const tags = resourcesOf(dns, "aws_lb_target_group", "data").map((t) => t.tags["ingress.k8s.aws/resource"]);
    expect(tags.sort()).toEqual(INGRESS_BACKENDS.map((b) => `factory-system/${FACTORY_INGRESS}-${b}:80`).sort());
    for (const a of resourcesOf(dns, "aws_cloudwatch_metric_alarm"))
      expect(a.alarm_actions[0]).toMatch(/terraform_remote_state\.cross-stack-reference-input-attractor-factory-monitoring/);
  });

  test("one alarm per row of alarms.yaml and element of its list, no more", () => {
    expect(names).toHaveLength(expandedAlarmCount("monitoring", ALARM_LIST_SIZES));
    expect(resourcesOf(dns, "aws_cloudwatch_metric_alarm")).toHaveLength(expandedAlarmCount("dns", ALARM_LIST_SIZES));
  });
});

describe("backup failures reach the topic", () => {
  test("an EventBridge rule on failed, aborted or expired backup and restore jobs, to the topic", () => {
    const rule = onlyResource(monitoring, "aws_cloudwatch_event_rule");
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ["aws.backup"],
      "detail-type": ["Backup Job State Change", "Restore Job State Change"],
      detail: { state: ["FAILED", "ABORTED", "EXPIRED"] },
    });
    expect(onlyResource(monitoring, "aws_cloudwatch_event_target").arn).toMatch(topicRef);
  });
});

describe("the names the alarms watch are the app stack's", () => {
  test("Deployments, StatefulSets and their claim template, the ingress and its backends (lib/workloads.ts)", () => {
    expect(
      resourcesOf(app, "kubernetes_deployment_v1")
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual([...FACTORY_DEPLOYMENTS].sort());
    const sets = resourcesOf(app, "kubernetes_stateful_set_v1");
    expect(sets.map((s) => s.metadata.name).sort()).toEqual([...DATA_STORES].sort());
    for (const s of sets) expect(s.spec.volume_claim_template[0].metadata.name).toBe("data");
    const ingress = onlyResource(app, "kubernetes_ingress_v1");
    expect(ingress.metadata.name).toBe(FACTORY_INGRESS);
    const backends = JSON.stringify(ingress.spec);
    const services = resourcesOf(app, "kubernetes_service_v1").map((s) => s.metadata.name);
    for (const b of INGRESS_BACKENDS) {
      expect(services).toContain(b);
      expect(backends).toContain(`kubernetes_service_v1.services_${b}_service_`);
    }
  });
});
