import { Construct } from "constructs";
import { Precondition } from "cdktf";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import {
  EnvVar,
  Resources,
  ScratchDir,
  containerSecurityContext,
  podSecurityContext,
  scratchMounts,
  scratchVolumes,
  selectorLabels,
  standardLabels,
  toContainerEnv,
  toProbe,
} from "./pod-template";

/** The port every factory container serves HTTP on, and the Services' port. */
export const FACTORY_CONTAINER_PORT = 8080;
export const FACTORY_SERVICE_PORT = 80;
/** Identity the factory images run as (they must not need root; files readable by others). */
export const FACTORY_RUN_AS = { user: 10001, group: 10001 } as const;

export interface Autoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Average CPU use, as a percentage of the request, that the HPA keeps. */
  readonly targetCpuUtilization: number;
}

export interface FactoryDeploymentProps {
  /** The namespace of the Deployment, its Service and service account. */
  readonly namespace: string;
  /** Image reference, repository and tag. */
  readonly image: string;
  /** Path of the HTTP readiness and liveness checks. */
  readonly healthPath: string;
  /** The container's environment: literal values and keys of Secrets. */
  readonly env: readonly EnvVar[];
  /** CPU and memory requests and limits of the container. */
  readonly resources: Resources;
  /**
   * Fixed replica count; ignored when `autoscaling` is set.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * An HPA (CPU) and a PodDisruptionBudget of one unavailable pod at a time.
   * @default none: fixed replicas, no PDB
   */
  readonly autoscaling?: Autoscaling;
  /**
   * Whether the pods get a Kubernetes API token (only for those that call the API).
   * @default false
   */
  readonly apiAccess?: boolean;
  /**
   * Annotations of the Service (e.g. the ALB target group's health check).
   * @default none
   */
  readonly serviceAnnotations?: Record<string, string>;
  /**
   * Writable directories on the read-only root filesystem.
   * @default [/tmp]
   */
  readonly scratchDirs?: readonly ScratchDir[];
  /**
   * Conditions checked before the Deployment is planned (e.g. the image tag guard's).
   * @default none
   */
  readonly preconditions?: readonly Precondition[];
  /**
   * How a new version replaces the old. `Recreate` stops the old pods first: for a service that
   * must never run twice (a single dispatcher without leader election).
   * @default "RollingUpdate" (one extra pod at a time, none unavailable)
   */
  readonly strategy?: "RollingUpdate" | "Recreate";
  /**
   * Seconds a terminating pod keeps serving (a preStop `sleep`) before it gets SIGTERM: longer
   * than the load balancer's deregistration delay, so that no request reaches a stopped pod.
   * Needs `sleep` in the image. The grace period is this plus SHUTDOWN_SECONDS.
   * @default 0 (no preStop hook)
   */
  readonly preStopDelaySeconds?: number;
  /**
   * Annotations of the pods (e.g. the cluster autoscaler's safe-to-evict).
   * @default none
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * PriorityClass of the pods.
   * @default none (priority 0)
   */
  readonly priorityClassName?: string;
}

/** Seconds a factory process gets after SIGTERM to finish its requests. */
export const SHUTDOWN_SECONDS = 30;
/** The longest preStop delay a FactoryDeployment takes (a longer one holds a rollout for too long). */
export const MAX_PRE_STOP_DELAY_SECONDS = 300;

/**
 * One of the factory's own services: its ServiceAccount (Kubernetes-native, no IAM role), a
 * Deployment of its ECR image under the restricted security context, spread over zones and nodes,
 * a ClusterIP Service, and optionally an HPA with a PodDisruptionBudget.
 */
export class FactoryDeployment extends Construct {
  readonly serviceAccount: ServiceAccountV1;
  readonly deployment: DeploymentV1;
  readonly service: ServiceV1;
  readonly podDisruptionBudget?: PodDisruptionBudgetV1;
  readonly autoscaler?: HorizontalPodAutoscalerV2;
  readonly name: string;

  constructor(scope: Construct, id: string, props: FactoryDeploymentProps) {
    super(scope, id);
    const name = id;
    this.name = name;
    const labels = standardLabels(name, "app");
    const selector = selectorLabels(name);
    const metadata = { name, namespace: props.namespace, labels };
    const scratch = props.scratchDirs ?? [{ mountPath: "/tmp" }];
    const preStop = props.preStopDelaySeconds ?? 0;
    if (!Number.isInteger(preStop) || preStop < 0 || preStop > MAX_PRE_STOP_DELAY_SECONDS) {
      throw new Error(`FactoryDeployment ${id}: preStopDelaySeconds must be a whole number from 0 to ${MAX_PRE_STOP_DELAY_SECONDS}, got ${preStop}`);
    }
    if (props.strategy === "Recreate" && props.autoscaling) {
      throw new Error(`FactoryDeployment ${id}: Recreate stops every pod at once; an autoscaled service rolls (strategy RollingUpdate)`);
    }

    this.serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata,
      // Pods opt in (apiAccess); the account's default is no token.
      automountServiceAccountToken: false,
    });

    const spread = (topologyKey: string) => ({
      maxSkew: 1,
      topologyKey,
      // Prefer spreading, never block scheduling on it (2 AZs, a small node group).
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector: [{ matchLabels: selector }],
    });

    this.deployment = new DeploymentV1(this, "deployment", {
      metadata,
      spec: {
        replicas: String(props.autoscaling?.minReplicas ?? props.replicas ?? 1),
        selector: { matchLabels: selector },
        strategy: props.strategy === "Recreate" ? { type: "Recreate" } : { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "0" } },
        template: {
          metadata: { labels, annotations: props.podAnnotations ? { ...props.podAnnotations } : undefined },
          spec: {
            serviceAccountName: this.serviceAccount.metadata.name,
            automountServiceAccountToken: props.apiAccess ?? false,
            enableServiceLinks: false,
            priorityClassName: props.priorityClassName,
            securityContext: podSecurityContext(FACTORY_RUN_AS),
            topologySpreadConstraint: [spread("topology.kubernetes.io/zone"), spread("kubernetes.io/hostname")],
            terminationGracePeriodSeconds: preStop + SHUTDOWN_SECONDS,
            container: [
              {
                name,
                image: props.image,
                port: [{ name: "http", containerPort: FACTORY_CONTAINER_PORT }],
                env: toContainerEnv(props.env),
                readinessProbe: toProbe({ httpGet: { path: props.healthPath, port: "http" } }, { initialDelaySeconds: 5, periodSeconds: 10 }),
                livenessProbe: toProbe(
                  { httpGet: { path: props.healthPath, port: "http" } },
                  { initialDelaySeconds: 20, periodSeconds: 20, failureThreshold: 3 },
                ),
                resources: { requests: { ...props.resources.requests }, limits: { ...props.resources.limits } },
                securityContext: containerSecurityContext(true),
                volumeMount: scratchMounts(scratch),
                lifecycle: preStop > 0 ? { preStop: [{ exec: { command: ["sleep", String(preStop)] } }] } : undefined,
              },
            ],
            volume: scratchVolumes(scratch),
          },
        },
      },
      lifecycle: {
        precondition: props.preconditions ? [...props.preconditions] : undefined,
        // The HPA owns the replica count once it exists; Terraform must not reset it on each apply.
        ignoreChanges: props.autoscaling ? ["spec[0].replicas"] : undefined,
      },
    });

    this.service = new ServiceV1(this, "service", {
      metadata: { ...metadata, annotations: props.serviceAnnotations },
      spec: {
        type: "ClusterIP",
        selector,
        port: [{ name: "http", port: FACTORY_SERVICE_PORT, targetPort: "http" }],
      },
    });

    if (props.autoscaling) {
      // maxUnavailable, not minAvailable: with 2 replicas minAvailable 2 would block every node
      // drain (a node group update would stall); one pod at a time always makes progress.
      this.podDisruptionBudget = new PodDisruptionBudgetV1(this, "pdb", {
        metadata,
        spec: { maxUnavailable: "1", selector: { matchLabels: selector } },
      });
      this.autoscaler = new HorizontalPodAutoscalerV2(this, "hpa", {
        metadata,
        spec: {
          minReplicas: props.autoscaling.minReplicas,
          maxReplicas: props.autoscaling.maxReplicas,
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: this.deployment.metadata.name },
          metric: [
            {
              type: "Resource",
              resource: { name: "cpu", target: { type: "Utilization", averageUtilization: props.autoscaling.targetCpuUtilization } },
            },
          ],
        },
      });
    }
  }
}
