/**
 * What AWS recommends against what versions.yaml pins, per Kubernetes minor: the EKS-optimized
 * AL2023 AMI release of the node groups (SSM's public `recommended/release_version` parameter) and
 * each EKS add-on's default version (`describe-addon-versions`). A newer recommendation is
 * reported, never applied: bumping versions.yaml is a reviewed commit (npm run check-versions).
 */
import { AwsCli, AwsCliError } from "./aws-cli";
import { offeredDefaults } from "./addon-versions";

export type Verdict = "current" | "newer" | "unpinned" | "unknown";

export interface VersionFinding {
  /** e.g. "node AMI (AL2023 x86_64 standard)" or "add-on coredns" */
  readonly what: string;
  readonly kubernetesVersion: string;
  readonly pinned: string | undefined;
  readonly recommended: string | undefined;
  readonly verdict: Verdict;
}

/** The SSM parameter that names the recommended AL2023 x86_64 standard release of a minor. */
export const amiReleaseParameter = (minor: string) => `/aws/service/eks/optimized-ami/${minor}/amazon-linux-2023/x86_64/standard/recommended/release_version`;

/** Orders `v1.22.3-eksbuild.1` and `1.35.7-20260827` alike: every run of digits as a number, in turn. */
export function compareVersions(a: string, b: string): number {
  const na = (a.match(/\d+/g) ?? []).map(Number);
  const nb = (b.match(/\d+/g) ?? []).map(Number);
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? -1) - (nb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

export function verdict(pinned: string | undefined, recommended: string | undefined): Verdict {
  if (recommended === undefined) return "unknown";
  if (pinned === undefined) return "unpinned";
  return compareVersions(recommended, pinned) > 0 ? "newer" : "current";
}

/** The recommended AMI release of a minor; undefined when AWS has no parameter for it. */
export async function recommendedAmiRelease(aws: AwsCli, minor: string): Promise<string | undefined> {
  try {
    const value = (await aws.jsonAsync(["ssm", "get-parameter", "--name", amiReleaseParameter(minor), "--query", "Parameter.Value"])) as string | undefined;
    return value || undefined;
  } catch (e) {
    if (e instanceof AwsCliError && /ParameterNotFound/.test(e.stderr)) return undefined;
    throw e;
  }
}

/** Every pin of one minor checked against AWS's recommendations. */
export async function checkMinor(
  aws: AwsCli,
  minor: string,
  pins: { readonly amiRelease: string | undefined; readonly addons: Readonly<Record<string, string>> },
): Promise<VersionFinding[]> {
  const [ami, defaults] = await Promise.all([recommendedAmiRelease(aws, minor), offeredDefaults(aws, Object.keys(pins.addons), minor)]);
  return [
    { what: "node AMI (AL2023 x86_64 standard)", kubernetesVersion: minor, pinned: pins.amiRelease, recommended: ami, verdict: verdict(pins.amiRelease, ami) },
    ...Object.entries(pins.addons).map(([name, pinned]) => {
      const recommended = defaults.get(name);
      return { what: `add-on ${name}`, kubernetesVersion: minor, pinned, recommended, verdict: verdict(pinned, recommended) };
    }),
  ];
}

/** The findings as a table, one line each, and the verdict line last. */
export function formatFindings(findings: readonly VersionFinding[]): string {
  const say: Record<Verdict, (f: VersionFinding) => string> = {
    current: () => "current",
    newer: (f) => `NEWER: AWS recommends ${f.recommended} (bump versions.yaml, then npm run plan-safety)`,
    unpinned: (f) => `not pinned: AWS recommends ${f.recommended} (new node groups take it)`,
    unknown: () => "AWS names no recommendation for this minor",
  };
  const width = Math.max(...findings.map((f) => `${f.kubernetesVersion} ${f.what}`.length));
  const lines = findings.map((f) => `${`${f.kubernetesVersion} ${f.what}`.padEnd(width)}  ${(f.pinned ?? "-").padEnd(22)}  ${say[f.verdict](f)}`);
  const newer = findings.filter((f) => f.verdict === "newer");
  const last = newer.length
    ? `check-versions: ${newer.length} newer than pinned: ${newer.map((f) => `${f.kubernetesVersion} ${f.what} ${f.recommended}`).join(", ")}`
    : "check-versions: every pin is at or above what AWS recommends";
  return [`${"kubernetes what".padEnd(width)}  ${"pinned".padEnd(22)}  AWS`, ...lines, last].join("\n");
}
