/**
 * Typed access to versions.yaml, the one table of every pinned version (Kubernetes, EKS add-ons,
 * Helm charts, container images). Bumping a version is an edit of that file only.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { parse } from "yaml";
import type { ChartPin } from "./constructs/k8s/pinned-helm-release";
import type { EksAddonVersions } from "./constructs/eks-managed-addons";

// The shapes of a pin belong to the constructs that consume them; this module only loads the table.
export type { ChartPin, EksAddonVersions };

export interface VersionTable {
  readonly kubernetes: {
    readonly default: string;
    readonly eksAddons: Readonly<Record<string, EksAddonVersions>>;
    /** Cluster Autoscaler image tag per Kubernetes version (the minors must match). */
    readonly clusterAutoscaler: Readonly<Record<string, string>>;
    /** End of EKS standard support per Kubernetes version (YYYY-MM-DD), where a source gives it. */
    readonly standardSupportEnds: Readonly<Record<string, string>>;
    /** The node groups' AMI release per Kubernetes version (`<minor>.<patch>-<YYYYMMDD>`), where one is pinned. */
    readonly nodeAmiReleases: Readonly<Record<string, string>>;
  };
  readonly charts: Readonly<Record<"awsLoadBalancerController" | "clusterAutoscaler" | "metricsServer", ChartPin>>;
  readonly images: Readonly<Record<"postgres" | "redis" | "minio", string>>;
}

export const VERSIONS_FILE = path.join(__dirname, "versions.yaml");

export function loadVersions(file: string = VERSIONS_FILE): VersionTable {
  const table = parse(readFileSync(file, "utf8")) as VersionTable;
  if (!table?.kubernetes?.eksAddons?.[table.kubernetes.default]) {
    throw new Error(`${file}: kubernetes.default must name a version listed under kubernetes.eksAddons`);
  }
  for (const version of Object.keys(table.kubernetes.eksAddons)) {
    const tag = table.kubernetes.clusterAutoscaler?.[version];
    if (!tag || !tag.startsWith(`v${version}.`)) {
      throw new Error(
        `${file}: kubernetes.clusterAutoscaler must pin a v${version}.x image for Kubernetes ${version} (the minors must match), got ${tag ?? "none"}`,
      );
    }
  }
  if (!table.kubernetes.nodeAmiReleases?.[table.kubernetes.default]) {
    throw new Error(`${file}: kubernetes.nodeAmiReleases must pin the nodes' AMI release for the default Kubernetes ${table.kubernetes.default}`);
  }
  for (const [version, release] of Object.entries(table.kubernetes.nodeAmiReleases)) {
    if (!new RegExp(`^${version.replace(".", "\\.")}\\.\\d+-\\d{8}$`).test(release)) {
      throw new Error(
        `${file}: kubernetes.nodeAmiReleases["${version}"] must be a release of Kubernetes ${version}, such as ${version}.0-20260101, got ${release}`,
      );
    }
  }
  return table;
}

export const VERSIONS: VersionTable = loadVersions();
export const KUBERNETES_VERSIONS: readonly string[] = Object.keys(VERSIONS.kubernetes.eksAddons);
export const DEFAULT_KUBERNETES_VERSION: string = VERSIONS.kubernetes.default;
