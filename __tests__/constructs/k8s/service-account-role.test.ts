/** ServiceAccountRole: a namespaced Role bound to one service account, nothing cluster-wide. */
import { ServiceAccountRole, ServiceAccountRoleProps } from "../../../constructs/k8s/service-account-role";
import { kubernetesStack, only, ref, resolved, synth } from "../support";

const props: ServiceAccountRoleProps = {
  namespace: "factory-runners",
  serviceAccountName: "factory-runner-controller",
  rules: [
    { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "get", "list", "watch", "delete"] },
    { apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get"] },
  ],
};

function build(overrides: Partial<ServiceAccountRoleProps> = {}) {
  const stack = kubernetesStack();
  const construct = new ServiceAccountRole(stack, "factory-runner-controller-jobs", { ...props, ...overrides });
  const json = synth(stack);
  return { construct, json, role: only(json, "kubernetes_role_v1"), binding: only(json, "kubernetes_role_binding_v1") };
}

test("ServiceAccountRole: a Role named after the construct id, in the namespace", () => {
  expect(build().role.metadata).toEqual({ name: "factory-runner-controller-jobs", namespace: "factory-runners" });
});

test('ServiceAccountRole: the Role\'s rules are the given ones, in order, the core API group as ""', () => {
  expect(build().role.rule).toEqual([
    { api_groups: ["batch"], resources: ["jobs"], verbs: ["create", "get", "list", "watch", "delete"] },
    { api_groups: [""], resources: ["pods", "pods/log"], verbs: ["get"] },
  ]);
});

test("ServiceAccountRole: a RoleBinding of the same name and namespace refers to the Role (so it is created after it)", () => {
  const { json, binding } = build();
  expect(binding.metadata).toEqual({ name: "factory-runner-controller-jobs", namespace: "factory-runners" });
  expect(binding.role_ref).toEqual({ api_group: "rbac.authorization.k8s.io", kind: "Role", name: ref(json, "kubernetes_role_v1", "metadata[0].name") });
});

test("ServiceAccountRole: the binding's only subject is the service account, in the Role's namespace by default", () => {
  expect(build().binding.subject).toEqual([{ kind: "ServiceAccount", name: "factory-runner-controller", namespace: "factory-runners" }]);
});

test("ServiceAccountRole: serviceAccountNamespace grants a service account of another namespace rights in this one", () => {
  const { role, binding } = build({ serviceAccountNamespace: "factory-system" });
  expect(binding.subject).toEqual([{ kind: "ServiceAccount", name: "factory-runner-controller", namespace: "factory-system" }]);
  expect(role.metadata.namespace).toBe("factory-runners");
  expect(binding.metadata.namespace).toBe("factory-runners");
});

test("ServiceAccountRole: permissions end at the namespace: no ClusterRole or ClusterRoleBinding", () => {
  const { json } = build();
  expect(Object.keys(json.resource).sort()).toEqual(["kubernetes_role_binding_v1", "kubernetes_role_v1"]);
});

test("ServiceAccountRole: role and binding are exposed", () => {
  const { construct, json } = build();
  expect(resolved(construct, construct.role.metadata.name)).toBe(ref(json, "kubernetes_role_v1", "metadata[0].name"));
  expect(resolved(construct, construct.binding.metadata.name)).toBe(ref(json, "kubernetes_role_binding_v1", "metadata[0].name"));
});
