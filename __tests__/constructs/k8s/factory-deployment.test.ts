/** FactoryDeployment: one of the factory's own services, its account, Deployment, Service and optional HPA and PDB. */
import { TerraformVariable } from "cdktf";
import { FactoryDeployment, FactoryDeploymentProps, FACTORY_RUN_AS, SHUTDOWN_SECONDS } from "../../../constructs/k8s/factory-deployment";
import { all, emptyStack, kubernetesStack, only, ref, synth, TfJson } from "../support";

const props: FactoryDeploymentProps = {
  namespace: "factory-system",
  image: "111122223333.dkr.ecr.us-west-2.amazonaws.com/attractor-factory/factory-api:v1.2.3",
  healthPath: "/healthz",
  env: [{ name: "LOG_LEVEL", value: "info" }],
  resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
};
const autoscaling = { minReplicas: 2, maxReplicas: 6, targetCpuUtilization: 70 };

function build(overrides: Partial<FactoryDeploymentProps> = {}) {
  const stack = kubernetesStack();
  new FactoryDeployment(stack, "factory-api", { ...props, ...overrides });
  const json = synth(stack);
  const deployment = only(json, "kubernetes_deployment_v1");
  return { json, deployment, pod: deployment.spec.template.spec as TfJson, container: deployment.spec.template.spec.container[0] as TfJson };
}

test("FactoryDeployment: a ServiceAccount of its own (no IAM role), with no API token by default", () => {
  const { json, pod } = build();
  const account = only(json, "kubernetes_service_account_v1");
  expect(account.metadata.name).toBe("factory-api");
  expect(account.metadata.annotations).toBeUndefined();
  expect(account.automount_service_account_token).toBe(false);
  expect(pod.service_account_name).toBe(ref(json, "kubernetes_service_account_v1", "metadata[0].name"));
  expect(pod.automount_service_account_token).toBe(false);
});

test("FactoryDeployment: apiAccess gives the pods an API token", () => {
  expect(build({ apiAccess: true }).pod.automount_service_account_token).toBe(true);
});

test("FactoryDeployment: the image under the restricted security context, as FACTORY_RUN_AS, read-only root with a writable /tmp", () => {
  const { pod, container } = build();
  expect(container.image).toBe(props.image);
  expect(pod.security_context).toMatchObject({ run_as_non_root: true, run_as_user: String(FACTORY_RUN_AS.user), run_as_group: String(FACTORY_RUN_AS.group) });
  expect(pod.security_context.seccomp_profile).toEqual({ type: "RuntimeDefault" });
  expect(container.security_context).toMatchObject({ read_only_root_filesystem: true, allow_privilege_escalation: false, capabilities: { drop: ["ALL"] } });
  expect(container.volume_mount).toEqual([{ name: "scratch-tmp", mount_path: "/tmp" }]);
  expect(pod.enable_service_links).toBe(false);
});

test("FactoryDeployment: scratchDirs replaces the writable /tmp", () => {
  const { pod } = build({ scratchDirs: [{ mountPath: "/var/cache", sizeLimit: "2Gi" }] });
  expect(pod.volume).toEqual([{ name: "scratch-var-cache", empty_dir: { size_limit: "2Gi", medium: "" } }]);
});

test("FactoryDeployment: pods spread over zones and nodes, preferred, never blocking scheduling", () => {
  const spread = (key: string) => ({
    max_skew: 1,
    topology_key: key,
    when_unsatisfiable: "ScheduleAnyway",
    label_selector: [{ match_labels: { "app.kubernetes.io/name": "factory-api" } }],
  });
  expect(build().pod.topology_spread_constraint).toEqual([spread("topology.kubernetes.io/zone"), spread("kubernetes.io/hostname")]);
});

test("FactoryDeployment: HTTP on port 8080 named http; readiness and liveness GET healthPath on it", () => {
  const { container } = build();
  expect(container.port).toEqual([{ name: "http", container_port: 8080 }]);
  expect(container.readiness_probe.http_get).toEqual({ path: "/healthz", port: "http" });
  expect(container.liveness_probe.http_get).toEqual({ path: "/healthz", port: "http" });
});

test("FactoryDeployment: env and resources as given", () => {
  const { container } = build();
  expect(container.env).toEqual([{ name: "LOG_LEVEL", value: "info" }]);
  expect(container.resources).toEqual(props.resources);
});

test("FactoryDeployment: a ClusterIP Service on port 80 to the pods' http port; serviceAnnotations on it (none by default)", () => {
  const service = only(build().json, "kubernetes_service_v1");
  expect(service.spec).toEqual({
    type: "ClusterIP",
    selector: { "app.kubernetes.io/name": "factory-api" },
    port: [{ name: "http", port: 80, target_port: "http" }],
  });
  expect(service.metadata.annotations).toBeUndefined();
  const annotations = { "alb.ingress.kubernetes.io/healthcheck-path": "/healthz" };
  expect(only(build({ serviceAnnotations: annotations }).json, "kubernetes_service_v1").metadata.annotations).toEqual(annotations);
});

test("FactoryDeployment: one replica by default; replicas sets a fixed count; no HPA or PDB without autoscaling", () => {
  const { deployment, json } = build();
  expect(deployment.spec.replicas).toBe("1");
  expect(deployment.lifecycle.ignore_changes).toBeUndefined();
  expect(all(json, "kubernetes_horizontal_pod_autoscaler_v2")).toEqual([]);
  expect(all(json, "kubernetes_pod_disruption_budget_v1")).toEqual([]);
  expect(build({ replicas: 3 }).deployment.spec.replicas).toBe("3");
});

test("FactoryDeployment: autoscaling: a CPU HPA over the Deployment, which starts at minReplicas and leaves the count to the HPA", () => {
  const { deployment, json } = build({ autoscaling, replicas: 5 });
  expect(deployment.spec.replicas).toBe("2");
  expect(deployment.lifecycle.ignore_changes).toEqual(["spec[0].replicas"]);
  const hpa = only(json, "kubernetes_horizontal_pod_autoscaler_v2").spec;
  expect(hpa).toMatchObject({ min_replicas: 2, max_replicas: 6 });
  expect(hpa.scale_target_ref).toEqual({ api_version: "apps/v1", kind: "Deployment", name: ref(json, "kubernetes_deployment_v1", "metadata[0].name") });
  expect(hpa.metric).toEqual([{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", average_utilization: 70 } } }]);
});

test("FactoryDeployment: autoscaling: a PodDisruptionBudget of one unavailable pod at a time (so a node drain always progresses)", () => {
  const pdb = only(build({ autoscaling }).json, "kubernetes_pod_disruption_budget_v1");
  expect(pdb.spec).toEqual({ max_unavailable: "1", selector: { match_labels: { "app.kubernetes.io/name": "factory-api" } } });
});

test("FactoryDeployment: rolls by default: one extra pod at a time, none unavailable", () => {
  expect(build().deployment.spec.strategy).toEqual({ type: "RollingUpdate", rolling_update: { max_surge: "25%", max_unavailable: "0" } });
});

test("FactoryDeployment: strategy Recreate stops the old pods first (a service that must never run twice)", () => {
  expect(build({ strategy: "Recreate" }).deployment.spec.strategy).toEqual({ type: "Recreate" });
});

test("FactoryDeployment: no preStop hook by default; the grace period is SHUTDOWN_SECONDS", () => {
  const { pod, container } = build();
  expect(container.lifecycle).toBeUndefined();
  expect(pod.termination_grace_period_seconds).toBe(SHUTDOWN_SECONDS);
});

test("FactoryDeployment: preStopDelaySeconds keeps a terminating pod serving (preStop sleep) and lengthens the grace period by as much", () => {
  const { pod, container } = build({ preStopDelaySeconds: 15 });
  expect(container.lifecycle).toEqual({ pre_stop: [{ exec: { command: ["sleep", "15"] } }] });
  expect(pod.termination_grace_period_seconds).toBe(15 + SHUTDOWN_SECONDS);
});

test("FactoryDeployment: podAnnotations on the pods (none by default)", () => {
  expect(build().deployment.spec.template.metadata.annotations).toBeUndefined();
  const annotations = { "cluster-autoscaler.kubernetes.io/safe-to-evict": "false" };
  expect(build({ podAnnotations: annotations }).deployment.spec.template.metadata.annotations).toEqual(annotations);
});

test("FactoryDeployment: preconditions are checked before the Deployment is planned (none by default)", () => {
  expect(build().deployment.lifecycle.precondition).toBeUndefined();
  const stack = kubernetesStack();
  const tag = new TerraformVariable(stack, "image_tag", { type: "string" });
  const precondition = { condition: `\${var.image_tag != ""}`, errorMessage: "set FACTORY_IMAGE_TAG" };
  new FactoryDeployment(stack, "factory-api", { ...props, image: `repo:${tag.stringValue}`, preconditions: [precondition] });
  expect(only(synth(stack), "kubernetes_deployment_v1").lifecycle.precondition).toEqual([
    { condition: '${var.image_tag != ""}', error_message: "set FACTORY_IMAGE_TAG" },
  ]);
});

test("FactoryDeployment: Recreate is for a fixed single dispatcher, not an autoscaled service; preStop delay within 0-300 s", () => {
  const deployment = {
    namespace: "n",
    image: "i:1",
    healthPath: "/",
    env: [],
    resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
  };
  expect(
    () =>
      new FactoryDeployment(emptyStack(), "d", {
        ...deployment,
        strategy: "Recreate",
        autoscaling: { minReplicas: 2, maxReplicas: 3, targetCpuUtilization: 70 },
      }),
  ).toThrow("FactoryDeployment d: Recreate stops every pod at once; an autoscaled service rolls (strategy RollingUpdate)");
  expect(() => new FactoryDeployment(emptyStack(), "d", { ...deployment, preStopDelaySeconds: 301 })).toThrow(
    "FactoryDeployment d: preStopDelaySeconds must be a whole number from 0 to 300, got 301",
  );
});

test("FactoryDeployment: a preStop delay of 300 s is accepted; a negative or fractional one is not", () => {
  expect(build({ preStopDelaySeconds: 300 }).pod.termination_grace_period_seconds).toBe(300 + SHUTDOWN_SECONDS);
  expect(() => build({ preStopDelaySeconds: -1 })).toThrow("got -1");
  expect(() => build({ preStopDelaySeconds: 1.5 })).toThrow("got 1.5");
});
