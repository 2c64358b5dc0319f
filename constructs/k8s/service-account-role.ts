import { Construct } from "constructs";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";

export interface PolicyRule {
  /** "" is the core API group. */
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

export interface ServiceAccountRoleProps {
  /** The namespace of the Role and its binding: where the rules apply. */
  readonly namespace: string;
  /** The service account that gets the rules. */
  readonly serviceAccountName: string;
  /**
   * The service account's namespace (a service in one namespace granted rights in another).
   * @default namespace
   */
  readonly serviceAccountNamespace?: string;
  /** The Role's rules (namespaced: nothing cluster-wide). */
  readonly rules: readonly PolicyRule[];
}

/**
 * A namespaced Role bound to one service account: permissions end at the namespace (no
 * ClusterRole, nothing cluster-wide).
 */
export class ServiceAccountRole extends Construct {
  readonly role: RoleV1;
  readonly binding: RoleBindingV1;

  constructor(scope: Construct, id: string, props: ServiceAccountRoleProps) {
    super(scope, id);
    const metadata = { name: id, namespace: props.namespace };
    this.role = new RoleV1(this, "role", {
      metadata,
      rule: props.rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    });
    this.binding = new RoleBindingV1(this, "binding", {
      metadata,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: this.role.metadata.name },
      subject: [{ kind: "ServiceAccount", name: props.serviceAccountName, namespace: props.serviceAccountNamespace ?? props.namespace }],
    });
  }
}
