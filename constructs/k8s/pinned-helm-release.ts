import { Construct } from "constructs";
import * as path from "path";
import { Release } from "@cdktf/provider-helm/lib/release";
import { HELM_VALUES_DIR, HelmValues, loadHelmValues, mergeHelmValues } from "./helm-values";

/** A chart at one version, from one repository (versions.yaml `charts`). */
export interface ChartPin {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
  readonly appVersion: string;
}

export interface PinnedHelmReleaseProps {
  /** Repository, chart and version, from versions.yaml. */
  readonly pin: ChartPin;
  /** Release name (and so the prefix of the chart's object names). */
  readonly releaseName: string;
  /** The namespace the release is installed in (not created: it must exist). */
  readonly namespace: string;
  /**
   * Static values file, relative to helm-values/ (or absolute).
   * @default `<chart>.yaml`
   */
  readonly valuesFile?: string;
  /**
   * Values derived from the stacks (cluster name, role ARNs...), merged over the file's. The file
   * may not set them.
   * @default none
   */
  readonly computedValues?: HelmValues;
  /**
   * Seconds Helm waits for the release's resources to become ready.
   * @default 600
   */
  readonly timeoutSeconds?: number;
}

/**
 * A Helm release of a chart at the version pinned in versions.yaml, with values from a file in
 * helm-values/ merged with computed values. Atomic: a failed install or upgrade is rolled back
 * rather than left half-applied.
 */
export class PinnedHelmRelease extends Construct {
  readonly release: Release;
  /** The merged values, as handed to Helm (before Terraform resolves references in them). */
  readonly values: HelmValues;

  constructor(scope: Construct, id: string, props: PinnedHelmReleaseProps) {
    super(scope, id);
    // Helm: a DNS-1123 label of at most 53 characters (it prefixes the chart's object names).
    if (!/^[a-z0-9](?:[a-z0-9-]{0,51}[a-z0-9])?$/.test(props.releaseName)) {
      throw new Error(
        `PinnedHelmRelease ${id}: releaseName must be at most 53 lower-case letters, digits and -, not starting or ending with -, got "${props.releaseName}"`,
      );
    }
    const timeout = props.timeoutSeconds ?? 600;
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 3600) {
      throw new Error(`PinnedHelmRelease ${id}: timeoutSeconds must be a whole number from 1 to 3600, got ${timeout}`);
    }
    const file = path.resolve(HELM_VALUES_DIR, props.valuesFile ?? `${props.pin.chart}.yaml`);
    this.values = mergeHelmValues(loadHelmValues(file), props.computedValues ?? {}, file);

    this.release = new Release(this, "release", {
      name: props.releaseName,
      namespace: props.namespace,
      repository: props.pin.repository,
      chart: props.pin.chart,
      version: props.pin.version,
      // JSON is YAML. References in computed values become Terraform interpolations in the string.
      values: [JSON.stringify(this.values)],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout,
      maxHistory: 10,
    });
  }
}
