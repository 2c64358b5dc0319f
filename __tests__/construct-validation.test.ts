/** Constructs refuse what would break at apply, with errors scoped to the construct that name the value. */
import { Testing, TerraformStack } from "cdktf";
import { RestrictedNamespace } from "../constructs/k8s/restricted-namespace";
import { RunnerNamespace } from "../constructs/k8s/runner-namespace";
import { FactoryDeployment } from "../constructs/k8s/factory-deployment";
import { GeneratedSecret } from "../constructs/k8s/generated-secret";
import { FactoryNetworkPolicies } from "../constructs/k8s/factory-network-policies";
import { AlbIngress } from "../constructs/k8s/alb-ingress";
import { PinnedHelmRelease } from "../constructs/k8s/pinned-helm-release";

const stack = () => new TerraformStack(Testing.app(), "t");
const deployment = {
  namespace: "n",
  image: "i:1",
  healthPath: "/",
  env: [],
  resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
};

test("RestrictedNamespace: the Pod Security version is a pinned minor, not latest", () => {
  expect(() => new RestrictedNamespace(stack(), "ns", { name: "n", podSecurityVersion: "latest" })).toThrow(
    'RestrictedNamespace n: podSecurityVersion must be a Kubernetes minor such as v1.35, got "latest"',
  );
});

test("RunnerNamespace: a quota of at least 100 millicores and 1 pod", () => {
  expect(() => new RunnerNamespace(stack(), "r", { name: "r", podSecurityVersion: "v1.35", quota: { cpuMillis: 50, memory: "1Gi", pods: 1 } })).toThrow(
    "quota.cpuMillis must be a whole number of at least 100, got 50",
  );
  expect(() => new RunnerNamespace(stack(), "r", { name: "r", podSecurityVersion: "v1.35", quota: { cpuMillis: 1000, memory: "1Gi", pods: 0 } })).toThrow(
    "quota.pods must be a whole number of at least 1, got 0",
  );
});

test("FactoryDeployment: Recreate is for a fixed single dispatcher, not an autoscaled service; preStop delay within 0-300 s", () => {
  expect(
    () =>
      new FactoryDeployment(stack(), "d", { ...deployment, strategy: "Recreate", autoscaling: { minReplicas: 2, maxReplicas: 3, targetCpuUtilization: 70 } }),
  ).toThrow("FactoryDeployment d: Recreate stops every pod at once; an autoscaled service rolls (strategy RollingUpdate)");
  expect(() => new FactoryDeployment(stack(), "d", { ...deployment, preStopDelaySeconds: 301 })).toThrow(
    "FactoryDeployment d: preStopDelaySeconds must be a whole number from 0 to 300, got 301",
  );
});

test("GeneratedSecret: a derived key may not shadow a generated or literal one", () => {
  expect(() => new GeneratedSecret(stack(), "s", { name: "s", namespace: "n", generated: { password: {} }, derived: { password: (g) => g.password } })).toThrow(
    'GeneratedSecret s: derived key "password" is also a generated or literal key',
  );
});

test("FactoryNetworkPolicies: the service network must be given as its network address", () => {
  expect(
    () =>
      new FactoryNetworkPolicies(stack(), "p", {
        namespace: "a",
        runnerNamespace: "b",
        services: { api: "api", web: "web", controller: "c" },
        servicePort: 8080,
        dataStores: [],
        loadBalancerCidrs: [],
        controlPlaneCidrs: [],
        serviceCidr: "172.20.0.1/16",
        vpcCidr: "10.0.0.0/16",
      }),
  ).toThrow('FactoryNetworkPolicies: serviceCidr must be a network address such as 172.20.0.0/16, got "172.20.0.1/16"');
});

test("AlbIngress: the load balancer's name is what AWS accepts (at most 32 characters)", () => {
  const props = { name: "factory", namespace: "n", hostname: "h.example.com", certificateArn: "arn", groupName: "g", routes: [] };
  expect(() => new AlbIngress(stack(), "i", { ...props, loadBalancerName: "attractor-factory-staging-eu-alb1" })).toThrow(
    'AlbIngress factory: loadBalancerName must be 1-32 letters, digits and -, not starting or ending with -, got "attractor-factory-staging-eu-alb1"',
  );
});

test("PinnedHelmRelease: a release name Helm accepts and a timeout within an hour", () => {
  const pin = { repository: "https://example.com", chart: "metrics-server", version: "1.0.0", appVersion: "1" };
  expect(() => new PinnedHelmRelease(stack(), "r", { pin, releaseName: "Metrics_Server", namespace: "kube-system" })).toThrow(
    'PinnedHelmRelease r: releaseName must be at most 53 lower-case letters, digits and -, not starting or ending with -, got "Metrics_Server"',
  );
  expect(() => new PinnedHelmRelease(stack(), "r", { pin, releaseName: "metrics-server", namespace: "kube-system", timeoutSeconds: 0 })).toThrow(
    "PinnedHelmRelease r: timeoutSeconds must be a whole number from 1 to 3600, got 0",
  );
});
