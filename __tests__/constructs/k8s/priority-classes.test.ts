/** FactoryPriorityClasses: data stores above services above runner Jobs; runners preempted first, never preempting. */
import { FactoryPriorityClasses, PRIORITY_VALUES } from "../../../constructs/k8s/priority-classes";
import { all, kubernetesStack, synth, TfJson } from "../support";

function build() {
  const stack = kubernetesStack();
  const pcs = new FactoryPriorityClasses(stack, "p", { namePrefix: "attractor-factory" });
  const json = synth(stack);
  const byName: Record<string, TfJson> = Object.fromEntries(all(json, "kubernetes_priority_class_v1").map((pc: TfJson) => [pc.metadata.name, pc]));
  return { pcs, json, byName };
}

test("FactoryPriorityClasses: one class per tier, named <prefix>-data-stores, -services, -runners", () => {
  expect(Object.keys(build().byName).sort()).toEqual(["attractor-factory-data-stores", "attractor-factory-runners", "attractor-factory-services"]);
});

test("FactoryPriorityClasses: data stores highest, then the services, runner Jobs lowest (below a pod of no class, 0)", () => {
  const { byName } = build();
  const v = (n: string) => byName[`attractor-factory-${n}`].value;
  expect(v("data-stores")).toBeGreaterThan(v("services"));
  expect(v("services")).toBeGreaterThan(0);
  expect(v("runners")).toBeLessThan(0);
  // User classes must stay below the system classes (2,000,000,000), at most 1,000,000,000.
  expect(Math.max(...Object.values(PRIORITY_VALUES))).toBeLessThanOrEqual(1_000_000_000);
});

test("FactoryPriorityClasses: runners never preempt; the others may; none is the cluster's default", () => {
  const { byName } = build();
  expect(byName["attractor-factory-runners"].preemption_policy).toBe("Never");
  expect(byName["attractor-factory-data-stores"].preemption_policy).toBe("PreemptLowerPriority");
  expect(byName["attractor-factory-services"].preemption_policy).toBe("PreemptLowerPriority");
  for (const pc of Object.values(byName)) expect(pc.global_default).toBe(false);
});

test("FactoryPriorityClasses: names are references to the classes (the workloads wait for them)", () => {
  const { pcs } = build();
  for (const name of Object.values(pcs.names)) expect(name).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
});
