"""CreateCluster/DescribeCluster fields moto drops or invents.

- accessConfig: echoed as sent (CreateCluster `accessConfig`); AWS defaults
  are authenticationMode=CONFIG_MAP, bootstrapClusterCreatorAdminPermissions
  =true. moto ignored the parameter, so the provider saw a perpetual diff.
- resourcesVpcConfig.vpcId / clusterSecurityGroupId: EKS creates a real
  security group "eks-cluster-sg-<name>-<digits>" in the subnets' VPC,
  tagged kubernetes.io/cluster/<name>=owned and aws:eks:cluster-name=<name>,
  and deletes it with the cluster. Also the documented defaults for
  endpointPublicAccess (true), endpointPrivateAccess (false),
  publicAccessCidrs (["0.0.0.0/0"]) and securityGroupIds ([]).
- kubernetesNetworkConfig.ipFamily defaults to "ipv4";
  upgradePolicy.supportType defaults to "EXTENDED"; encryptionConfig,
  logging, version round-trip as sent (moto already does this).
"""
from __future__ import annotations

from . import _eks


def apply() -> None:
    ns = _eks.imports()
    R = ns.responses.EKSResponse
    original_create = R.create_cluster
    original_delete = ns.models.EKSBackend.delete_cluster

    def create_cluster(self):  # type: ignore[no-untyped-def]
        result = original_create(self)
        cluster = result.result["cluster"]
        access = self._get_param("accessConfig") or {}
        cluster.access_config = {
            "authenticationMode": access.get("authenticationMode", "CONFIG_MAP"),
            "bootstrapClusterCreatorAdminPermissions":
                access.get("bootstrapClusterCreatorAdminPermissions", True),
        }
        cluster.upgrade_policy = self._get_param("upgradePolicy") or {"supportType": "EXTENDED"}
        if self._get_param("zonalShiftConfig") is not None:
            cluster.zonal_shift_config = self._get_param("zonalShiftConfig")
        knc = dict(cluster.kubernetes_network_config or {})
        knc.setdefault("serviceIpv4Cidr", "172.20.0.0/16")
        knc.setdefault("ipFamily", "ipv4")
        cluster.kubernetes_network_config = knc

        vpc_cfg = dict(cluster.resources_vpc_config or {})
        vpc_cfg.setdefault("securityGroupIds", [])
        vpc_cfg.setdefault("endpointPublicAccess", True)
        vpc_cfg.setdefault("endpointPrivateAccess", False)
        vpc_cfg.setdefault("publicAccessCidrs", ["0.0.0.0/0"])
        subnet_ids = vpc_cfg.get("subnetIds") or []
        if subnet_ids:
            from moto.ec2.models import ec2_backends

            ec2 = ec2_backends[self.current_account][self.region]
            vpc_id = ec2.get_subnet(subnet_ids[0]).vpc_id
            suffix = "".join(str(ns.mock_random.randint(0, 9)) for _ in range(10))
            sg = ec2.create_security_group(
                name=f"eks-cluster-sg-{cluster.name}-{suffix}",
                description="EKS created security group applied to ENI that is "
                "attached to EKS Control Plane master nodes, as well as any "
                "managed workloads.",
                vpc_id=vpc_id,
                tags={f"kubernetes.io/cluster/{cluster.name}": "owned",
                      "aws:eks:cluster-name": cluster.name,
                      "Name": f"eks-cluster-sg-{cluster.name}-{suffix}"},
            )
            vpc_cfg["vpcId"] = vpc_id
            vpc_cfg["clusterSecurityGroupId"] = sg.id
        cluster.resources_vpc_config = vpc_cfg
        return result

    def delete_cluster(self, name):  # type: ignore[no-untyped-def]
        cluster = original_delete(self, name)
        sg_id = (cluster.resources_vpc_config or {}).get("clusterSecurityGroupId")
        if sg_id:
            from moto.ec2.models import ec2_backends

            try:
                ec2_backends[self.account_id][self.region_name].delete_security_group(
                    group_id=sg_id)
            except Exception:  # already gone
                pass
        return cluster

    R.create_cluster = create_cluster
    ns.models.EKSBackend.delete_cluster = delete_cluster
