/**
 * The add-ons verb (deploy-addons, and install-alb-controller, the spec's name for it) run for real:
 * on a new account it stops before any change for want of a cluster (exit 2); once deploy-infra
 * has made the cluster, both names go as far as this machine allows (the helm and kubernetes
 * providers are not on it) and fail, each naming itself and the missing providers (exit 1).
 */
import { stack } from "./context";
import { check } from "./report";
import { verb } from "./verbs";

export async function addonsVerbBeforeTheCluster(): Promise<void> {
  const r = await verb("deploy-addons", ["--yes"], "deploy-addons (new account)");
  check(
    "deploy-addons on a new account: exit 2, nothing changed, the last line names the missing cluster and deploy-infra",
    r.status === 2 && r.last.includes("not found, not ACTIVE (run deploy-infra first)"),
    `exit ${r.status}: ${r.last}`,
  );
}

export async function addonsVerbWithoutProviders(): Promise<void> {
  for (const name of ["deploy-addons", "install-alb-controller"]) {
    const r = await verb(name, ["--yes"], `${name} (cluster deployed, no helm provider here)`);
    check(
      `${name} once the cluster exists: exit 1, its last line names itself, the add-ons stack and the missing providers`,
      r.status === 1 && r.last.startsWith(`${name}: FAILED at step "apply ${stack("addons")}"`) && /cannot install provider .*hashicorp\/helm/.test(r.last),
      `exit ${r.status}: ${r.last}`,
    );
  }
}
