import { Construct } from "constructs";
import { EnvVar } from "./pod-template";
import { StatefulDataStore } from "./stateful-data-store";

/** One value per data store. */
export interface DataStoreSizes {
  readonly postgres: string;
  readonly redis: string;
  readonly minio: string;
}

export interface FactoryDataStoresProps {
  /** The namespace the stores run in (the services'). */
  readonly namespace: string;
  /** Volume sizes (config: FACTORY_POSTGRES_STORAGE, _REDIS_STORAGE, _MINIO_STORAGE). */
  readonly sizes: DataStoreSizes;
  /** Container image of each store, pinned by digest or tag (versions.yaml `images`). */
  readonly images: Readonly<Record<keyof DataStoreSizes, string>>;
  /** A StorageClass whose reclaim policy is Retain, so the data outlives its claim. */
  readonly storageClassName: string;
  /**
   * PriorityClass of the stores' pods (the highest of the factory's: a store can only run in its volume's zone).
   * @default none (priority 0)
   */
  readonly priorityClassName?: string;
}

/** The Redis config file (a key of its credentials Secret) that holds `requirepass`. */
export const REDIS_AUTH_FILE = "auth.conf";

/**
 * The factory's in-cluster data plane (spec: "Runtime data plane"): Postgres, Redis and MinIO,
 * each a StatefulDataStore at the image it is given (the stacks pass versions.yaml's pins), with what differs between them
 * (user ids, writable directories, probes, client settings) stated here.
 */
export class FactoryDataStores extends Construct {
  readonly postgres: StatefulDataStore;
  readonly redis: StatefulDataStore;
  readonly minio: StatefulDataStore;
  /** Connection settings of all three, for the services that use them. */
  readonly clientEnv: EnvVar[];

  constructor(scope: Construct, id: string, props: FactoryDataStoresProps) {
    super(scope, id);

    this.postgres = new StatefulDataStore(this, "postgres", {
      namespace: props.namespace,
      image: props.images.postgres,
      port: 5432,
      runAs: { user: 70, group: 70 },
      dataPath: "/var/lib/postgresql/data",
      storageSize: props.sizes.postgres,
      storageClassName: props.storageClassName,
      priorityClassName: props.priorityClassName,
      credentials: { literals: { username: "factory", database: "factory" }, generated: { password: {} } },
      env: [
        // A subdirectory: the volume's root holds lost+found, which initdb refuses.
        { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
        { name: "POSTGRES_USER", secretKey: "username" },
        { name: "POSTGRES_PASSWORD", secretKey: "password" },
        { name: "POSTGRES_DB", secretKey: "database" },
      ],
      scratchDirs: [
        { mountPath: "/tmp" },
        { mountPath: "/var/run/postgresql", sizeLimit: "16Mi" },
        // Parallel queries use POSIX shared memory; the container default is 64 MiB.
        { mountPath: "/dev/shm", medium: "Memory", sizeLimit: "256Mi" },
      ],
      readiness: { exec: ["sh", "-c", 'pg_isready -h 127.0.0.1 -p 5432 -U "$POSTGRES_USER" -d "$POSTGRES_DB"'] },
      liveness: { tcpPort: "postgres" },
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
      clientEnv: ({ host, port, secretName }) => [
        { name: "POSTGRES_HOST", value: host },
        { name: "POSTGRES_PORT", value: String(port) },
        { name: "POSTGRES_DB", secret: { name: secretName, key: "database" } },
        { name: "POSTGRES_USER", secret: { name: secretName, key: "username" } },
        { name: "POSTGRES_PASSWORD", secret: { name: secretName, key: "password" } },
      ],
    });

    this.redis = new StatefulDataStore(this, "redis", {
      namespace: props.namespace,
      image: props.images.redis,
      port: 6379,
      runAs: { user: 999, group: 1000 },
      dataPath: "/data",
      storageSize: props.sizes.redis,
      storageClassName: props.storageClassName,
      priorityClassName: props.priorityClassName,
      // The password is in a config file built from the Secret (redis-server's first argument),
      // not on its command line, where any process of the node could read it.
      credentials: { generated: { password: {} }, derived: { [REDIS_AUTH_FILE]: (g) => `requirepass ${g.password}\n` } },
      credentialFiles: { mountPath: "/etc/redis", keys: [REDIS_AUTH_FILE] },
      args: ["redis-server", `/etc/redis/${REDIS_AUTH_FILE}`, "--appendonly", "yes", "--dir", "/data"],
      env: [
        // redis-cli (the probe) reads its password from here, not from its command line.
        { name: "REDISCLI_AUTH", secretKey: "password" },
      ],
      readiness: { exec: ["sh", "-c", "redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG"] },
      liveness: { tcpPort: "redis" },
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
      clientEnv: ({ host, port, secretName }) => [
        { name: "REDIS_HOST", value: host },
        { name: "REDIS_PORT", value: String(port) },
        { name: "REDIS_PASSWORD", secret: { name: secretName, key: "password" } },
      ],
    });

    this.minio = new StatefulDataStore(this, "minio", {
      namespace: props.namespace,
      image: props.images.minio,
      port: 9000,
      runAs: { user: 1000, group: 1000 },
      dataPath: "/data",
      storageSize: props.sizes.minio,
      storageClassName: props.storageClassName,
      priorityClassName: props.priorityClassName,
      credentials: { generated: { "root-user": { length: 20, special: false }, "root-password": { length: 40 } } },
      // Certificates dir on scratch space: the default (~/.minio/certs) is on the read-only root.
      args: ["server", "/data", "--address", ":9000", "--certs-dir", "/tmp/certs"],
      env: [
        { name: "MINIO_ROOT_USER", secretKey: "root-user" },
        { name: "MINIO_ROOT_PASSWORD", secretKey: "root-password" },
        { name: "MINIO_BROWSER", value: "off" },
        { name: "HOME", value: "/tmp" },
      ],
      readiness: { httpGet: { path: "/minio/health/ready", port: "minio" } },
      liveness: { httpGet: { path: "/minio/health/live", port: "minio" } },
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
      clientEnv: ({ host, port, secretName }) => [
        { name: "MINIO_ENDPOINT", value: `http://${host}:${port}` },
        { name: "MINIO_ACCESS_KEY", secret: { name: secretName, key: "root-user" } },
        { name: "MINIO_SECRET_KEY", secret: { name: secretName, key: "root-password" } },
      ],
    });

    this.clientEnv = [...this.postgres.clientEnv, ...this.redis.clientEnv, ...this.minio.clientEnv];
  }
}
