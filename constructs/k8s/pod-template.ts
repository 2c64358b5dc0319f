/**
 * Building blocks shared by every pod the app stack runs (Deployments and StatefulSets), so that
 * each workload meets the namespace's `restricted` Pod Security profile the same way.
 */

/** Labels every object of the factory carries; `app.kubernetes.io/name` also selects pods. */
export function standardLabels(name: string, component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": "attractor-factory",
    "app.kubernetes.io/managed-by": "cdktf",
  };
}

/** The label subset that selects a workload's pods (stable: selectors are immutable). */
export function selectorLabels(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": name };
}

/** An environment variable: a literal (never a secret) or a key of a Secret. */
export type EnvVar =
  { readonly name: string; readonly value: string } | { readonly name: string; readonly secret: { readonly name: string; readonly key: string } };

export function toContainerEnv(env: readonly EnvVar[]) {
  return env.map((e) =>
    "secret" in e ? { name: e.name, valueFrom: { secretKeyRef: { name: e.secret.name, key: e.secret.key } } } : { name: e.name, value: e.value },
  );
}

/** How a probe checks the container. */
export type ProbeCheck =
  { readonly httpGet: { readonly path: string; readonly port: string } } | { readonly exec: readonly string[] } | { readonly tcpPort: string };

export interface ProbeTiming {
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
}

export function toProbe(check: ProbeCheck, timing: ProbeTiming = {}) {
  const handler =
    "httpGet" in check
      ? { httpGet: { path: check.httpGet.path, port: check.httpGet.port } }
      : "exec" in check
        ? { exec: { command: [...check.exec] } }
        : { tcpSocket: [{ port: check.tcpPort }] };
  return { periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3, ...timing, ...handler };
}

export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Unix identity of a pod. */
export interface RunAs {
  readonly user: number;
  readonly group: number;
  /**
   * Group that owns mounted volumes (so a non-root process can write its data volume).
   * @default group
   */
  readonly fsGroup?: number;
}

/** Pod-level security context: non-root identity, RuntimeDefault seccomp. */
export function podSecurityContext(runAs: RunAs) {
  return {
    runAsNonRoot: true,
    runAsUser: String(runAs.user),
    runAsGroup: String(runAs.group),
    fsGroup: String(runAs.fsGroup ?? runAs.group),
    // Only chown a volume when its root does not already match (big volumes mount fast).
    fsGroupChangePolicy: "OnRootMismatch",
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Container-level security context of the restricted profile. */
export function containerSecurityContext(readOnlyRootFilesystem = true) {
  return {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** A writable scratch directory (emptyDir) on a read-only root filesystem. */
export interface ScratchDir {
  readonly mountPath: string;
  /** @default "1Gi" */
  readonly sizeLimit?: string;
  /** "Memory" for tmpfs (e.g. /dev/shm). @default disk */
  readonly medium?: "Memory";
}

function volumeName(mountPath: string): string {
  return `scratch${mountPath.replace(/[^a-z0-9]+/g, "-")}`.replace(/-$/, "");
}

export function scratchVolumes(dirs: readonly ScratchDir[]) {
  return dirs.map((d) => ({ name: volumeName(d.mountPath), emptyDir: { sizeLimit: d.sizeLimit ?? "1Gi", medium: d.medium ?? "" } }));
}

export function scratchMounts(dirs: readonly ScratchDir[]) {
  return dirs.map((d) => ({ name: volumeName(d.mountPath), mountPath: d.mountPath }));
}
