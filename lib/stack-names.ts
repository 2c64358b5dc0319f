/**
 * The platform's stacks by short name (stack name = `<prefix>-<short>`, state key
 * `<prefix>-<short>/terraform.tfstate`). The one list: buildPlatform must build exactly these
 * (checked by the type system), and the scripts and tests iterate it. No dependencies, so the
 * scripts read it without loading cdktf.
 */
export const STACK_SHORT_NAMES = ["state", "network", "eks", "ecr", "cert", "backup", "monitoring", "addons", "app", "dns"] as const;

export type StackShortName = (typeof STACK_SHORT_NAMES)[number];

/**
 * The operator verb that deploys each stack, by short name: the stack-to-verb table (deploy-infra's
 * stack list, the diagram, the README's stacks table and the engine's messages).
 */
export const DEPLOYED_BY: Readonly<Record<string, string>> = {
  state: "deploy-infra (bootstrap)",
  network: "deploy-infra",
  eks: "deploy-infra",
  ecr: "deploy-infra",
  cert: "deploy-infra",
  backup: "deploy-infra",
  monitoring: "deploy-infra",
  addons: "deploy-addons",
  app: "deploy-app",
  dns: "publish-dns",
} satisfies Record<StackShortName, string>;
