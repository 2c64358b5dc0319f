/**
 * The add-on version check that deploy-infra runs before any change (scripts/lib/addon-versions.ts):
 * every pinned EKS add-on version must be one AWS offers for the cluster's Kubernetes version.
 * The e2e runs it against the local AWS API; here the AWS answers are stand-ins.
 */
import { mkdtempSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { AwsCli } from "../../../scripts/lib/aws-cli";
import { addonPins, AddonPin, standardSupportWarning, unofferedPins } from "../../../scripts/lib/addon-versions";
import { loadConfig } from "../../../config";
import { VERSIONS } from "../../../versions";

/**
 * describe-addon-versions answers (add-on name -> Kubernetes version -> versions offered), with
 * the add-ons the call's --query keeps; the calls are recorded.
 */
function fakeAws(catalog: Record<string, Record<string, string[]>>, calls: string[][] = []): AwsCli {
  return {
    async jsonAsync(args: readonly string[]) {
      calls.push([...args]);
      const k8s = args[args.indexOf("--kubernetes-version") + 1];
      const kept = JSON.parse(/`(.*)`/.exec(args[args.indexOf("--query") + 1])![1]) as string[];
      const addons = Object.entries(catalog).filter(([name, byVersion]) => kept.includes(name) && byVersion[k8s]);
      return {
        addons: addons.map(([name, byVersion]) => ({
          addonName: name,
          addonVersions: byVersion[k8s].map((v) => ({ addonVersion: v, compatibilities: [{ clusterVersion: k8s }] })),
        })),
      };
    },
  } as unknown as AwsCli;
}

const pin = (name: string, version: string, kubernetesVersion = "1.35"): AddonPin => ({ stack: "eks", name, version, kubernetesVersion });

test("a pin AWS offers passes", async () => {
  expect(await unofferedPins(fakeAws({ coredns: { "1.35": ["v1.13.2-eksbuild.11", "v1.14.3-eksbuild.3"] } }), [pin("coredns", "v1.14.3-eksbuild.3")])).toEqual(
    [],
  );
});

test("a pin AWS does not offer stops the apply with one line: the add-on, the pin, the Kubernetes version and what AWS offers", async () => {
  const lines = await unofferedPins(fakeAws({ coredns: { "1.35": ["v1.13.2-eksbuild.11", "v1.14.3-eksbuild.3"] } }), [pin("coredns", "v1.99.0-eksbuild.1")]);
  expect(lines).toEqual([
    "EKS add-on coredns is pinned to v1.99.0-eksbuild.1 (versions.yaml), which AWS does not offer for Kubernetes 1.35; AWS offers: v1.13.2-eksbuild.11, v1.14.3-eksbuild.3",
  ]);
});

test("one describe-addon-versions call answers every pin of a Kubernetes version", async () => {
  const calls: string[][] = [];
  const catalog = {
    coredns: { "1.35": ["v1.14.3-eksbuild.3"] },
    "kube-proxy": { "1.35": ["v1.35.3-eksbuild.13"] },
    "vpc-cni": { "1.35": ["v1.22.3-eksbuild.1"] },
  };
  const lines = await unofferedPins(fakeAws(catalog, calls), [
    pin("coredns", "v1.14.3-eksbuild.3"),
    pin("kube-proxy", "v1.35.3-eksbuild.13"),
    pin("vpc-cni", "v1.0.0-eksbuild.1"),
  ]);
  expect(calls).toHaveLength(1);
  expect(lines).toEqual([
    "EKS add-on vpc-cni is pinned to v1.0.0-eksbuild.1 (versions.yaml), which AWS does not offer for Kubernetes 1.35; AWS offers: v1.22.3-eksbuild.1",
  ]);
});

test("a version offered for another Kubernetes version only is not offered", async () => {
  const lines = await unofferedPins(fakeAws({ "kube-proxy": { "1.34": ["v1.34.6-eksbuild.13"] } }), [pin("kube-proxy", "v1.34.6-eksbuild.13", "1.35")]);
  expect(lines[0]).toMatch(/kube-proxy is pinned to v1\.34\.6-eksbuild\.13 .* for Kubernetes 1\.35; AWS offers: none$/);
});

test("the pins are read from the synthesized eks stack: its add-ons, at its cluster's version", () => {
  const { Testing } = require("cdktf") as typeof import("cdktf");
  const { buildPlatform } = require("../../../stacks/platform") as typeof import("../../../stacks/platform");
  const app = Testing.app();
  const stacks = buildPlatform(app, loadConfig({ FACTORY_AWS_PROFILE: "", FACTORY_KUBERNETES_VERSION: "1.36" }));
  const dir = mkdtempSync(path.join(os.tmpdir(), "pins-"));
  writeFileSync(path.join(dir, "cdk.tf.json"), Testing.synth(stacks.eks));
  const pins = addonPins("eks", dir);
  expect(pins.map((p) => [p.name, p.version, p.kubernetesVersion]).sort()).toEqual(
    Object.entries(VERSIONS.kubernetes.eksAddons["1.36"])
      .map(([name, version]) => [name, version, "1.36"])
      .sort(),
  );
});

describe("end of standard support (deploy-infra's warning)", () => {
  const ends = { "1.35": "2027-03-27" };
  const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

  test("no warning while the end is more than 90 days away", () => {
    expect(standardSupportWarning("1.35", "STANDARD", ends, day("2026-12-06"))).toBeUndefined();
  });

  test("within 90 days: when, and what the upgrade policy does then (STANDARD: AWS upgrades)", () => {
    expect(standardSupportWarning("1.35", "STANDARD", ends, day("2027-02-25"))).toBe(
      "Kubernetes 1.35 leaves EKS standard support on 2027-03-27 (in 30 days): then AWS upgrades the cluster to the next minor by itself (upgrade policy STANDARD); upgrade on purpose first (FACTORY_KUBERNETES_VERSION, one minor at a time)",
    );
  });

  test("past the end with EXTENDED: the extended rate is said", () => {
    expect(standardSupportWarning("1.35", "EXTENDED", ends, day("2027-04-01"))).toMatch(
      /^Kubernetes 1\.35 left EKS standard support on 2027-03-27: then the control plane is billed the extended support rate/,
    );
  });

  test("a version without a date in versions.yaml is said, not passed", () => {
    expect(standardSupportWarning("1.36", "STANDARD", ends, day("2026-12-06"))).toMatch(
      /^Kubernetes 1\.36 has no end-of-standard-support date in versions\.yaml/,
    );
  });

  test("the default Kubernetes version has its date in versions.yaml", () => {
    expect(VERSIONS.kubernetes.standardSupportEnds[VERSIONS.kubernetes.default]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
