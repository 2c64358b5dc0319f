/**
 * The negative tests' table: each deliberate defect of the mini platform (mini/platform.ts), the
 * rule that must report it and where. One list, so that a test can check every rule has a case;
 * mini-platform.test.ts runs them all.
 */

/** Deliberate defects of the mini platform; each test turns on one. */
export type Defect =
  | "sg-world-db"
  | "alarm-no-ok-action"
  | "topic-unencrypted"
  | "log-group-forever"
  | "sg-world-lb-8080"
  | "ssh-remote-access"
  | "ssh-key-name"
  | "ssh-port-22"
  | "imds-optional"
  | "imds-hop-2"
  | "alb-controller-no-vpc"
  | "ami-al2"
  | "nodes-public-subnet"
  | "lt-untagged-sg"
  | "kms-no-rotation"
  | "logs-missing-audit"
  | "logs-no-retention"
  | "auth-config-map"
  | "endpoint-no-cidrs"
  | "irsa-wildcard-sub"
  | "irsa-no-aud"
  | "state-unversioned"
  | "state-destroyable"
  | "backend-no-lock"
  | "backend-same-key"
  | "backend-local"
  | "ecr-mutable"
  | "acm-email"
  | "ingress-tls10"
  | "listener-http-forward"
  | "container-root"
  | "container-writable-root"
  | "container-no-limits"
  | "container-no-probes"
  | "volume-delete-class"
  | "volume-untagged-class"
  | "namespace-no-default-deny"
  | "data-store-open-to-namespaces"
  | "secret-literal-password"
  | "env-literal-token"
  | "access-key-in-output"
  | "random-in-env"
  | "provider-token"
  | "lt-no-cost-tags"
  | "provider-no-cost-tags"
  | "alb-controller-no-tags"
  | "class-no-cost-tags"
  | "cluster-no-upgrade-policy"
  | "nodes-no-repair"
  | "workload-no-priority"
  | "deployment-above-data"
  | "runner-class-preempts"
  | "runner-quota-any-class";

/** [rule, defect, the address (role in the mini platform) that must be reported]. */
export const NEGATIVE: [string, Defect, string][] = [
  ["sg-no-world-ingress", "sg-world-db", "dbIngress"],
  ["sg-no-world-ingress", "sg-world-lb-8080", "lb8080"],
  ["node-no-ssh", "ssh-remote-access", "nodes"],
  ["node-no-ssh", "ssh-key-name", "template"],
  ["node-no-ssh", "ssh-port-22", "dbIngress"],
  ["node-imdsv2-hop-limit-1", "imds-optional", "template"],
  ["node-imdsv2-hop-limit-1", "imds-hop-2", "template"],
  ["alb-controller-region-vpc", "alb-controller-no-vpc", "albController"],
  ["node-al2023", "ami-al2", "nodes"],
  ["node-private-subnets", "nodes-public-subnet", "nodes"],
  ["node-single-cluster-security-group", "lt-untagged-sg", "template"],
  ["cluster-secrets-kms", "kms-no-rotation", "key"],
  ["cluster-control-plane-logs", "logs-missing-audit", "cluster"],
  ["cluster-control-plane-logs", "logs-no-retention", "logs"],
  ["cluster-access-entries", "auth-config-map", "cluster"],
  ["cluster-public-endpoint-cidrs", "endpoint-no-cidrs", "cluster"],
  ["irsa-trust-pinned", "irsa-wildcard-sub", "irsa"],
  ["irsa-trust-pinned", "irsa-no-aud", "irsa"],
  ["state-bucket-hardened", "state-unversioned", "stateBucket"],
  ["state-bucket-hardened", "state-destroyable", "stateBucket"],
  ["backend-encrypted-locked", "backend-no-lock", "eksBackend"],
  ["backend-encrypted-locked", "backend-same-key", "eksBackend"],
  ["backend-encrypted-locked", "backend-local", "appBackend"],
  ["ecr-repository-hardened", "ecr-mutable", "repo"],
  ["acm-certificate-dns-validated", "acm-email", "cert"],
  ["alb-https-only", "ingress-tls10", "ingress"],
  ["alb-https-only", "listener-http-forward", "http"],
  ["container-security-context", "container-root", "deployment"],
  ["container-security-context", "container-writable-root", "statefulSet"],
  ["container-resources-probes", "container-no-limits", "deployment"],
  ["container-resources-probes", "container-no-probes", "statefulSet"],
  ["data-volumes-retained", "volume-delete-class", "statefulSet"],
  ["data-volumes-backed-up", "volume-untagged-class", "statefulSet"],
  ["namespaces-default-deny", "namespace-no-default-deny", "deployment"],
  ["data-stores-isolated", "data-store-open-to-namespaces", "dbPolicy"],
  ["no-literal-secrets", "secret-literal-password", "secret"],
  ["no-literal-secrets", "env-literal-token", "deployment"],
  ["no-literal-secrets", "access-key-in-output", "output"],
  ["no-literal-secrets", "random-in-env", "deployment"],
  ["no-literal-secrets", "provider-token", "provider"],
  ["cost-allocation-tags", "lt-no-cost-tags", "template"],
  ["cost-allocation-tags", "provider-no-cost-tags", "awsProvider"],
  ["cost-allocation-tags", "alb-controller-no-tags", "albController"],
  ["cost-allocation-tags", "class-no-cost-tags", "retainClass"],
  ["cluster-upgrade-policy", "cluster-no-upgrade-policy", "cluster"],
  ["node-auto-repair", "nodes-no-repair", "nodes"],
  ["workload-priority-classes", "workload-no-priority", "deployment"],
  ["workload-priority-classes", "deployment-above-data", "deployment"],
  ["workload-priority-classes", "runner-class-preempts", "runnerClass"],
  ["workload-priority-classes", "runner-quota-any-class", "runnerClass"],
  ["alarms-notify", "alarm-no-ok-action", "alarm"],
  ["alert-topic-encrypted", "topic-unencrypted", "topic"],
  ["log-groups-retained", "log-group-forever", "logGroup"],
];
