import { Construct } from "constructs";
import { Precondition } from "cdktf";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { FactoryImage } from "../../stacks/ecr-stack";
import { EnvVar } from "./pod-template";
import { FactoryDeployment, FACTORY_SERVICE_PORT } from "./factory-deployment";
import { ServiceAccountRole } from "./service-account-role";

/** Health endpoints the factory images serve (api's is configurable: FACTORY_API_HEALTH_PATH). */
export const WEB_HEALTH_PATH = "/";
export const RUNNER_CONTROLLER_HEALTH_PATH = "/healthz";

export interface FactoryServicesProps {
  readonly namespace: string;
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
}

/**
 * The factory's three services (spec: factory-api, factory-web, factory-runner-controller) as
 * FactoryDeployments, with the namespaced RBAC each needs: the runner controller runs Jobs (with
 * the runner image and a permission-less `factory-runner` service account) and reads their pods
 * and logs; the api lists pods and execs into them for environment shells. No IRSA: application
 * service accounts stay Kubernetes-native.
 */
export class FactoryServices extends Construct {
  readonly api: FactoryDeployment;
  readonly web: FactoryDeployment;
  readonly runnerController: FactoryDeployment;

  constructor(scope: Construct, id: string, props: FactoryServicesProps) {
    super(scope, id);
    const ns = props.namespace;
    const dataStoreEnv = props.dataStoreEnv;
    const namespaceEnv = { name: "FACTORY_NAMESPACE", value: ns };

    // The identity of the Jobs the runner controller starts: no API token, no permissions.
    const runnerAccount = new ServiceAccountV1(this, "factory-runner", {
      metadata: { name: "factory-runner", namespace: ns },
      automountServiceAccountToken: false,
    });

    const api = (this.api = new FactoryDeployment(this, "factory-api", {
      namespace: ns,
      image: props.images["factory-api"],
      healthPath: props.apiHealthPath,
      env: [...dataStoreEnv, namespaceEnv],
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
      autoscaling: props.autoscaling,
      apiAccess: true,
      serviceAnnotations: { "alb.ingress.kubernetes.io/healthcheck-path": props.apiHealthPath },
      preconditions: props.preconditions,
    }));

    this.web = new FactoryDeployment(this, "factory-web", {
      namespace: ns,
      image: props.images["factory-web"],
      healthPath: WEB_HEALTH_PATH,
      // Server-side calls go to the api inside the cluster; browsers use /api on the ALB.
      env: [{ name: "FACTORY_API_URL", value: `http://factory-api.${ns}.svc.cluster.local:${FACTORY_SERVICE_PORT}` }],
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
      autoscaling: props.autoscaling,
      serviceAnnotations: { "alb.ingress.kubernetes.io/healthcheck-path": WEB_HEALTH_PATH },
      preconditions: props.preconditions,
    });

    const controller = (this.runnerController = new FactoryDeployment(this, "factory-runner-controller", {
      namespace: ns,
      image: props.images["factory-runner-controller"],
      healthPath: RUNNER_CONTROLLER_HEALTH_PATH,
      env: [
        ...dataStoreEnv,
        namespaceEnv,
        { name: "FACTORY_RUNNER_IMAGE", value: props.images["factory-runner"] },
        { name: "FACTORY_RUNNER_SERVICE_ACCOUNT", value: runnerAccount.metadata.name },
      ],
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
      // One dispatcher: two would race for the same queue without leader election.
      replicas: 1,
      apiAccess: true,
      preconditions: props.preconditions,
    }));

    // RBAC: namespaced, least privilege.
    new ServiceAccountRole(this, "factory-runner-controller-jobs", {
      namespace: ns,
      serviceAccountName: controller.serviceAccount.metadata.name,
      rules: [
        { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "get", "list", "watch", "delete"] },
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
      ],
    });
    new ServiceAccountRole(this, "factory-api-shells", {
      namespace: ns,
      serviceAccountName: api.serviceAccount.metadata.name,
      rules: [
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
        // Kubernetes >= 1.30 authorizes exec (websocket or SPDY) with `create` on pods/exec.
        { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] },
      ],
    });
  }
}
