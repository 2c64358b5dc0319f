/**
 * Issue "nodes that scale": the sum of every pod's requests at full scale (api and web at their HPA
 * maximum, data stores, the runner Jobs' quota, the Helm add-ons, the EKS add-ons on every node)
 * fits FACTORY_NODE_MAX nodes of the configured instance type, and the check fails when it does not.
 */
import { synthPlatform, testConfig } from "./helpers";
import { allocatable, capacityReport, cpuMillis, formatCapacity, loadCapacityTable, memoryMiB } from "../scripts/lib/capacity";

function report(env: Record<string, string> = {}) {
  const json = synthPlatform(env);
  return capacityReport(json.app, json.addons, testConfig(env).nodeGroup, 2);
}

describe("capacity at full scale", () => {
  const defaults = report();

  test("every workload is counted: api and web at their HPA maximum, the controller, the stores, the runner quota, each Helm add-on, the EKS add-ons", () => {
    const what = defaults.lines.map((l) => l.what);
    for (const expected of [
      "factory-api x6 (HPA max)",
      "factory-web x6 (HPA max)",
      "factory-runner-controller x1",
      "postgres x1",
      "redis x1",
      "minio x1",
      "runner Jobs (quota runner-jobs)",
      "aws-load-balancer-controller x2",
      "cluster-autoscaler x1",
      "metrics-server x2",
      "coredns x2",
      "kube-proxy x6 (every node)",
    ]) {
      expect(what).toContain(expected);
    }
  });

  test("the defaults fit FACTORY_NODE_MAX (6) m6i.large nodes", () => {
    expect(defaults.instanceType).toBe("m6i.large");
    expect(defaults.nodes).toBe(6);
    expect(formatCapacity(defaults)).toMatch(/^fits: \d+% of the CPU and \d+% of the memory of FACTORY_NODE_MAX=6 nodes$/m);
    expect(defaults.fits).toBe(true);
  });

  test("per zone: one zone's group holds half the nodes, and alone holds every pod but the runner Jobs (survives a zone loss)", () => {
    expect(defaults.zone.nodes).toBe(3);
    expect(defaults.zone.allocatable).toEqual({ cpuMillis: 3 * defaults.perNode.cpuMillis, memoryMiB: 3 * defaults.perNode.memoryMiB });
    const runners = defaults.lines.find((l) => l.what.startsWith("runner Jobs"))!;
    expect(defaults.zone.aloneNeeds.cpuMillis).toBeLessThan(defaults.total.cpuMillis - runners.cpuMillis);
    expect(defaults.zone.aloneFits).toBe(true);
    expect(formatCapacity(defaults)).toMatch(/^a zone alone, all but runner Jobs: fits +\d/m);
    const tight = report({ FACTORY_NODE_MIN: "2", FACTORY_NODE_DESIRED: "2", FACTORY_NODE_MAX: "2" });
    expect(tight.zone.aloneFits).toBe(false);
    expect(formatCapacity(tight)).toMatch(/^a zone alone, all but runner Jobs: DOES NOT FIT/m);
  });

  test("too few nodes for the HPAs' maximum does not fit, and says what to change", () => {
    const small = report({ FACTORY_NODE_MIN: "2", FACTORY_NODE_DESIRED: "2", FACTORY_NODE_MAX: "2" });
    expect(small.fits).toBe(false);
    expect(formatCapacity(small).split("\n").pop()).toMatch(
      /^does not fit: .* 2 x m6i\.large allocate 3\.86 vCPU .*raise FACTORY_NODE_MAX, pick a larger type, or lower FACTORY_MAX_REPLICAS or the runner quota\)$/,
    );
  });

  test("a larger runner quota counts in full", () => {
    const more = report({ FACTORY_RUNNER_CPU_MILLICORES: "12000" });
    expect(more.total.cpuMillis - defaults.total.cpuMillis).toBe(8000);
    expect(more.fits).toBe(false);
  });

  test("the largest runner container fits one node; a LimitRange cap larger than a node does not fit", () => {
    expect(defaults.largestContainer).toEqual(defaults.nodeRoom);
    const json = synthPlatform();
    const limits = json.app.resource.kubernetes_limit_range_v1 as Record<string, { spec: { limit: { max: { cpu: string } }[] } }>;
    for (const l of Object.values(limits)) l.spec.limit[0].max.cpu = "3000m";
    const big = capacityReport(json.app, json.addons, testConfig().nodeGroup, 2);
    expect(big.fits).toBe(false);
    expect(formatCapacity(big).split("\n").pop()).toBe(
      "does not fit: a runner container may request 3.00 vCPU and 6.75 GiB, more than one m6i.large node has room for (it would stay Pending)",
    );
  });

  test("an instance type the table does not know is named", () => {
    const json = synthPlatform();
    expect(() => capacityReport(json.app, json.addons, { instanceTypes: ["x9z.huge"], maxSize: 6 }, 2)).toThrow(
      /no entry for instance type x9z\.huge \(FACTORY_NODE_INSTANCE_TYPES\)/,
    );
  });
});

describe("capacity arithmetic", () => {
  test("quantities", () => {
    expect([cpuMillis("250m"), cpuMillis("1"), cpuMillis("0.5")]).toEqual([250, 1000, 500]);
    expect([memoryMiB("512Mi"), memoryMiB("1Gi"), memoryMiB("0Mi"), memoryMiB("1Ti")]).toEqual([512, 1024, 0, 1048576]);
    expect(() => memoryMiB("1G")).toThrow(/not a memory quantity/);
  });

  test("allocatable of an m6i.large: the EKS AMI's kubelet reserve (1.93 vCPU)", () => {
    const a = allocatable(loadCapacityTable().instanceTypes["m6i.large"]);
    expect(a.cpuMillis).toBe(1930);
    expect(a.memoryMiB).toBe(8192 - 328 - (11 * 29 + 255) - 100);
  });
});
