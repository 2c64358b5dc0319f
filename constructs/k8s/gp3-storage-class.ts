import { Construct } from "constructs";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";

export interface Gp3StorageClassProps {
  /** The StorageClass's name, as claims name it (storageClassName). */
  readonly name: string;
  /**
   * Whether claims without a storageClassName get this class. EKS >= 1.30 marks none default.
   * @default false
   */
  readonly isDefault?: boolean;
  /**
   * What happens to the EBS volume when its claim is deleted.
   * @default "Delete"
   */
  readonly reclaimPolicy?: "Delete" | "Retain";
  /**
   * Tags the EBS CSI driver writes on every volume the class creates (its `tagSpecification_N`
   * parameters), e.g. the tag a backup plan selects by.
   * @default none
   */
  readonly volumeTags?: Readonly<Record<string, string>>;
}

/**
 * An encrypted gp3 EBS StorageClass of the EBS CSI driver (the EKS add-on in the eks stack).
 * Volumes are created where the pod is scheduled (WaitForFirstConsumer: an EBS volume is bound to
 * one AZ) and can be grown in place.
 */
export class Gp3StorageClass extends Construct {
  readonly storageClass: StorageClassV1;

  constructor(scope: Construct, id: string, props: Gp3StorageClassProps) {
    super(scope, id);
    this.storageClass = new StorageClassV1(this, "storage-class", {
      metadata: {
        name: props.name,
        annotations: { "storageclass.kubernetes.io/is-default-class": String(props.isDefault ?? false) },
      },
      storageProvisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4", ...tagSpecifications(props.volumeTags ?? {}) },
      reclaimPolicy: props.reclaimPolicy ?? "Delete",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    });
  }
}

/** The EBS CSI driver's volume tag parameters: tagSpecification_1: "key=value", ... */
export function tagSpecifications(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([key, value], i) => [`tagSpecification_${i + 1}`, `${key}=${value}`]));
}

/** The cluster's two classes: the add-ons stack creates them, the app stack's data stores use one. */
export const STORAGE_CLASSES = {
  /** Default class: scratch volumes go with their claims. */
  scratch: "gp3",
  /**
   * The data stores' class: the EBS volume outlives its claim (recover by rebinding the PV), and
   * carries the backup tag, so that the backup stack's plan backs it up from birth.
   */
  retained: "gp3-retain",
} as const;
