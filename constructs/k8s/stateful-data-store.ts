import { Construct } from "constructs";
import { StatefulSetV1 } from "@cdktf/provider-kubernetes/lib/stateful-set-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { GeneratedSecret, GeneratedSecretProps, GeneratedValue } from "./generated-secret";
import {
  EnvVar,
  ProbeCheck,
  ProbeTiming,
  Resources,
  RunAs,
  ScratchDir,
  containerSecurityContext,
  podSecurityContext,
  scratchMounts,
  scratchVolumes,
  selectorLabels,
  standardLabels,
  toContainerEnv,
  toProbe,
} from "./pod-template";

export interface StatefulDataStoreProps {
  /** The namespace of the store's StatefulSet, Service and credentials Secret. */
  readonly namespace: string;
  /** Image with its pinned tag (versions.yaml). */
  readonly image: string;
  /** The port clients use; the Service and probes name it after the store. */
  readonly port: number;
  /** The non-root identity of the store's pod (its fsGroup owns the data volume). */
  readonly runAs: RunAs;
  /** Where the data volume is mounted. */
  readonly dataPath: string;
  /** Size of the data volume (config: FACTORY_*_STORAGE); a larger one grows the claim in place (deploy-app). */
  readonly storageSize: string;
  /** StorageClass of the data volume (one whose reclaim policy is Retain). */
  readonly storageClassName: string;
  /**
   * PriorityClass of the pod.
   * @default none (priority 0)
   */
  readonly priorityClassName?: string;
  /**
   * Arguments to the image's entrypoint.
   * @default the image's
   */
  readonly args?: readonly string[];
  /** The credentials Secret: generated keys, fixed non-secret ones, and keys built from the generated. */
  readonly credentials: {
    readonly generated: Readonly<Record<string, GeneratedValue>>;
    readonly literals?: Readonly<Record<string, string>>;
    readonly derived?: GeneratedSecretProps["derived"];
  };
  /**
   * Keys of the credentials Secret mounted as read-only files (mode 0440, the store's group) in
   * `mountPath`: for a secret the store reads from a file, never from its command line (visible
   * in the process list) or environment.
   * @default none
   */
  readonly credentialFiles?: { readonly mountPath: string; readonly keys: readonly string[] };
  /** The container's environment: literals, and keys of the credentials Secret (`secretKey`). */
  readonly env: readonly ({ readonly name: string; readonly value: string } | { readonly name: string; readonly secretKey: string })[];
  /**
   * Writable directories on the read-only root filesystem.
   * @default [/tmp]
   */
  readonly scratchDirs?: readonly ScratchDir[];
  /** How the readiness probe checks the store (every 10 s, from 5 s after start). */
  readonly readiness: ProbeCheck;
  /** How the liveness probe checks the store (every 20 s, from 30 s after start; restarted after 6 failures). */
  readonly liveness: ProbeCheck;
  /** CPU and memory requests and limits of the store's container. */
  readonly resources: Resources;
  /**
   * Client settings (host, port, credentials) that the apps get, in terms of the store's host
   * name, port and credentials Secret name.
   */
  readonly clientEnv: (endpoint: { host: string; port: number; secretName: string }) => EnvVar[];
}

/**
 * A single-replica data store as a StatefulSet: a headless Service (a stable DNS name), one gp3
 * volume from a claim template, generated credentials in a Secret, probes, resources and the
 * restricted security context (non-root, read-only root with scratch dirs, no capabilities).
 * The claim and its EBS volume stay when the StatefulSet is deleted or scaled down.
 */
export class StatefulDataStore extends Construct {
  readonly statefulSet: StatefulSetV1;
  readonly service: ServiceV1;
  readonly credentials: GeneratedSecret;
  /** The pods' name label (app.kubernetes.io/name) and the port they serve on. */
  readonly name: string;
  readonly port: number;
  /** Fully-qualified DNS name of the headless Service. */
  readonly host: string;
  /** Environment variables that connect a client to this store. */
  readonly clientEnv: EnvVar[];

  constructor(scope: Construct, id: string, props: StatefulDataStoreProps) {
    super(scope, id);
    // The id names the StatefulSet, its Service and claims, and the container port, whose name
    // Kubernetes limits to 15 characters (IANA service name): refuse what the API server would.
    if (!/^[a-z](?!.*--)([a-z0-9-]{0,13}[a-z0-9])?$/.test(id)) {
      throw new Error(
        `StatefulDataStore ${JSON.stringify(id)}: the id names the store's objects and port: 1-15 lower-case letters, digits and single -, starting with a letter, not ending with -`,
      );
    }
    const name = id;
    this.name = name;
    this.port = props.port;
    const labels = standardLabels(name, "data-store");
    const selector = selectorLabels(name);
    const portName = name;

    this.credentials = new GeneratedSecret(this, "credentials", {
      name: `${name}-credentials`,
      namespace: props.namespace,
      labels,
      generated: props.credentials.generated,
      literals: props.credentials.literals,
      derived: props.credentials.derived,
    });
    const files = props.credentialFiles;

    this.service = new ServiceV1(this, "service", {
      metadata: { name, namespace: props.namespace, labels },
      spec: {
        // Headless: the name resolves to the pod itself, as StatefulSets expect.
        clusterIp: "None",
        selector,
        port: [{ name: portName, port: props.port, targetPort: portName }],
      },
    });

    const scratch = props.scratchDirs ?? [{ mountPath: "/tmp" }];
    const env: EnvVar[] = props.env.map((e) => ("secretKey" in e ? this.credentials.env(e.name, e.secretKey) : e));

    this.statefulSet = new StatefulSetV1(this, "statefulset", {
      metadata: { name, namespace: props.namespace, labels },
      spec: {
        serviceName: this.service.metadata.name,
        replicas: "1",
        selector: { matchLabels: selector },
        // The claims (and their volumes) outlive the StatefulSet and any scale-down.
        persistentVolumeClaimRetentionPolicy: [{ whenDeleted: "Retain", whenScaled: "Retain" }],
        template: {
          metadata: {
            labels,
            // A single replica on a zonal volume: the cluster autoscaler must not take its node away
            // (it would stop the store until the pod is back).
            annotations: { "cluster-autoscaler.kubernetes.io/safe-to-evict": "false" },
          },
          spec: {
            // Data stores never call the Kubernetes API.
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            priorityClassName: props.priorityClassName,
            securityContext: podSecurityContext(props.runAs),
            terminationGracePeriodSeconds: 60,
            container: [
              {
                name,
                image: props.image,
                args: props.args ? [...props.args] : undefined,
                port: [{ name: portName, containerPort: props.port }],
                env: toContainerEnv(env),
                readinessProbe: toProbe(props.readiness, { initialDelaySeconds: 5, periodSeconds: 10 }),
                // Generous: restarting a store that is slow (recovery, big fsync) makes it worse.
                livenessProbe: toProbe(props.liveness, { initialDelaySeconds: 30, periodSeconds: 20, failureThreshold: 6 } as ProbeTiming),
                resources: { requests: { ...props.resources.requests }, limits: { ...props.resources.limits } },
                securityContext: containerSecurityContext(true),
                volumeMount: [
                  { name: "data", mountPath: props.dataPath },
                  ...scratchMounts(scratch),
                  ...(files ? [{ name: "credentials", mountPath: files.mountPath, readOnly: true }] : []),
                ],
              },
            ],
            volume: [
              ...scratchVolumes(scratch),
              ...(files
                ? [
                    {
                      name: "credentials",
                      secret: { secretName: this.credentials.name, defaultMode: "0440", items: files.keys.map((key) => ({ key, path: key })) },
                    },
                  ]
                : []),
            ],
          },
        },
        volumeClaimTemplate: [
          {
            metadata: { name: "data", labels },
            spec: {
              accessModes: ["ReadWriteOnce"],
              storageClassName: props.storageClassName,
              resources: { requests: { storage: props.storageSize } },
            },
          },
        ],
      },
      // A claim template is immutable: a size change would replace the StatefulSet (the guard stops
      // that). The size applies to a new claim; an existing claim is grown in place by deploy-app
      // (scripts/aws/lib/volumes.sh), which the class allows (allowVolumeExpansion).
      lifecycle: { ignoreChanges: ["spec[0].volume_claim_template[0].spec[0].resources[0].requests"] },
    });

    this.host = `${name}.${props.namespace}.svc.cluster.local`;
    this.clientEnv = props.clientEnv({ host: this.host, port: props.port, secretName: this.credentials.name });
  }
}
