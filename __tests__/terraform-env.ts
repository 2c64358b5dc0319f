/**
 * Finds the machine's provider filesystem mirror and writes a Terraform CLI config that installs
 * providers from it only (no registry access is needed or attempted for what it holds).
 */
import { existsSync, mkdirSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";

/** The provider every AWS stack pins (@cdktf/provider-aws 20.1.0). */
export const AWS_PROVIDER = { source: "registry.terraform.io/hashicorp/aws", version: "5.100.0" } as const;

const CANDIDATES = [
  "/opt/tf-plugins",
  path.join(os.homedir(), ".terraform.d", "plugins"),
  path.join(os.homedir(), ".local", "share", "terraform", "plugins"),
  "/usr/local/share/terraform/plugins",
  "/usr/share/terraform/plugins",
];

function holdsAwsProvider(dir: string): boolean {
  return existsSync(path.join(dir, AWS_PROVIDER.source, AWS_PROVIDER.version));
}

/**
 * The mirror directory: $FACTORY_TF_PROVIDER_MIRROR when set, else the first well-known location
 * that holds hashicorp/aws 5.100.0. Throws a one-line, actionable error when there is none.
 */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.FACTORY_TF_PROVIDER_MIRROR;
  if (fromEnv) {
    if (!holdsAwsProvider(fromEnv)) {
      throw new Error(`FACTORY_TF_PROVIDER_MIRROR=${fromEnv} holds no ${AWS_PROVIDER.source}/${AWS_PROVIDER.version}/<os_arch>/ directory`);
    }
    return fromEnv;
  }
  const found = CANDIDATES.find(holdsAwsProvider);
  if (!found) {
    throw new Error(
      `no Terraform provider mirror with ${AWS_PROVIDER.source} ${AWS_PROVIDER.version} found in ${CANDIDATES.join(", ")}; ` +
        "set FACTORY_TF_PROVIDER_MIRROR to a filesystem mirror directory",
    );
  }
  return found;
}

/**
 * Writes `<dir>/terraform.rc` (providers from the mirror, nothing from the network for them) and
 * returns the environment that points Terraform at it.
 */
export function terraformCliEnv(dir: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const mirror = findProviderMirror(env);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "terraform.rc");
  writeFileSync(
    file,
    [
      "# Written by __tests__/terraform-env.ts: providers come from the local filesystem mirror.",
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = ${JSON.stringify(mirror)}`,
      `    include = [${JSON.stringify(AWS_PROVIDER.source)}]`,
      "  }",
      "  direct {",
      `    exclude = [${JSON.stringify(AWS_PROVIDER.source)}]`,
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  return { TF_CLI_CONFIG_FILE: file, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
}
