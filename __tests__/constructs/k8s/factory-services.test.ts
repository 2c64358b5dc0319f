/** FactoryServices: factory-api, factory-web and factory-runner-controller, with the RBAC each needs in the runner namespace. */
import { FactoryServices, FactoryServicesProps, PRE_STOP_MARGIN_SECONDS } from "../../../constructs/k8s/factory-services";
import { SHUTDOWN_SECONDS } from "../../../constructs/k8s/factory-deployment";
import { all, byKey, kubernetesStack, synth, TfJson } from "../support";

const ECR = "111122223333.dkr.ecr.us-west-2.amazonaws.com/attractor-factory";
const precondition = { condition: '${local.image_tag != ""}', errorMessage: "FACTORY_IMAGE_TAG is not set" };
const props: FactoryServicesProps = {
  namespace: "factory-system",
  runnerNamespace: "factory-runners",
  images: {
    "factory-api": `${ECR}/factory-api:v1`,
    "factory-web": `${ECR}/factory-web:v1`,
    "factory-runner-controller": `${ECR}/factory-runner-controller:v1`,
    "factory-runner": `${ECR}/factory-runner:v1`,
  },
  apiHealthPath: "/api/health",
  dataStoreEnv: [
    { name: "POSTGRES_HOST", value: "postgres.factory-system.svc.cluster.local" },
    { name: "POSTGRES_PASSWORD", secret: { name: "postgres-credentials", key: "password" } },
  ],
  autoscaling: { minReplicas: 2, maxReplicas: 6, targetCpuUtilization: 70 },
  preconditions: [precondition],
};
const SERVICES = ["factory-api", "factory-web", "factory-runner-controller"] as const;
type Service = (typeof SERVICES)[number];

function build(overrides: Partial<FactoryServicesProps> = {}) {
  const stack = kubernetesStack();
  new FactoryServices(stack, "services", { ...props, ...overrides });
  const json = synth(stack);
  const named = (type: string, name: string): TfJson => {
    const found = all(json, type).filter((r) => r.metadata.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
    return found[0];
  };
  const deployment = (name: Service) => named("kubernetes_deployment_v1", name);
  const pod = (name: Service): TfJson => deployment(name).spec.template.spec;
  return { json, named, deployment, pod, container: (name: Service): TfJson => pod(name).container[0] };
}
/** The reference to the name of the ServiceAccount named `name` (a binding made after the account exists). */
function serviceAccountRef(json: TfJson, name: string): string {
  const keys = Object.entries(byKey(json, "kubernetes_service_account_v1")).filter(([, a]) => a.metadata.name === name);
  if (keys.length !== 1) throw new Error(`expected one ServiceAccount ${name}, found ${keys.length}`);
  return `\${kubernetes_service_account_v1.${keys[0][0]}.metadata[0].name}`;
}
const DATA_STORE_ENV = [
  { name: "POSTGRES_HOST", value: "postgres.factory-system.svc.cluster.local" },
  { name: "POSTGRES_PASSWORD", value_from: { secret_key_ref: { name: "postgres-credentials", key: "password" } } },
];
const NAMESPACE_ENV = [
  { name: "FACTORY_NAMESPACE", value: "factory-system" },
  { name: "FACTORY_RUNNER_NAMESPACE", value: "factory-runners" },
];

test("FactoryServices: the three services of the spec, each a Deployment with its Service, in the namespace, at its image", () => {
  const { deployment, container, named } = build();
  for (const name of SERVICES) {
    expect(deployment(name).metadata.namespace).toBe("factory-system");
    expect(named("kubernetes_service_v1", name).metadata.namespace).toBe("factory-system");
    expect(container(name).image).toBe(`${ECR}/${name}:v1`);
  }
});

test("FactoryServices: every Deployment carries the preconditions (the image tag guard's)", () => {
  const { deployment } = build();
  for (const name of SERVICES)
    expect(deployment(name).lifecycle.precondition).toEqual([{ condition: precondition.condition, error_message: precondition.errorMessage }]);
});

test("FactoryServices: api and web autoscale over the given range; the runner controller is one pod, replaced by Recreate", () => {
  const { json, deployment } = build();
  const hpas = all(json, "kubernetes_horizontal_pod_autoscaler_v2");
  expect(hpas.map((h) => h.metadata.name).sort()).toEqual(["factory-api", "factory-web"]);
  for (const h of hpas) expect(h.spec).toMatchObject({ min_replicas: 2, max_replicas: 6 });
  expect(deployment("factory-runner-controller").spec).toMatchObject({ replicas: "1", strategy: { type: "Recreate" } });
});

test("FactoryServices: the cluster autoscaler may not evict the runner controller (its replacement would start before it stops)", () => {
  const { deployment } = build();
  expect(deployment("factory-runner-controller").spec.template.metadata.annotations).toEqual({ "cluster-autoscaler.kubernetes.io/safe-to-evict": "false" });
  expect(deployment("factory-api").spec.template.metadata.annotations).toBeUndefined();
});

test("FactoryServices: api's and web's ALB health checks are their health paths; the ALB deregisters a target in 30 s by default", () => {
  const { named } = build();
  expect(named("kubernetes_service_v1", "factory-api").metadata.annotations).toEqual({
    "alb.ingress.kubernetes.io/healthcheck-path": "/api/health",
    "alb.ingress.kubernetes.io/target-group-attributes": "deregistration_delay.timeout_seconds=30",
  });
  expect(named("kubernetes_service_v1", "factory-web").metadata.annotations["alb.ingress.kubernetes.io/healthcheck-path"]).toBe("/");
  expect(named("kubernetes_service_v1", "factory-runner-controller").metadata.annotations).toBeUndefined();
});

test("FactoryServices: api and web keep serving PRE_STOP_MARGIN_SECONDS beyond the deregistration delay, so a rollout drops no request", () => {
  const { container, pod } = build();
  for (const name of ["factory-api", "factory-web"] as const) {
    expect(container(name).lifecycle.pre_stop).toEqual([{ exec: { command: ["sleep", String(30 + PRE_STOP_MARGIN_SECONDS)] } }]);
    expect(pod(name).termination_grace_period_seconds).toBe(30 + PRE_STOP_MARGIN_SECONDS + SHUTDOWN_SECONDS);
  }
  expect(container("factory-runner-controller").lifecycle).toBeUndefined();
});

test("FactoryServices: deregistrationDelaySeconds sets the ALB's delay and the pods' preStop with it", () => {
  const { named, container } = build({ deregistrationDelaySeconds: 60 });
  for (const name of ["factory-api", "factory-web"] as const) {
    expect(named("kubernetes_service_v1", name).metadata.annotations["alb.ingress.kubernetes.io/target-group-attributes"]).toBe(
      "deregistration_delay.timeout_seconds=60",
    );
    expect(container(name).lifecycle.pre_stop[0].exec.command).toEqual(["sleep", String(60 + PRE_STOP_MARGIN_SECONDS)]);
  }
});

test.each([-5, 1.5, 291])("FactoryServices: a deregistration delay the pods cannot outlast (0-290 s, whole) is refused: %p", (delay) => {
  expect(() => build({ deregistrationDelaySeconds: delay })).toThrow(
    `FactoryServices services: deregistrationDelaySeconds must be a whole number from 0 to 290 (the pods' preStop waits 10 s longer, at most 300), got ${delay}`,
  );
});

test("FactoryServices: the longest deregistration delay (290 s) is taken", () => {
  expect(() => build({ deregistrationDelaySeconds: 290 })).not.toThrow();
});

test("FactoryServices: api and runner controller get the data stores' settings and both namespaces; they call the Kubernetes API", () => {
  const { container, pod } = build();
  expect(container("factory-api").env).toEqual([...DATA_STORE_ENV, ...NAMESPACE_ENV]);
  expect(container("factory-runner-controller").env.slice(0, 4)).toEqual([...DATA_STORE_ENV, ...NAMESPACE_ENV]);
  expect(pod("factory-api").automount_service_account_token).toBe(true);
  expect(pod("factory-runner-controller").automount_service_account_token).toBe(true);
});

test("FactoryServices: web gets only the api's in-cluster URL: no data store settings, no API token", () => {
  const { container, pod } = build();
  expect(container("factory-web").env).toEqual([{ name: "FACTORY_API_URL", value: "http://factory-api.factory-system.svc.cluster.local:80" }]);
  expect(pod("factory-web").automount_service_account_token).toBe(false);
});

test("FactoryServices: the runner controller starts Jobs with the runner image as factory-runner, an account without API token", () => {
  const { container, named, json } = build();
  const account = named("kubernetes_service_account_v1", "factory-runner");
  expect(account.metadata.namespace).toBe("factory-runners");
  expect(account.automount_service_account_token).toBe(false);
  expect(container("factory-runner-controller").env.slice(4)).toEqual([
    { name: "FACTORY_RUNNER_IMAGE", value: `${ECR}/factory-runner:v1` },
    { name: "FACTORY_RUNNER_SERVICE_ACCOUNT", value: serviceAccountRef(json, "factory-runner") },
  ]);
});

test("FactoryServices: the runner controller may run Jobs and read their pods and logs, in the runner namespace only", () => {
  const { named, json } = build();
  const role = named("kubernetes_role_v1", "factory-runner-controller-jobs");
  expect(role.metadata.namespace).toBe("factory-runners");
  expect(role.rule).toEqual([
    { api_groups: ["batch"], resources: ["jobs"], verbs: ["create", "get", "list", "watch", "delete"] },
    { api_groups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
    { api_groups: [""], resources: ["pods/log"], verbs: ["get"] },
  ]);
  const binding = named("kubernetes_role_binding_v1", "factory-runner-controller-jobs");
  expect(binding.metadata.namespace).toBe("factory-runners");
  expect(binding.subject).toEqual([{ kind: "ServiceAccount", name: serviceAccountRef(json, "factory-runner-controller"), namespace: "factory-system" }]);
});

test("FactoryServices: the api may list runner pods and exec into them (get and create, for WebSocket and SPDY), in the runner namespace only", () => {
  const { named, json } = build();
  const role = named("kubernetes_role_v1", "factory-api-shells");
  expect(role.metadata.namespace).toBe("factory-runners");
  expect(role.rule).toEqual([
    { api_groups: [""], resources: ["pods"], verbs: ["get", "list"] },
    { api_groups: [""], resources: ["pods/exec"], verbs: ["get", "create"] },
  ]);
  const binding = named("kubernetes_role_binding_v1", "factory-api-shells");
  expect(binding.subject).toEqual([{ kind: "ServiceAccount", name: serviceAccountRef(json, "factory-api"), namespace: "factory-system" }]);
});

test("FactoryServices: nothing grants access in the services' own namespace, nothing cluster-wide, and no IRSA", () => {
  const { json } = build();
  expect(all(json, "kubernetes_role_v1").map((r) => r.metadata.namespace)).toEqual(["factory-runners", "factory-runners"]);
  expect(Object.keys(json.resource).filter((type) => type.includes("cluster_role"))).toEqual([]);
  for (const account of all(json, "kubernetes_service_account_v1")) expect(account.metadata.annotations).toBeUndefined();
});
