/** The project's Terraform CLI config: providers from the machine's filesystem mirror. */
import { mkdtempSync, mkdirSync, readFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { AWS_PROVIDER, findProviderMirror, terraformCliEnv } from "./terraform-env";

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "factory-tfenv-"));

test("FACTORY_TF_PROVIDER_MIRROR names the mirror when it holds hashicorp/aws 5.100.0", () => {
  const mirror = tmp();
  mkdirSync(path.join(mirror, AWS_PROVIDER.source, AWS_PROVIDER.version, "linux_amd64"), { recursive: true });
  expect(findProviderMirror({ FACTORY_TF_PROVIDER_MIRROR: mirror })).toBe(mirror);
});

test("a FACTORY_TF_PROVIDER_MIRROR without the provider is a clear one-line error", () => {
  const empty = tmp();
  expect(() => findProviderMirror({ FACTORY_TF_PROVIDER_MIRROR: empty })).toThrow(
    new RegExp(`^FACTORY_TF_PROVIDER_MIRROR=${empty} holds no registry.terraform.io/hashicorp/aws/5.100.0/<os_arch>/ directory$`),
  );
});

test("the CLI config installs hashicorp/aws from the mirror only, and the env points Terraform at it", () => {
  const mirror = tmp();
  mkdirSync(path.join(mirror, AWS_PROVIDER.source, AWS_PROVIDER.version), { recursive: true });
  const dir = tmp();
  const env = terraformCliEnv(dir, { FACTORY_TF_PROVIDER_MIRROR: mirror });
  expect(env.TF_CLI_CONFIG_FILE).toBe(path.join(dir, "terraform.rc"));
  const rc = readFileSync(env.TF_CLI_CONFIG_FILE, "utf8");
  expect(rc).toContain(`filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]`);
  expect(rc).toContain('direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]');
  expect(env.CHECKPOINT_DISABLE).toBe("1");
});
