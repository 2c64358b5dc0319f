import { Construct } from "constructs";
import { Precondition } from "cdktf";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { FactoryImage } from "../../factory-images";
import { EnvVar } from "./pod-template";
import { FactoryDeployment, FACTORY_SERVICE_PORT, MAX_PRE_STOP_DELAY_SECONDS } from "./factory-deployment";
import { ServiceAccountRole } from "./service-account-role";

/** Health endpoints the factory images serve (api's is configurable: FACTORY_API_HEALTH_PATH). */
export const WEB_HEALTH_PATH = "/";
export const RUNNER_CONTROLLER_HEALTH_PATH = "/healthz";

export interface FactoryServicesProps {
  /** The namespace of the three services (the data stores'). */
  readonly namespace: string;
  /** Where the runner controller's Jobs run (config: FACTORY_RUNNER_NAMESPACE), apart from the data. */
  readonly runnerNamespace: string;
  /**
   * Seconds the ALB keeps sending to a deregistered target (api and web): the pods keep serving a
   * little longer (preStop), so that a rollout or a node drain drops no request.
   * @default 30
   */
  readonly deregistrationDelaySeconds?: number;
  /** Image reference of each of the factory's images (repository and release tag). */
  readonly images: Readonly<Record<FactoryImage, string>>;
  /** The api's health endpoint (config: FACTORY_API_HEALTH_PATH). */
  readonly apiHealthPath: string;
  /** Connection settings of the data stores. */
  readonly dataStoreEnv: readonly EnvVar[];
  /** Replica range and CPU target of api and web. */
  readonly autoscaling: { readonly minReplicas: number; readonly maxReplicas: number; readonly targetCpuUtilization: number };
  /** Checked before any Deployment is planned (the image tag guard's). */
  readonly preconditions: readonly Precondition[];
  /**
   * PriorityClasses: of the three services' pods, and the one the runner controller gives its Jobs
   * (FACTORY_RUNNER_PRIORITY_CLASS; the runner namespace's quota admits no other).
   * @default none (priority 0; the controller is told no class)
   */
  readonly priorityClasses?: { readonly services: string; readonly runners: string };
}

/** Seconds a terminating api or web pod keeps serving beyond the ALB's deregistration delay. */
export const PRE_STOP_MARGIN_SECONDS = 10;

/**
 * The factory's three services (spec: factory-api, factory-web, factory-runner-controller) as
 * FactoryDeployments, with the RBAC each needs, all of it in the runner namespace: the runner
 * controller runs Jobs there (with the runner image and a permission-less `factory-runner`
 * service account) and reads their pods and logs; the api lists runner pods and execs into them
 * for environment shells. Nothing grants exec or pod access in the services' own namespace (the
 * data stores'). No IRSA: application service accounts stay Kubernetes-native.
 */
export class FactoryServices extends Construct {
  readonly api: FactoryDeployment;
  readonly web: FactoryDeployment;
  readonly runnerController: FactoryDeployment;

  constructor(scope: Construct, id: string, props: FactoryServicesProps) {
    super(scope, id);
    const ns = props.namespace;
    const dataStoreEnv = props.dataStoreEnv;
    const runs = props.runnerNamespace;
    const namespaceEnv = { name: "FACTORY_NAMESPACE", value: ns };
    const runnerNamespaceEnv = { name: "FACTORY_RUNNER_NAMESPACE", value: runs };
    const deregistration = props.deregistrationDelaySeconds ?? 30;
    // The pods keep serving for the delay plus a margin, within FactoryDeployment's preStop limit.
    const maxDeregistration = MAX_PRE_STOP_DELAY_SECONDS - PRE_STOP_MARGIN_SECONDS;
    if (!Number.isInteger(deregistration) || deregistration < 0 || deregistration > maxDeregistration) {
      throw new Error(
        `FactoryServices ${id}: deregistrationDelaySeconds must be a whole number from 0 to ${maxDeregistration} (the pods' preStop waits ${PRE_STOP_MARGIN_SECONDS} s longer, at most ${MAX_PRE_STOP_DELAY_SECONDS}), got ${deregistration}`,
      );
    }
    // The ALB's target group attributes (the load balancer controller reads them from the Service).
    const albTargetGroup = (healthPath: string) => ({
      "alb.ingress.kubernetes.io/healthcheck-path": healthPath,
      "alb.ingress.kubernetes.io/target-group-attributes": `deregistration_delay.timeout_seconds=${deregistration}`,
    });
    const preStopDelaySeconds = deregistration + PRE_STOP_MARGIN_SECONDS;

    // The identity of the Jobs the runner controller starts: no API token, no permissions.
    const runnerAccount = new ServiceAccountV1(this, "factory-runner", {
      metadata: { name: "factory-runner", namespace: runs },
      automountServiceAccountToken: false,
    });

    const api = (this.api = new FactoryDeployment(this, "factory-api", {
      namespace: ns,
      image: props.images["factory-api"],
      healthPath: props.apiHealthPath,
      env: [...dataStoreEnv, namespaceEnv, runnerNamespaceEnv],
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
      autoscaling: props.autoscaling,
      apiAccess: true,
      serviceAnnotations: albTargetGroup(props.apiHealthPath),
      preStopDelaySeconds,
      preconditions: props.preconditions,
      priorityClassName: props.priorityClasses?.services,
    }));

    this.web = new FactoryDeployment(this, "factory-web", {
      namespace: ns,
      image: props.images["factory-web"],
      healthPath: WEB_HEALTH_PATH,
      // Server-side calls go to the api inside the cluster; browsers use /api on the ALB.
      env: [{ name: "FACTORY_API_URL", value: `http://factory-api.${ns}.svc.cluster.local:${FACTORY_SERVICE_PORT}` }],
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
      autoscaling: props.autoscaling,
      serviceAnnotations: albTargetGroup(WEB_HEALTH_PATH),
      preStopDelaySeconds,
      preconditions: props.preconditions,
      priorityClassName: props.priorityClasses?.services,
    });

    const controller = (this.runnerController = new FactoryDeployment(this, "factory-runner-controller", {
      namespace: ns,
      image: props.images["factory-runner-controller"],
      healthPath: RUNNER_CONTROLLER_HEALTH_PATH,
      env: [
        ...dataStoreEnv,
        namespaceEnv,
        runnerNamespaceEnv,
        { name: "FACTORY_RUNNER_IMAGE", value: props.images["factory-runner"] },
        { name: "FACTORY_RUNNER_SERVICE_ACCOUNT", value: runnerAccount.metadata.name },
        ...(props.priorityClasses ? [{ name: "FACTORY_RUNNER_PRIORITY_CLASS", value: props.priorityClasses.runners }] : []),
      ],
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
      // One dispatcher: two would race for the same queue. The application has no leader election
      // (the spec names none), so a rollout stops the old pod before the new one starts.
      replicas: 1,
      strategy: "Recreate",
      // An eviction starts the replacement while the old pod is still stopping: the autoscaler
      // must not cause one (a node group update still does; see docs/runtime.md, Rollouts without errors).
      podAnnotations: { "cluster-autoscaler.kubernetes.io/safe-to-evict": "false" },
      apiAccess: true,
      preconditions: props.preconditions,
      priorityClassName: props.priorityClasses?.services,
    }));

    // RBAC: in the runner namespace only, least privilege.
    new ServiceAccountRole(this, "factory-runner-controller-jobs", {
      namespace: runs,
      serviceAccountName: controller.serviceAccount.metadata.name,
      serviceAccountNamespace: ns,
      rules: [
        { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "get", "list", "watch", "delete"] },
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
      ],
    });
    new ServiceAccountRole(this, "factory-api-shells", {
      namespace: runs,
      serviceAccountName: api.serviceAccount.metadata.name,
      serviceAccountNamespace: ns,
      rules: [
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
        // A WebSocket exec is an HTTP GET: since Kubernetes 1.35 both get and create are checked
        // (@kubernetes/client-node and Python's stream are WebSocket-only); SPDY needs create.
        { apiGroups: [""], resources: ["pods/exec"], verbs: ["get", "create"] },
      ],
    });
  }
}
