/** The app stack's scheduling priorities: data stores, then services, runner Jobs last and held there. */
import { app, APPS, DATA_STORES, RUNS, envOf, key, named, podSpec } from "./support";

const CLASS = (name: string) => `\${kubernetes_priority_class_v1.${key(app, "kubernetes_priority_class_v1", name)}.metadata[0].name}`;

test.each(DATA_STORES)("%s: the data stores' PriorityClass, the highest (its pod can only run in its volume's zone)", (store) => {
  expect(podSpec(named(app, "kubernetes_stateful_set_v1", store)).priority_class_name).toBe(CLASS("attractor-factory-data-stores"));
});

test.each(APPS)("%s: the services' PriorityClass, below the data stores'", (name) => {
  expect(podSpec(named(app, "kubernetes_deployment_v1", name)).priority_class_name).toBe(CLASS("attractor-factory-services"));
  const value = (n: string) => named(app, "kubernetes_priority_class_v1", n).value;
  expect(value("attractor-factory-services")).toBeLessThan(value("attractor-factory-data-stores"));
});

test("the runner controller is told the runners' class (FACTORY_RUNNER_PRIORITY_CLASS), the lowest, never preempting", () => {
  expect(envOf(named(app, "kubernetes_deployment_v1", "factory-runner-controller")).FACTORY_RUNNER_PRIORITY_CLASS).toBe(CLASS("attractor-factory-runners"));
  const runners = named(app, "kubernetes_priority_class_v1", "attractor-factory-runners");
  expect(runners.preemption_policy).toBe("Never");
  expect(runners.value).toBeLessThan(0);
});

test("the runner namespace admits pods of the runners' class only (a Job cannot raise itself)", () => {
  const quota = named(app, "kubernetes_resource_quota_v1", "runner-priority");
  expect(quota.metadata.namespace).toBe(RUNS);
  expect(quota.spec).toEqual({
    hard: { pods: "0" },
    scope_selector: { match_expression: [{ scope_name: "PriorityClass", operator: "NotIn", values: [CLASS("attractor-factory-runners")] }] },
  });
});
