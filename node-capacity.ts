/**
 * Typed access to node-capacity.yaml: what a node of each instance type can allocate to pods, and
 * what the EKS managed add-ons run on every node. Used by the runner namespace (no container larger
 * than a node) and by the capacity check (scripts/lib/capacity.ts, npm run capacity).
 */
import { readFileSync } from "fs";
import * as path from "path";
import { parse } from "yaml";

export interface NodeType {
  readonly vcpu: number;
  readonly memoryMiB: number;
  readonly maxPods: number;
}

export interface SystemPod {
  readonly name: string;
  readonly replicas?: number;
  readonly cpu: string;
  readonly memory: string;
}

export interface CapacityTable {
  readonly instanceTypes: Readonly<Record<string, NodeType>>;
  readonly perNode: readonly SystemPod[];
  readonly perCluster: readonly SystemPod[];
}

export interface Requests {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

export const CAPACITY_FILE = path.join(__dirname, "node-capacity.yaml");

export function loadCapacityTable(file = CAPACITY_FILE): CapacityTable {
  return parse(readFileSync(file, "utf8")) as CapacityTable;
}

/** CPU quantity ("250m", "1", "0.5") in millicores. */
export function cpuMillis(q: string | number): number {
  const s = String(q);
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(s);
  if (!m) throw new Error(`not a CPU quantity: "${s}"`);
  return m[2] ? Number(m[1]) : Math.round(Number(m[1]) * 1000);
}

/** Memory quantity ("512Mi", "1Gi", "0Mi") in MiB. */
export function memoryMiB(q: string | number): number {
  const m = /^(\d+(?:\.\d+)?)(Mi|Gi|Ti)$/.exec(String(q));
  if (!m) throw new Error(`not a memory quantity in Mi, Gi or Ti: "${q}"`);
  return Number(m[1]) * { Mi: 1, Gi: 1024, Ti: 1024 * 1024 }[m[2] as "Mi" | "Gi" | "Ti"];
}

/** What the kubelet of the EKS AMI leaves to pods on a node of this type. */
export function allocatable(t: NodeType): Requests {
  const cores = [60, 10, 5, 5]; // reserved millicores of cores 1-4; 2.5 each beyond
  let reservedCpu = 0;
  for (let core = 0; core < t.vcpu; core++) reservedCpu += cores[core] ?? 2.5;
  const kernel = Math.ceil(t.memoryMiB * 0.04);
  return { cpuMillis: Math.floor(t.vcpu * 1000 - reservedCpu), memoryMiB: t.memoryMiB - kernel - (11 * t.maxPods + 255) - 100 };
}

/**
 * The most one pod can request and still fit a node of any of `instanceTypes` next to the
 * add-ons every node runs; undefined when the table does not know one of the types.
 */
export function podRoom(instanceTypes: readonly string[], table: CapacityTable = loadCapacityTable()): Requests | undefined {
  const daemons = table.perNode.reduce((t, p) => ({ cpuMillis: t.cpuMillis + cpuMillis(p.cpu), memoryMiB: t.memoryMiB + memoryMiB(p.memory) }), {
    cpuMillis: 0,
    memoryMiB: 0,
  });
  const rooms = instanceTypes.map((t) => (table.instanceTypes[t] ? allocatable(table.instanceTypes[t]) : undefined));
  if (rooms.some((r) => r === undefined)) return undefined;
  return {
    cpuMillis: Math.min(...rooms.map((r) => r!.cpuMillis)) - daemons.cpuMillis,
    memoryMiB: Math.min(...rooms.map((r) => r!.memoryMiB)) - daemons.memoryMiB,
  };
}
