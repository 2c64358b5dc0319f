import { Construct } from "constructs";
import { readFileSync } from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmMetricQuery } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";

/** A metric as alarms.yaml names it (values may hold placeholders). */
export interface AlarmMetric {
  readonly namespace: string;
  readonly name: string;
  readonly statistic: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** One row of alarms.yaml: an alarm, or one per element of `each`. */
export interface AlarmSpec {
  readonly id: string;
  /** The stack that creates it (monitoring, or dns for the load balancer's). */
  readonly stack: "monitoring" | "dns";
  readonly each?: "deployments" | "workloads" | "dataStores" | "targetGroups";
  readonly title: string;
  /** One metric, or `metrics` combined by `expression` (metric math). */
  readonly metric?: AlarmMetric;
  readonly expression?: string;
  readonly metrics?: Readonly<Record<string, AlarmMetric>>;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly comparison: "GreaterThanThreshold" | "LessThanThreshold";
  readonly threshold: number | string;
  readonly missingData: "missing" | "notBreaching" | "breaching";
  readonly missingWhy: string;
  /** The runbook line: what it means, and the first command to run. */
  readonly means: string;
  readonly first: string;
}

export const ALARMS_FILE = path.join(__dirname, "..", "alarms.yaml");

/** The alarm specs of alarms.yaml. */
export function loadAlarmSpecs(file: string = ALARMS_FILE): AlarmSpec[] {
  const specs = (parse(readFileSync(file, "utf8")) as { alarms: AlarmSpec[] }).alarms;
  for (const s of specs) {
    if (!s.metric === !s.expression) throw new Error(`${file}: alarm ${s.id} needs either metric or expression (with metrics)`);
    if (s.expression && !s.metrics) throw new Error(`${file}: alarm ${s.id} has an expression and no metrics`);
  }
  return specs;
}

/** How many alarms the rows of `stack` make: one per row, or one per element of its `each` list (`sizes`: each list's length). */
export function expandedAlarmCount(
  stack: AlarmSpec["stack"],
  sizes: Readonly<Record<NonNullable<AlarmSpec["each"]>, number>>,
  specs = loadAlarmSpecs(),
): number {
  return specs.filter((s) => s.stack === stack).reduce((n, s) => n + (s.each ? sizes[s.each] : 1), 0);
}

/** The values the placeholders of one expanded alarm take ({name} among them for an `each` row). */
export type AlarmValues = Readonly<Record<string, string | number>>;

export interface PlatformAlarmsProps {
  /** The stack whose rows of alarms.yaml to build. */
  readonly stack: AlarmSpec["stack"];
  /** Alarm names are `<prefix>-<id>`. */
  readonly prefix: string;
  /** Where ALARM and OK go (the alert topic). */
  readonly topicArn: string;
  /** The placeholders every alarm of this stack may use. */
  readonly values: AlarmValues;
  /**
   * The elements of each `each` list: a name and the placeholders it sets.
   * @default none (rows with `each` then make no alarm)
   */
  readonly lists?: Readonly<Partial<Record<NonNullable<AlarmSpec["each"]>, readonly AlarmValues[]>>>;
  /** The alarm rows, of every stack (only those of `stack` are built). @default the rows of alarms.yaml */
  readonly specs?: readonly AlarmSpec[];
}

/** Replaces every {placeholder} of `text`; one it has no value for is an error (a typo in alarms.yaml). */
export function fill(text: string, values: AlarmValues, where: string): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`alarms.yaml: ${where}: no value for {${key}}`);
    return String(values[key]);
  });
}

/**
 * The alarms of alarms.yaml for one stack, each sending ALARM and OK to the alert topic, with the
 * missing-data treatment its row chose (and says why) and its runbook line as its description.
 */
export class PlatformAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: PlatformAlarmsProps) {
    super(scope, id);
    for (const spec of (props.specs ?? loadAlarmSpecs()).filter((s) => s.stack === props.stack)) {
      const elements = spec.each ? (props.lists?.[spec.each] ?? []) : [{}];
      for (const element of elements) {
        const values = { ...props.values, ...element };
        const alarmId = fill(spec.id, values, spec.id);
        const dims = (m: AlarmMetric) => Object.fromEntries(Object.entries(m.dimensions).map(([k, v]) => [k, fill(v, values, alarmId)]));
        const single = spec.metric
          ? {
              namespace: spec.metric.namespace,
              metricName: spec.metric.name,
              statistic: spec.metric.statistic,
              period: spec.period,
              dimensions: dims(spec.metric),
            }
          : {};
        const query: CloudwatchMetricAlarmMetricQuery[] | undefined = spec.metrics && [
          { id: "e1", expression: spec.expression, label: spec.title, returnData: true },
          ...Object.entries(spec.metrics).map(([key, m]) => ({
            id: key,
            returnData: false,
            metric: { namespace: m.namespace, metricName: m.name, stat: m.statistic, period: spec.period, dimensions: dims(m) },
          })),
        ];
        this.alarms.push(
          new CloudwatchMetricAlarm(this, alarmId, {
            alarmName: `${props.prefix}-${alarmId}`,
            alarmDescription: `${spec.means}. First: ${fill(spec.first, { ...values, name: String(values.name ?? "<name>") }, alarmId)}. Missing data: ${spec.missingData} (${spec.missingWhy}).`,
            ...single,
            metricQuery: query,
            evaluationPeriods: spec.evaluationPeriods,
            datapointsToAlarm: spec.datapointsToAlarm,
            comparisonOperator: spec.comparison,
            threshold: Number(fill(String(spec.threshold), values, alarmId)),
            treatMissingData: spec.missingData,
            alarmActions: [props.topicArn],
            okActions: [props.topicArn],
          }),
        );
      }
    }
  }
}
