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

/** The versions AWS offers for one add-on on one Kubernetes version. */
export async function offeredVersions(aws: AwsCli, name: string, kubernetesVersion: string): Promise<string[]> {
  const answer = (await aws.jsonAsync(["eks", "describe-addon-versions", "--kubernetes-version", kubernetesVersion, "--addon-name", name])) as {
    addons?: { addonName: string; addonVersions?: { addonVersion: string; compatibilities?: { clusterVersion?: string }[] }[] }[];
  };
  const addon = (answer.addons ?? []).find((a) => a.addonName === name);
  return (addon?.addonVersions ?? [])
    .filter((v) => !v.compatibilities?.length || v.compatibilities.some((c) => c.clusterVersion === kubernetesVersion))
    .map((v) => v.addonVersion);
}

/** One line per pin AWS does not offer (empty when every pin is offered). */
export async function unofferedPins(aws: AwsCli, pins: readonly AddonPin[]): Promise<string[]> {
  const offers = await Promise.all(pins.map((p) => offeredVersions(aws, p.name, p.kubernetesVersion)));
  return pins.flatMap((p, i) =>
    offers[i].includes(p.version)
      ? []
      : [`EKS add-on ${p.name} is pinned to ${p.version} (versions.yaml), which AWS does not offer for Kubernetes ${p.kubernetesVersion}; AWS offers: ${offers[i].join(", ") || "none"}`],
  );
}
