import { Construct } from "constructs";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";

export interface Gp3StorageClassProps {
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
      parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
      reclaimPolicy: props.reclaimPolicy ?? "Delete",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    });
  }
}
