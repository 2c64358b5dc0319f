import { Construct } from "constructs";
import { PriorityClassV1 } from "@cdktf/provider-kubernetes/lib/priority-class-v1";

/**
 * The factory's scheduling priorities, highest first. Below the system classes (2,000,000,000 and
 * up, which the add-ons use) and above no-class pods (0) except the runners, which sit below them
 * but not below the Cluster Autoscaler's expendable cutoff (CLUSTER_AUTOSCALER_EXPENDABLE_CUTOFF):
 * a pod under it never causes a scale-up, so a Pending Job would never get a node.
 */
export const PRIORITY_VALUES = { dataStores: 1_000_000, services: 100_000, runners: -5 } as const;

/** The Cluster Autoscaler's `--expendable-pods-priority-cutoff` (its default; set in helm-values/cluster-autoscaler.yaml). */
export const CLUSTER_AUTOSCALER_EXPENDABLE_CUTOFF = -10;

export type PriorityTier = keyof typeof PRIORITY_VALUES;

export interface FactoryPriorityClassesProps {
  /**
   * Prefix of the classes' names (PriorityClasses are cluster-wide), e.g. `attractor-factory`:
   * `<prefix>-data-stores`, `<prefix>-services`, `<prefix>-runners`.
   */
  readonly namePrefix: string;
}

/**
 * Three PriorityClasses: the data stores highest (a zonal volume's pod can only run in its zone, so
 * it must be able to take room there), then the api, web and runner controller, and the runner
 * Jobs lowest. When nodes are short the scheduler preempts runners first; runners never preempt
 * anything (preemptionPolicy Never) and wait for the autoscaler instead. None is the cluster's
 * default: a pod without a class keeps priority 0.
 */
export class FactoryPriorityClasses extends Construct {
  /** The class name of each tier. */
  readonly names: Readonly<Record<PriorityTier, string>>;

  constructor(scope: Construct, id: string, props: FactoryPriorityClassesProps) {
    super(scope, id);
    const descriptions: Record<PriorityTier, string> = {
      dataStores: "Attractor factory data stores (Postgres, Redis, MinIO): preempt lower classes for room in their volume's zone",
      services: "Attractor factory services (api, web, runner controller)",
      runners: "Attractor factory runner Jobs: preempted first, never preempt",
    };
    const names = {} as Record<PriorityTier, string>;
    for (const tier of Object.keys(PRIORITY_VALUES) as PriorityTier[]) {
      const name = `${props.namePrefix}-${tier === "dataStores" ? "data-stores" : tier}`;
      const pc = new PriorityClassV1(this, tier, {
        metadata: { name },
        value: PRIORITY_VALUES[tier],
        globalDefault: false,
        preemptionPolicy: tier === "runners" ? "Never" : "PreemptLowerPriority",
        description: descriptions[tier],
      });
      names[tier] = pc.metadata.name;
    }
    this.names = names;
  }
}
