/** `terraform init`'s failure said in one line by the engine (scripts/engine/stack-runner.ts initErrorText). */
import { initErrorText } from "../../../scripts/engine/stack-runner";

// As Terraform 1.11 prints it on a machine with neither the registry nor a mirror of the providers.
const NO_PROVIDERS = `Initializing the backend...
Initializing provider plugins...
- Finding hashicorp/kubernetes versions matching "2.38.0"...
- Finding hashicorp/helm versions matching "3.1.1"...

Error: Failed to query available provider packages

Could not retrieve the list of available versions for provider
hashicorp/kubernetes: could not connect to registry.terraform.io: failed to
request discovery document: Get
"https://registry.terraform.io/.well-known/terraform.json": dial tcp: lookup
registry.terraform.io on 10.255.255.53:53: no such host

To see which modules are currently depending on hashicorp/kubernetes and what
versions are specified, run the following command:
    terraform providers

Error: Failed to query available provider packages

Could not retrieve the list of available versions for provider
hashicorp/helm: could not connect to registry.terraform.io: failed to request
discovery document: Get
"https://registry.terraform.io/.well-known/terraform.json": dial tcp: lookup
registry.terraform.io on 10.255.255.53:53: no such host

To see which modules are currently depending on hashicorp/helm and what
versions are specified, run the following command:
    terraform providers
`;

test("a provider init cannot install is named, with why (not Terraform's advice to run `terraform providers`)", () => {
  expect(initErrorText(NO_PROVIDERS)).toBe("cannot install provider hashicorp/kubernetes, hashicorp/helm: could not connect to registry.terraform.io");
});

test("any other init error: its title and the first sentence under it", () => {
  const output = `Initializing the backend...

Error: Backend configuration changed

A change in the backend configuration has been detected, which may require migrating existing state. If you wish to attempt automatic migration of the state, use "terraform init -migrate-state".
`;
  expect(initErrorText(output)).toBe(
    "Error: Backend configuration changed: A change in the backend configuration has been detected, which may require migrating existing state.",
  );
});
