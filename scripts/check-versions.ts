/**
 * npm run check-versions: asks AWS what it recommends for each Kubernetes minor versions.yaml pins
 * (the node groups' AL2023 AMI release, each EKS add-on's default version) and reports what is
 * newer than the pin, so that a bump is a reviewed commit (scripts/lib/version-check.ts).
 *
 *   npm run check-versions [-- --versions FILE] [--kubernetes-version 1.35]...
 *
 * Read-only; the region and profile are the platform's (FACTORY_REGION, FACTORY_AWS_PROFILE).
 * --versions checks a proposed table instead of versions.yaml. Exit 0: every pin is current;
 * 2: AWS recommends something newer (the last line names it); 1: AWS could not be asked; 3: bad
 * arguments or settings.
 */
import { ConfigError, loadConfig } from "../config";
import { loadVersions, VERSIONS_FILE } from "../versions";
import { AwsCli } from "./lib/aws-cli";
import { checkMinor, formatFindings, VersionFinding } from "./lib/version-check";

async function main(argv: string[]): Promise<number> {
  let file = VERSIONS_FILE;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--versions") file = argv[++i] ?? "";
    else if (argv[i] === "--kubernetes-version") only.push(argv[++i] ?? "");
    else throw new UsageError(`unknown argument ${argv[i]} (--versions FILE, --kubernetes-version MINOR)`);
  }
  const table = loadVersions(file);
  const minors = Object.keys(table.kubernetes.eksAddons).filter((m) => only.length === 0 || only.includes(m));
  const unknown = only.filter((m) => !(m in table.kubernetes.eksAddons));
  if (unknown.length) throw new UsageError(`${file} pins no Kubernetes ${unknown.join(", ")} (${Object.keys(table.kubernetes.eksAddons).join(", ")})`);
  const config = loadConfig(process.env);
  const aws = new AwsCli({ region: config.region, profile: config.awsProfile });
  const findings: VersionFinding[] = (
    await Promise.all(
      minors.map((m) => checkMinor(aws, m, { amiRelease: table.kubernetes.nodeAmiReleases?.[m], addons: { ...table.kubernetes.eksAddons[m] } })),
    )
  ).flat();
  process.stdout.write(`${formatFindings(findings)}\n`);
  return findings.some((f) => f.verdict === "newer") ? 2 : 0;
}

class UsageError extends Error {}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => (process.exitCode = code))
    .catch((e: Error) => {
      process.stderr.write(`check-versions: error: ${e.message}\n`);
      process.exitCode = e instanceof UsageError || e instanceof ConfigError ? 3 : 1;
    });
}
