import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { FactoryConfig } from "../config";
import { KubernetesStack } from "./kubernetes-stack";
import { EksStack } from "./eks-stack";
import { EcrStack } from "./ecr-stack";
import { FactoryImage, IMAGES } from "../factory-images";
import { ReleasedImages } from "../constructs/released-images";
import { CertStack } from "./cert-stack";
import { STORAGE_CLASSES } from "../constructs/k8s/gp3-storage-class";
import { VERSIONS } from "../versions";
import { RestrictedNamespace } from "../constructs/k8s/restricted-namespace";
import { ImageTagGuard } from "../constructs/k8s/image-tag-guard";
import { FactoryDataStores } from "../constructs/k8s/factory-data-stores";
import { FACTORY_CONTAINER_PORT, FACTORY_SERVICE_PORT } from "../constructs/k8s/factory-deployment";
import { FactoryServices } from "../constructs/k8s/factory-services";
import { AlbIngress } from "../constructs/k8s/alb-ingress";
import { RunnerNamespace } from "../constructs/k8s/runner-namespace";
import { FactoryPriorityClasses } from "../constructs/k8s/priority-classes";
import { FactoryNetworkPolicies } from "../constructs/k8s/factory-network-policies";
import { subnetLayout } from "../constructs/vpc-network";
import { podRoom } from "../node-capacity";

/** CPU utilization the api and web autoscalers aim at. */
export const TARGET_CPU_UTILIZATION = 70;

export interface AppStackProps {
  /** The validated settings (config/index.ts). */
  readonly config: FactoryConfig;
  /** The cluster. */
  readonly eks: EksStack;
  /** The images' repositories. */
  readonly ecr: EcrStack;
  /** The ingress's certificate. */
  readonly cert: CertStack;
}

/**
 * The factory in namespace `config.namespace`: Postgres, Redis and MinIO as StatefulSets on
 * retained gp3 volumes, the api, web and runner-controller Deployments from ECR, their RBAC, and
 * the ALB ingress. Deployed after the add-ons stack (ingress class, StorageClasses, metrics API);
 * no AWS resources (the AWS provider only reads that the release's images are in ECR): cluster,
 * repositories and certificate come from the other stacks' state.
 */
export class AppStack extends KubernetesStack {
  readonly ingress: AlbIngress;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    // The AWS provider only to read: the release's images must be in ECR (ReleasedImages).
    super(scope, id, { config: props.config, eks: props.eks, aws: true });
    const { config, ecr, cert } = props;
    new RandomProvider(this, "random");

    const guard = new ImageTagGuard(this, "guard", { imageTag: config.imageTag, stackName: this.stackName });
    new ReleasedImages(this, "released-images", {
      repositoryNames: IMAGES.map((image) => `${config.stackPrefix}/${image}`),
      imageTag: config.imageTag,
    });
    const podSecurityVersion = `v${config.kubernetesVersion}`;
    const ns = new RestrictedNamespace(this, "namespace", {
      name: config.namespace,
      podSecurityVersion,
      // The load balancer controller adds a readiness gate to each api and web pod: a rollout
      // waits until the ALB sends to the new pod before it stops an old one.
      labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" },
    }).namespace.metadata.name;
    const priorities = new FactoryPriorityClasses(this, "priorities", { namePrefix: config.stackPrefix }).names;
    const runs = new RunnerNamespace(this, "runner-namespace", {
      name: config.runner.namespace,
      podSecurityVersion,
      quota: { cpuMillis: config.runner.cpuMillis, memory: config.runner.memory, pods: config.runner.pods },
      containerMax: podRoom(config.nodeGroup.instanceTypes),
      priorityClassName: priorities.runners,
    }).name;

    const dataStores = new FactoryDataStores(this, "data", {
      namespace: ns,
      sizes: config.dataStoreSizes,
      images: VERSIONS.images,
      storageClassName: STORAGE_CLASSES.retained,
      priorityClassName: priorities.dataStores,
    });

    const services = new FactoryServices(this, "services", {
      namespace: ns,
      runnerNamespace: runs,
      images: Object.fromEntries(Object.entries(ecr.repositoryUrls).map(([image, url]) => [image, guard.image(url)])) as Record<FactoryImage, string>,
      apiHealthPath: config.apiHealthPath,
      dataStoreEnv: dataStores.clientEnv,
      autoscaling: { minReplicas: config.replicas.min, maxReplicas: config.replicas.max, targetCpuUtilization: TARGET_CPU_UTILIZATION },
      preconditions: [guard.precondition],
      priorityClasses: { services: priorities.services, runners: priorities.runners },
    });

    const subnets = subnetLayout(config.vpcCidr);
    new FactoryNetworkPolicies(this, "network-policies", {
      namespace: ns,
      runnerNamespace: runs,
      services: { api: services.api.name, web: services.web.name, controller: services.runnerController.name },
      servicePort: FACTORY_CONTAINER_PORT,
      dataStores: [dataStores.postgres, dataStores.redis, dataStores.minio].map((d) => ({ name: d.name, port: d.port })),
      loadBalancerCidrs: subnets.public,
      controlPlaneCidrs: subnets.private,
      serviceCidr: config.serviceCidr,
      vpcCidr: config.vpcCidr,
    });

    this.ingress = new AlbIngress(this, "ingress", {
      name: "factory",
      namespace: ns,
      hostname: config.hostname,
      certificateArn: cert.certificateArn,
      loadBalancerName: config.albName,
      groupName: config.ingressGroup,
      routes: [
        { path: "/api", serviceName: services.api.service.metadata.name, servicePort: FACTORY_SERVICE_PORT },
        { path: "/", serviceName: services.web.service.metadata.name, servicePort: FACTORY_SERVICE_PORT },
      ],
    });

    new TerraformOutput(this, "Namespace", { value: ns, description: "The services' and data stores' namespace" });
    new TerraformOutput(this, "RunnerNamespace", { value: runs, description: "Where the runner controller's Jobs run" });
    new TerraformOutput(this, "IngressName", {
      value: this.ingress.ingress.metadata.name,
      description: "The ingress the load balancer controller turns into the ALB",
    });
  }
}
