import { Construct } from "constructs";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { RestrictedNamespace } from "./restricted-namespace";
import { memoryMiB } from "../../node-capacity";

export interface RunnerQuota {
  /** Sum of the CPU requests of every pod in the namespace, in millicores. */
  readonly cpuMillis: number;
  /** Sum of their memory requests (a quantity such as 8Gi). Limits are not summed: a pod may burst. */
  readonly memory: string;
  /** Pods at once (running or pending). */
  readonly pods: number;
}

export interface RunnerNamespaceProps {
  /** The namespace's name. */
  readonly name: string;
  /** The Pod Security Standards version enforced (the cluster's minor, e.g. v1.35). */
  readonly podSecurityVersion: string;
  /** What the Jobs may request of the node group altogether (a ResourceQuota). */
  readonly quota: RunnerQuota;
  /**
   * The most one container may request: what one node has room for (a larger one would be
   * admitted and then stay Pending for good).
   * @default the whole quota
   */
  readonly containerMax?: { readonly cpuMillis: number; readonly memoryMiB: number };
  /**
   * The one PriorityClass the namespace admits (the lowest): a second quota allows no pod of any
   * other class, or of none, so a Job cannot raise itself above the services and data stores.
   * @default any class
   */
  readonly priorityClassName?: string;
}

/**
 * The namespace of the runner controller's Jobs: `restricted` Pod Security at a pinned version, a
 * ResourceQuota that bounds what the Jobs may take of the node group (so runners cannot starve the
 * services), and a LimitRange that gives every container requests and limits (by default 250m
 * CPU and 512Mi requested, 1 CPU and 2Gi limits, or less if the cap is smaller) and caps one at
 * the quota or what one node has room for, whichever is smaller.
 */
export class RunnerNamespace extends Construct {
  readonly name: string;
  readonly quota: ResourceQuotaV1;
  readonly limits: LimitRangeV1;
  /** Zero pods of any class but `priorityClassName` (when set). */
  readonly priorityQuota?: ResourceQuotaV1;

  constructor(scope: Construct, id: string, props: RunnerNamespaceProps) {
    super(scope, id);
    const q = props.quota;
    if (!Number.isInteger(q.cpuMillis) || q.cpuMillis < 100)
      throw new Error(`RunnerNamespace ${props.name}: quota.cpuMillis must be a whole number of at least 100, got ${q.cpuMillis}`);
    if (!Number.isInteger(q.pods) || q.pods < 1)
      throw new Error(`RunnerNamespace ${props.name}: quota.pods must be a whole number of at least 1, got ${q.pods}`);
    const ns = new RestrictedNamespace(this, "namespace", { name: props.name, podSecurityVersion: props.podSecurityVersion });
    this.name = ns.namespace.metadata.name;
    const memMi = memoryMiB(q.memory);
    const maxCpu = Math.min(q.cpuMillis, props.containerMax?.cpuMillis ?? Infinity);
    const maxMem = Math.min(memMi, props.containerMax?.memoryMiB ?? Infinity);
    const cpu = `${q.cpuMillis}m`;
    this.quota = new ResourceQuotaV1(this, "quota", {
      metadata: { name: "runner-jobs", namespace: this.name },
      spec: {
        hard: {
          "requests.cpu": cpu,
          "requests.memory": q.memory,
          pods: String(q.pods),
        },
      },
    });
    if (props.priorityClassName !== undefined) {
      // A scoped quota counts only the pods its selector matches: NotIn also matches a pod with no
      // class (its class reads as ""), so those are refused too, with "exceeded quota: runner-priority".
      this.priorityQuota = new ResourceQuotaV1(this, "priority-quota", {
        metadata: { name: "runner-priority", namespace: this.name },
        spec: {
          hard: { pods: "0" },
          scopeSelector: { matchExpression: [{ scopeName: "PriorityClass", operator: "NotIn", values: [props.priorityClassName] }] },
        },
      });
    }
    // A container that states no requests or limits gets these (the quota counts only what is
    // declared), never more than one container may have.
    this.limits = new LimitRangeV1(this, "limits", {
      metadata: { name: "runner-containers", namespace: this.name },
      spec: {
        limit: [
          {
            type: "Container",
            defaultRequest: { cpu: `${Math.min(250, maxCpu)}m`, memory: `${Math.min(512, maxMem)}Mi` },
            default: { cpu: `${Math.min(1000, maxCpu)}m`, memory: `${Math.min(2048, maxMem)}Mi` },
            max: { cpu: `${maxCpu}m`, memory: `${maxMem}Mi` },
          },
        ],
      },
    });
  }
}
