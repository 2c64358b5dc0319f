/**
 * Before an apply changes anything, every EKS add-on version the synthesized stacks pin
 * (versions.yaml) is checked against what AWS offers for the cluster's Kubernetes version
 * (`aws eks describe-addon-versions`). A pin AWS does not offer would otherwise fail halfway
 * through an upgrade: after the control plane moved to the new minor, at the add-on update.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { AwsCli } from "./aws-cli";

export interface AddonPin {
  readonly stack: string;
  readonly name: string;
  readonly version: string;
  readonly kubernetesVersion: string;
}

/** The add-on pins of a synthesized stack (its aws_eks_addon resources), with its cluster's version. */
export function addonPins(stack: string, stackDir: string): AddonPin[] {
  const json = JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const clusters = Object.values(json.resource?.aws_eks_cluster ?? {}) as { version?: string }[];
  const addons = Object.values(json.resource?.aws_eks_addon ?? {}) as { addon_name: string; addon_version?: string }[];
  const kubernetesVersion = clusters[0]?.version;
  if (!kubernetesVersion) return [];
  return addons.filter((a) => a.addon_version).map((a) => ({ stack, name: a.addon_name, version: a.addon_version!, kubernetesVersion }));
}

type Offered = {
  addonName: string;
  addonVersions?: { addonVersion: string; compatibilities?: { clusterVersion?: string; defaultVersion?: boolean }[] }[];
};

/**
 * What AWS offers for the named add-ons on one Kubernetes version: one call for all of them (an
 * aws process costs about a second of CPU; AWS pages through its catalog within the call).
 */
async function describeAddons(aws: AwsCli, names: readonly string[], kubernetesVersion: string): Promise<Offered[]> {
  const wanted = JSON.stringify([...new Set(names)]);
  const answer = (await aws.jsonAsync([
    "eks",
    "describe-addon-versions",
    "--kubernetes-version",
    kubernetesVersion,
    "--query",
    `{addons: addons[?contains(\`${wanted}\`, addonName)]}`,
  ])) as { addons?: Offered[] } | undefined;
  return answer?.addons ?? [];
}

/** The versions AWS offers for each named add-on on one Kubernetes version. */
export async function offeredVersions(aws: AwsCli, names: readonly string[], kubernetesVersion: string): Promise<Map<string, string[]>> {
  const offered = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const addon of await describeAddons(aws, names, kubernetesVersion)) {
    if (!offered.has(addon.addonName)) continue;
    const versions = (addon.addonVersions ?? [])
      .filter((v) => !v.compatibilities?.length || v.compatibilities.some((c) => c.clusterVersion === kubernetesVersion))
      .map((v) => v.addonVersion);
    offered.get(addon.addonName)!.push(...versions);
  }
  return offered;
}

/** The version AWS installs by default for each named add-on on one Kubernetes version. */
export async function offeredDefaults(aws: AwsCli, names: readonly string[], kubernetesVersion: string): Promise<Map<string, string>> {
  const defaults = new Map<string, string>();
  for (const addon of await describeAddons(aws, names, kubernetesVersion)) {
    const preferred = (addon.addonVersions ?? []).find((v) =>
      (v.compatibilities ?? []).some((c) => c.defaultVersion && (c.clusterVersion === undefined || c.clusterVersion === kubernetesVersion)),
    );
    if (preferred) defaults.set(addon.addonName, preferred.addonVersion);
  }
  return defaults;
}

/** One line per pin AWS does not offer (empty when every pin is offered). */
export async function unofferedPins(aws: AwsCli, pins: readonly AddonPin[]): Promise<string[]> {
  const versions = [...new Set(pins.map((p) => p.kubernetesVersion))];
  const offers = new Map(
    await Promise.all(
      versions.map(
        async (v) =>
          [
            v,
            await offeredVersions(
              aws,
              pins.filter((p) => p.kubernetesVersion === v).map((p) => p.name),
              v,
            ),
          ] as const,
      ),
    ),
  );
  return pins.flatMap((p) => {
    const offered = offers.get(p.kubernetesVersion)!.get(p.name) ?? [];
    return offered.includes(p.version)
      ? []
      : [
          `EKS add-on ${p.name} is pinned to ${p.version} (versions.yaml), which AWS does not offer for Kubernetes ${p.kubernetesVersion}; AWS offers: ${offered.join(", ") || "none"}`,
        ];
  });
}

/** How many days before the end of standard support deploy-infra starts warning. */
export const SUPPORT_WARNING_DAYS = 90;

/**
 * A one-line warning when the cluster's Kubernetes version leaves EKS standard support within
 * SUPPORT_WARNING_DAYS, has left it, or has no date in versions.yaml; undefined otherwise.
 * What happens then depends on the upgrade policy (FACTORY_EKS_SUPPORT_TYPE).
 */
export function standardSupportWarning(
  version: string,
  supportType: string | undefined,
  ends: Readonly<Record<string, string>>,
  today: Date,
): string | undefined {
  const end = ends[version];
  if (!end)
    return `Kubernetes ${version} has no end-of-standard-support date in versions.yaml (kubernetes.standardSupportEnds): add it from the EKS version calendar`;
  const days = Math.ceil((Date.parse(`${end}T00:00:00Z`) - today.getTime()) / 86_400_000);
  if (days > SUPPORT_WARNING_DAYS) return undefined;
  const then =
    supportType === "EXTENDED"
      ? "then the control plane is billed the extended support rate ($0.60 instead of $0.10 an hour, prices.yaml)"
      : "then AWS upgrades the cluster to the next minor by itself (upgrade policy STANDARD)";
  const when = days > 0 ? `leaves EKS standard support on ${end} (in ${days} days)` : `left EKS standard support on ${end}`;
  return `Kubernetes ${version} ${when}: ${then}; upgrade on purpose first (FACTORY_KUBERNETES_VERSION, one minor at a time)`;
}

/** The upgrade policy a synthesized stack sets on its cluster, if it has one. */
export function clusterSupportType(stackDir: string): string | undefined {
  const json = JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const cluster = Object.values(json.resource?.aws_eks_cluster ?? {})[0] as { upgrade_policy?: { support_type?: string } } | undefined;
  return cluster?.upgrade_policy?.support_type;
}
