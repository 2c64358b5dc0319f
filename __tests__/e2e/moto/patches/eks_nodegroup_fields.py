"""CreateNodegroup/DescribeNodegroup fields moto drops or invents.

- remoteAccess: moto invents {"ec2SshKey": "eksKeypair"} (and a remote
  access security group) when none was requested; AWS returns none, and
  with a launch template remote access cannot even be set. Perpetual diff
  (forces replacement) in aws_eks_node_group.remote_access.
- updateConfig: moto drops the CreateNodegroup `updateConfig`; AWS echoes
  it and defaults to {"maxUnavailable": 1}. Same for nodeRepairConfig.
- diskSize: AWS returns none when a launch template is used (the disk size
  lives in the template); moto returns the string "20".
- version: defaults to the cluster's Kubernetes version (moto: "1.19").
"""
from __future__ import annotations

from . import _eks


def apply() -> None:
    ns = _eks.imports()
    R = ns.responses.EKSResponse
    original_create = R.create_nodegroup

    def create_nodegroup(self):  # type: ignore[no-untyped-def]
        result = original_create(self)
        nodegroup = result.result["nodegroup"]
        cluster = self.eks_backend.clusters[nodegroup.cluster_name]
        remote_access = self._get_param("remoteAccess")
        nodegroup.remote_access = remote_access or None
        if not remote_access:
            nodegroup.resources.pop("remoteAccessSecurityGroup", None)
        nodegroup.update_config = self._get_param("updateConfig") or {"maxUnavailable": 1}
        nodegroup.node_repair_config = self._get_param("nodeRepairConfig")
        if self._get_param("launchTemplate") and not self._get_param("diskSize"):
            nodegroup.disk_size = None
        elif nodegroup.disk_size is not None:
            nodegroup.disk_size = int(nodegroup.disk_size)
        if not self._get_param("version"):
            nodegroup.version = cluster.version
        return result

    R.create_nodegroup = create_nodegroup
