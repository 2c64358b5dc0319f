/**
 * The mini platform's Kubernetes stack (mini-app): workloads, storage classes, a generated Secret,
 * NetworkPolicies, the ALB ingress and a Helm release. Compliant unless `is` turns on one of its
 * defects.
 */
import { App, LocalBackend, TerraformStack } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { StatefulSetV1 } from "@cdktf/provider-kubernetes/lib/stateful-set-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { PriorityClassV1 } from "@cdktf/provider-kubernetes/lib/priority-class-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { Password } from "@cdktf/provider-random/lib/password";
import { Is, at, backend, costTags } from "./common";
import type { eksStack, netStack } from "./aws";

/** mini-app: Kubernetes workloads, storage classes, a generated Secret, the ALB ingress, Helm. */
export function appStack(app: App, is: Is, { vpc }: ReturnType<typeof netStack>, { cluster, irsa, repo, cert }: ReturnType<typeof eksStack>) {
  const k8s = new TerraformStack(app, "mini-app");
  if (is("backend-local")) new LocalBackend(k8s, { path: "terraform.mini-app.tfstate" });
  else backend(k8s, "mini-app");
  new KubernetesProvider(k8s, "kubernetes", {
    host: cluster.endpoint,
    token: is("provider-token") ? "k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8" : undefined,
  });
  new HelmProvider(k8s, "helm", {});
  new RandomProvider(k8s, "random");
  new Release(k8s, "alb-controller", {
    name: "aws-load-balancer-controller",
    chart: "aws-load-balancer-controller",
    namespace: "kube-system",
    values: [
      JSON.stringify({
        clusterName: cluster.name,
        region: "us-west-2",
        ...(is("alb-controller-no-vpc") ? {} : { vpcId: vpc.id }),
        serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": irsa.arn } },
        defaultTags: is("alb-controller-no-tags") ? undefined : costTags(k8s),
      }),
    ],
  });
  const storageClass = (name: string, reclaimPolicy: string, isDefault: boolean, tags: Record<string, string> = {}) =>
    new StorageClassV1(k8s, name, {
      metadata: { name, annotations: { "storageclass.kubernetes.io/is-default-class": String(isDefault) } },
      storageProvisioner: "ebs.csi.aws.com",
      reclaimPolicy,
      parameters: {
        type: "gp3",
        encrypted: "true",
        ...(is("class-no-cost-tags") && name === "gp3-retain" ? {} : { tagSpecification_8: "Project=mini", tagSpecification_9: `Stack=${k8s.node.id}` }),
        ...tags,
      },
    });
  // Both classes write the backup tag here, so that a claim on the Delete class breaks one rule only.
  storageClass("gp3", "Delete", true, { tagSpecification_1: "mini/backup=on" });
  const retainClass = storageClass("gp3-retain", "Retain", false, is("volume-untagged-class") ? {} : { tagSpecification_1: "mini/backup=on" });
  const password = new Password(k8s, "db-password", { length: 32 });
  const secret = new SecretV1(k8s, "db-credentials", {
    metadata: { name: "db", namespace: "mini" },
    data: { username: "mini", password: is("secret-literal-password") ? "hunter2hunter2" : password.result },
  });
  const container = (name: string) => ({
    name,
    image: `${repo.repositoryUrl}:v1`,
    env: [
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: secret.metadata.name, key: "password" } } },
      ...(is("env-literal-token") ? [{ name: "API_TOKEN", value: "tok-8f14e45fceea167a5a36dedd4bea2543" }] : []),
      ...(is("random-in-env") ? [{ name: "DB_URL", value: `postgres://mini:${password.result}@db:5432/mini` }] : []),
    ],
    securityContext: {
      runAsNonRoot: !is("container-root"),
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: !is("container-writable-root"),
      capabilities: { drop: ["ALL"] },
    },
    resources: is("container-no-limits")
      ? { requests: { cpu: "100m", memory: "128Mi" } }
      : { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    readinessProbe: is("container-no-probes") ? undefined : { httpGet: { path: "/healthz", port: "8080" } },
    livenessProbe: is("container-no-probes") ? undefined : { httpGet: { path: "/healthz", port: "8080" } },
  });
  const priorityClass = (name: string, value: number, preemptionPolicy: string) =>
    new PriorityClassV1(k8s, name, { metadata: { name }, value, preemptionPolicy });
  const dataClass = priorityClass("mini-data", 1000, "PreemptLowerPriority");
  const serviceClass = priorityClass("mini-services", 100, "PreemptLowerPriority");
  const runnerClass = priorityClass("mini-runners", -1, is("runner-class-preempts") ? "PreemptLowerPriority" : "Never");
  new ResourceQuotaV1(k8s, "runner-priority", {
    metadata: { name: "runner-priority", namespace: "runs" },
    spec: {
      hard: { pods: "0" },
      scopeSelector: is("runner-quota-any-class")
        ? undefined
        : { matchExpression: [{ scopeName: "PriorityClass", operator: "NotIn", values: [runnerClass.metadata.name] }] },
    },
  });
  const deployment = new DeploymentV1(k8s, "api", {
    metadata: { name: "api", namespace: "mini" },
    spec: {
      selector: { matchLabels: { app: "api" } },
      template: {
        metadata: { labels: { app: "api" } },
        spec: {
          securityContext: { runAsUser: "10001" },
          priorityClassName: is("workload-no-priority") ? undefined : (is("deployment-above-data") ? dataClass : serviceClass).metadata.name,
          container: [container("api")],
        },
      },
    },
  });
  const db = new StatefulSetV1(k8s, "db", {
    metadata: { name: "db", namespace: "mini" },
    spec: {
      serviceName: "db",
      selector: { matchLabels: { app: "db" } },
      template: { metadata: { labels: { app: "db" } }, spec: { priorityClassName: dataClass.metadata.name, container: [container("db")] } },
      volumeClaimTemplate: [
        {
          metadata: { name: "data" },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: is("volume-delete-class") ? "gp3" : "gp3-retain",
            resources: { requests: { storage: "1Gi" } },
          },
        },
      ],
    },
  });
  const defaultDeny = new NetworkPolicyV1(k8s, "default-deny", {
    metadata: { name: "default-deny", namespace: is("namespace-no-default-deny") ? "elsewhere" : "mini" },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  });
  const dbPolicy = new NetworkPolicyV1(k8s, "db-ingress", {
    metadata: { name: "db-ingress", namespace: "mini" },
    spec: {
      podSelector: { matchLabels: { app: "db" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { app: "api" } } },
            ...(is("data-store-open-to-namespaces") ? [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "runs" } } }] : []),
          ],
          ports: [{ protocol: "TCP", port: "5432" }],
        },
      ],
    },
  });
  const ingress = new IngressV1(k8s, "ingress", {
    metadata: {
      name: "mini",
      namespace: "mini",
      annotations: {
        "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
        "alb.ingress.kubernetes.io/ssl-redirect": "443",
        "alb.ingress.kubernetes.io/certificate-arn": cert.arn,
        "alb.ingress.kubernetes.io/ssl-policy": is("ingress-tls10") ? "ELBSecurityPolicy-2016-08" : "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
      },
    },
    spec: {
      ingressClassName: "alb",
      rule: [{ host: "mini.example.com", http: { path: [{ path: "/", backend: { service: { name: "api", port: { number: 80 } } } }] } }],
    },
  });
  return {
    appBackend: { stack: k8s.node.id, address: "terraform.backend" },
    albController: { stack: k8s.node.id, address: "helm_release.alb-controller" },
    ingress: at(k8s, ingress),
    deployment: at(k8s, deployment),
    statefulSet: at(k8s, db),
    runnerClass: at(k8s, runnerClass),
    retainClass: at(k8s, retainClass),
    defaultDeny: at(k8s, defaultDeny),
    dbPolicy: at(k8s, dbPolicy),
    secret: at(k8s, secret),
    provider: { stack: k8s.node.id, address: "provider.kubernetes" },
  };
}
