import { Construct } from "constructs";
import { ChartPin, PinnedHelmRelease } from "../../k8s/pinned-helm-release";

export interface MetricsServerProps {
  /** The chart, from versions.yaml (charts.metricsServer); its values are helm-values/metrics-server.yaml. */
  readonly pin: ChartPin;
}

/**
 * metrics-server: the resource metrics API (`kubectl top`, and the HorizontalPodAutoscalers of the
 * api and web Deployments). Nothing computed: its values are the file's alone.
 */
export class MetricsServer extends PinnedHelmRelease {
  constructor(scope: Construct, id: string, props: MetricsServerProps) {
    super(scope, id, { pin: props.pin, releaseName: "metrics-server", namespace: "kube-system" });
  }
}
