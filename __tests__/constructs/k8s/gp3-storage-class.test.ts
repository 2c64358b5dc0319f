/** Gp3StorageClass: an encrypted gp3 EBS StorageClass, bound where the pod runs, expandable. */
import { Gp3StorageClass, Gp3StorageClassProps, tagSpecifications } from "../../../constructs/k8s/gp3-storage-class";
import { kubernetesStack, only, synth, TfJson } from "../support";

function build(overrides: Partial<Gp3StorageClassProps> = {}): TfJson {
  const stack = kubernetesStack();
  new Gp3StorageClass(stack, "sc", { name: "gp3", ...overrides });
  return only(synth(stack), "kubernetes_storage_class_v1");
}

test("Gp3StorageClass: encrypted gp3 ext4 volumes of the EBS CSI driver", () => {
  const sc = build();
  expect(sc.metadata.name).toBe("gp3");
  expect(sc.storage_provisioner).toBe("ebs.csi.aws.com");
  expect(sc.parameters).toEqual({ type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" });
});

test("Gp3StorageClass: volumes are created where the pod is scheduled (WaitForFirstConsumer) and can grow in place", () => {
  const sc = build();
  expect(sc.volume_binding_mode).toBe("WaitForFirstConsumer");
  expect(sc.allow_volume_expansion).toBe(true);
});

test("Gp3StorageClass: not the default class and volumes deleted with their claims, by default", () => {
  const sc = build();
  expect(sc.metadata.annotations).toEqual({ "storageclass.kubernetes.io/is-default-class": "false" });
  expect(sc.reclaim_policy).toBe("Delete");
});

test("Gp3StorageClass: isDefault marks the cluster's default class; reclaimPolicy Retain keeps the volume", () => {
  const sc = build({ isDefault: true, reclaimPolicy: "Retain" });
  expect(sc.metadata.annotations["storageclass.kubernetes.io/is-default-class"]).toBe("true");
  expect(sc.reclaim_policy).toBe("Retain");
});

test("Gp3StorageClass: volumeTags become the driver's tagSpecification_N parameters", () => {
  expect(build({ volumeTags: { "attractor-factory/backup": "daily", Team: "platform" } }).parameters).toMatchObject({
    tagSpecification_1: "attractor-factory/backup=daily",
    tagSpecification_2: "Team=platform",
  });
  expect(tagSpecifications({})).toEqual({});
});
