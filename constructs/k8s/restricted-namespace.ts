import { Construct } from "constructs";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";

export interface RestrictedNamespaceProps {
  /** The namespace's name. */
  readonly name: string;
  /**
   * The Pod Security Standards version enforced, e.g. "v1.35" (the cluster's minor): pinned, so
   * that what is enforced changes when the cluster is upgraded and the code says so, not at every
   * control-plane patch ("latest" would).
   */
  readonly podSecurityVersion: string;
  /** Further labels of the namespace (the Pod Security labels win over them). @default none */
  readonly labels?: Record<string, string>;
}

/**
 * A namespace under the `restricted` Pod Security Standard: the API server rejects pods that run
 * as root, escalate privileges, keep capabilities or lack a seccomp profile (enforce), and warns
 * and audits the same (so a future rule tightening shows up before it blocks).
 */
export class RestrictedNamespace extends Construct {
  readonly namespace: NamespaceV1;
  readonly name: string;

  constructor(scope: Construct, id: string, props: RestrictedNamespaceProps) {
    super(scope, id);
    if (!/^v1\.\d+$/.test(props.podSecurityVersion)) {
      throw new Error(`RestrictedNamespace ${props.name}: podSecurityVersion must be a Kubernetes minor such as v1.35, got "${props.podSecurityVersion}"`);
    }
    this.name = props.name;
    this.namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: props.name,
        labels: {
          ...(props.labels ?? {}),
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": props.podSecurityVersion,
          "pod-security.kubernetes.io/audit-version": props.podSecurityVersion,
          "pod-security.kubernetes.io/warn-version": props.podSecurityVersion,
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
        },
      },
    });
  }
}
