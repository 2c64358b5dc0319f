/**
 * Does the platform fit its node groups at full scale? The CPU and memory requests of every pod at
 * its most (api and web at their HPA maximum, the data stores, the runner Jobs' quota, the Helm
 * add-ons, the EKS add-ons) against what FACTORY_NODE_MAX nodes of the smallest configured
 * instance type can allocate. Read from the synthesized Terraform JSON of the app and add-ons
 * stacks, so what is checked is what would be deployed; node-capacity.yaml holds the rest.
 */
import { CAPACITY_FILE, CapacityTable, Requests, allocatable, cpuMillis, loadCapacityTable, memoryMiB, podRoom } from "../../node-capacity";

export { CAPACITY_FILE, allocatable, cpuMillis, loadCapacityTable, memoryMiB } from "../../node-capacity";
export type { CapacityTable, Requests } from "../../node-capacity";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

export interface Line extends Requests {
  /** What, and how many of it (e.g. "factory-api x6 (HPA max)"). */
  readonly what: string;
  /** The runner Jobs' share: they wait (stay Pending) when a zone is lost; the rest must run. */
  readonly runners?: boolean;
}

const sum = (rs: readonly Requests[]): Requests =>
  rs.reduce((t, r) => ({ cpuMillis: t.cpuMillis + r.cpuMillis, memoryMiB: t.memoryMiB + r.memoryMiB }), { cpuMillis: 0, memoryMiB: 0 });

export interface CapacityReport {
  readonly lines: readonly Line[];
  readonly total: Requests;
  readonly instanceType: string;
  readonly nodes: number;
  readonly perNode: Requests;
  readonly allocatable: Requests;
  /** The largest container the runner namespace admits (LimitRange max), and the most one node has room for. */
  readonly largestContainer?: Requests;
  readonly nodeRoom?: Requests;
  readonly fits: boolean;
  /** One zone's node group at its max (the sizes are totals over the zones), and what it must hold alone when the other zones are lost. */
  readonly zone: { readonly zones: number; readonly nodes: number; readonly allocatable: Requests; readonly aloneNeeds: Requests; readonly aloneFits: boolean };
}

const one = (x: unknown): Json => (Array.isArray(x) ? x[0] : (x as Json)) ?? {};
const list = (x: unknown): Json[] => (Array.isArray(x) ? x : x ? [x as Json] : []);

function podRequests(podSpec: Json): Requests {
  let cpu = 0;
  let mem = 0;
  for (const c of list(podSpec.container)) {
    const req = one(one(c.resources).requests);
    if (req.cpu !== undefined) cpu += cpuMillis(req.cpu);
    if (req.memory !== undefined) mem += memoryMiB(req.memory);
  }
  return { cpuMillis: cpu, memoryMiB: mem };
}

function helmRequests(values: Json): { replicas: number; each: Requests } {
  const req = values.resources?.requests ?? {};
  return {
    replicas: Number(values.replicaCount ?? values.replicas ?? 1),
    each: { cpuMillis: req.cpu ? cpuMillis(req.cpu) : 0, memoryMiB: req.memory ? memoryMiB(req.memory) : 0 },
  };
}

const times = (n: number, r: Requests): Requests => ({ cpuMillis: n * r.cpuMillis, memoryMiB: n * r.memoryMiB });

/**
 * The report for the synthesized app and add-ons stacks, on `maxNodes` nodes of the smallest of
 * `instanceTypes` (the autoscaler may add any of them).
 */
export function capacityReport(
  app: Json,
  addons: Json,
  nodeGroup: { readonly instanceTypes: readonly string[]; readonly maxSize: number },
  zones: number,
  table: CapacityTable = loadCapacityTable(),
): CapacityReport {
  const lines: Line[] = [];
  const add = (what: string, r: Requests, runners = false) => lines.push({ what, ...r, ...(runners ? { runners } : {}) });
  const res = app.resource ?? {};

  const hpaMax = new Map<string, number>();
  for (const h of Object.values<Json>(res.kubernetes_horizontal_pod_autoscaler_v2 ?? {})) {
    const spec = one(h.spec);
    // The target's name: a literal, or a reference to the Deployment resource (its key).
    const target = String(one(spec.scale_target_ref).name);
    const ref = /^\$\{kubernetes_deployment_v1\.([^.}]+)\./.exec(target);
    hpaMax.set(ref ? ref[1] : target, Number(spec.max_replicas));
  }
  for (const [key, d] of Object.entries<Json>(res.kubernetes_deployment_v1 ?? {})) {
    const name = one(d.metadata).name;
    const spec = one(d.spec);
    const max = hpaMax.get(key) ?? hpaMax.get(name);
    const n = max ?? Number(spec.replicas ?? 1);
    add(`${name} x${n}${max ? " (HPA max)" : ""}`, times(n, podRequests(one(one(spec.template).spec))));
  }
  for (const s of Object.values<Json>(res.kubernetes_stateful_set_v1 ?? {})) {
    const spec = one(s.spec);
    const n = Number(spec.replicas ?? 1);
    add(`${one(s.metadata).name} x${n}`, times(n, podRequests(one(one(spec.template).spec))));
  }
  for (const q of Object.values<Json>(res.kubernetes_resource_quota_v1 ?? {})) {
    const hard = one(q.spec).hard ?? {};
    if (hard["requests.cpu"] === undefined) continue;
    add(`runner Jobs (quota ${one(q.metadata).name})`, { cpuMillis: cpuMillis(hard["requests.cpu"]), memoryMiB: memoryMiB(hard["requests.memory"]) }, true);
  }
  for (const r of Object.values<Json>(addons.resource?.helm_release ?? {})) {
    const { replicas, each } = helmRequests(JSON.parse(r.values[0]));
    add(`${r.name} x${replicas}`, times(replicas, each));
  }
  for (const p of table.perCluster) {
    const n = p.replicas ?? 1;
    add(`${p.name} x${n}`, times(n, { cpuMillis: cpuMillis(p.cpu), memoryMiB: memoryMiB(p.memory) }));
  }
  const nodes = nodeGroup.maxSize;
  // What must run wherever the nodes are (the runner Jobs can wait), before the per-node pods.
  const mustRun = sum(lines.filter((l) => !l.runners));
  for (const p of table.perNode) add(`${p.name} x${nodes} (every node)`, times(nodes, { cpuMillis: cpuMillis(p.cpu), memoryMiB: memoryMiB(p.memory) }));

  const known = nodeGroup.instanceTypes.map((t) => {
    const type = table.instanceTypes[t];
    if (!type) throw new Error(`${CAPACITY_FILE}: no entry for instance type ${t} (FACTORY_NODE_INSTANCE_TYPES); add its vCPUs, memory and max pods`);
    return { name: t, alloc: allocatable(type) };
  });
  // The autoscaler may add any of the types: count each resource at the least any of them has.
  const perNode = { cpuMillis: Math.min(...known.map((k) => k.alloc.cpuMillis)), memoryMiB: Math.min(...known.map((k) => k.alloc.memoryMiB)) };
  const smallest =
    known.find((k) => k.alloc.cpuMillis === perNode.cpuMillis && k.alloc.memoryMiB === perNode.memoryMiB)?.name ??
    `the smallest of ${known.map((k) => k.name).join(", ")}`;
  const total = sum(lines);
  const all = times(nodes, perNode);
  // One container larger than a node would be admitted and then stay Pending for good.
  const maxes = Object.values<Json>(res.kubernetes_limit_range_v1 ?? {}).flatMap((l) => list(one(l.spec).limit).map((x) => one(x.max)));
  const largestContainer = maxes.length
    ? { cpuMillis: Math.max(...maxes.map((m) => cpuMillis(m.cpu))), memoryMiB: Math.max(...maxes.map((m) => memoryMiB(m.memory))) }
    : undefined;
  const nodeRoom = podRoom(nodeGroup.instanceTypes, table);
  const containerFits =
    !largestContainer || !nodeRoom || (largestContainer.cpuMillis <= nodeRoom.cpuMillis && largestContainer.memoryMiB <= nodeRoom.memoryMiB);
  // A zone alone (the others lost): every pod but the runner Jobs (which wait), on its nodes at max.
  const zoneNodes = nodes / zones;
  const perNodePods = sum(table.perNode.map((p) => ({ cpuMillis: cpuMillis(p.cpu), memoryMiB: memoryMiB(p.memory) })));
  const aloneNeeds = sum([mustRun, times(zoneNodes, perNodePods)]);
  const zoneAlloc = times(zoneNodes, perNode);
  return {
    zone: {
      zones,
      nodes: zoneNodes,
      allocatable: zoneAlloc,
      aloneNeeds,
      aloneFits: aloneNeeds.cpuMillis <= zoneAlloc.cpuMillis && aloneNeeds.memoryMiB <= zoneAlloc.memoryMiB,
    },
    lines,
    total,
    instanceType: smallest,
    nodes,
    perNode,
    allocatable: all,
    largestContainer,
    nodeRoom,
    fits: total.cpuMillis <= all.cpuMillis && total.memoryMiB <= all.memoryMiB && containerFits,
  };
}

/** The report as a table, its last line the verdict. */
export function formatCapacity(r: CapacityReport): string {
  const row = (what: string, cpu: string, mem: string) => `${what.padEnd(56)}${cpu.padStart(10)}${mem.padStart(12)}`;
  const cpu = (m: number) => `${(m / 1000).toFixed(2)}`;
  const mem = (m: number) => `${(m / 1024).toFixed(2)} GiB`;
  return [
    row("requests at full scale", "vCPU", "memory"),
    ...r.lines.map((l) => row(l.what, cpu(l.cpuMillis), mem(l.memoryMiB))),
    row("total", cpu(r.total.cpuMillis), mem(r.total.memoryMiB)),
    row(
      `allocatable: ${r.nodes} x ${r.instanceType} (${cpu(r.perNode.cpuMillis)} vCPU, ${mem(r.perNode.memoryMiB)} each)`,
      cpu(r.allocatable.cpuMillis),
      mem(r.allocatable.memoryMiB),
    ),
    ...(r.largestContainer && r.nodeRoom
      ? [
          row("largest runner container (LimitRange max)", cpu(r.largestContainer.cpuMillis), mem(r.largestContainer.memoryMiB)),
          row("room for one pod on a node (beside the add-ons)", cpu(r.nodeRoom.cpuMillis), mem(r.nodeRoom.memoryMiB)),
        ]
      : []),
    row(`one zone's node group at max: ${r.zone.nodes} of ${r.nodes} nodes`, cpu(r.zone.allocatable.cpuMillis), mem(r.zone.allocatable.memoryMiB)),
    row(`a zone alone, all but runner Jobs: ${r.zone.aloneFits ? "fits" : "DOES NOT FIT"}`, cpu(r.zone.aloneNeeds.cpuMillis), mem(r.zone.aloneNeeds.memoryMiB)),
    r.largestContainer && r.nodeRoom && (r.largestContainer.cpuMillis > r.nodeRoom.cpuMillis || r.largestContainer.memoryMiB > r.nodeRoom.memoryMiB)
      ? `does not fit: a runner container may request ${cpu(r.largestContainer.cpuMillis)} vCPU and ${mem(r.largestContainer.memoryMiB)}, more than one ${r.instanceType} node has room for (it would stay Pending)`
      : r.fits
        ? `fits: ${Math.round((100 * r.total.cpuMillis) / r.allocatable.cpuMillis)}% of the CPU and ${Math.round((100 * r.total.memoryMiB) / r.allocatable.memoryMiB)}% of the memory of FACTORY_NODE_MAX=${r.nodes} nodes`
        : `does not fit: ${cpu(r.total.cpuMillis)} vCPU and ${mem(r.total.memoryMiB)} requested, ${r.nodes} x ${r.instanceType} allocate ${cpu(r.allocatable.cpuMillis)} vCPU and ${mem(r.allocatable.memoryMiB)} (raise FACTORY_NODE_MAX, pick a larger type, or lower FACTORY_MAX_REPLICAS or the runner quota)`,
  ].join("\n");
}
