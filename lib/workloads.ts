/**
 * The names of what the app stack runs, for what watches it from outside Kubernetes (the
 * monitoring stack's alarms, the dns stack's target groups). No dependencies: the app stack's
 * constructs make these objects; a test checks the synthesized app stack against this list.
 */

/** The factory's Deployments (namespace FACTORY_NAMESPACE). */
export const FACTORY_DEPLOYMENTS = ["factory-api", "factory-web", "factory-runner-controller"] as const;

/** The data stores' StatefulSets (one replica each) and the claim template of their volume. */
export const DATA_STORES = ["postgres", "redis", "minio"] as const;
export const DATA_CLAIM_TEMPLATE = "data";

/** The claim of a data store's volume: <template>-<statefulset>-0. */
export function dataClaim(store: (typeof DATA_STORES)[number]): string {
  return `${DATA_CLAIM_TEMPLATE}-${store}-0`;
}

/** The ingress that joins the ALB, and the Services behind it (each a target group of the ALB). */
export const FACTORY_INGRESS = "factory";
export const INGRESS_BACKENDS = ["factory-api", "factory-web"] as const;

/** The length of each list alarms.yaml expands (`each`), as the monitoring and dns stacks pass them. */
export const ALARM_LIST_SIZES = {
  deployments: FACTORY_DEPLOYMENTS.length,
  workloads: FACTORY_DEPLOYMENTS.length + DATA_STORES.length,
  dataStores: DATA_STORES.length,
  targetGroups: INGRESS_BACKENDS.length,
} as const;
