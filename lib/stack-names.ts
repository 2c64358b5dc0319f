/**
 * The platform's stacks by short name (stack name = `<prefix>-<short>`, state key
 * `<prefix>-<short>/terraform.tfstate`). The one list: buildPlatform must build exactly these
 * (checked by the type system), and the scripts and tests iterate it. No dependencies, so the
 * scripts read it without loading cdktf.
 */
export const STACK_SHORT_NAMES = ["state", "network", "eks", "ecr", "cert", "backup", "monitoring", "addons", "app", "dns"] as const;

export type StackShortName = (typeof STACK_SHORT_NAMES)[number];
