"""Tests patches/eks_cluster_describe_fields.py: the CreateCluster/DescribeCluster fields moto
5.2.1 drops (accessConfig, vpcId, cluster security group).
"""
from __future__ import annotations

import unittest

from botocore.exceptions import ClientError

from .support import ACCOUNT, REGION, new_cluster, server


class EksClusterDescribeFieldsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.eks = server().client("eks")
        self.ec2 = server().client("ec2")

    def test_eks_cluster_describe_fields(self) -> None:
        # Without the patch DescribeCluster had no accessConfig, no vpcId and
        # no clusterSecurityGroupId (and no such security group existed).
        name, vpc, subnets = new_cluster(
            self.eks, self.ec2,
            accessConfig={"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False},
            kubernetesNetworkConfig={"serviceIpv4Cidr": "172.20.0.0/16"},
            encryptionConfig=[{"resources": ["secrets"],
                               "provider": {"keyArn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k"}}],
            logging={"clusterLogging": [{"types": ["api", "audit"], "enabled": True}]})
        cluster = self.eks.describe_cluster(name=name)["cluster"]
        self.assertEqual(cluster["accessConfig"], {"authenticationMode": "API",
                                                   "bootstrapClusterCreatorAdminPermissions": False})
        vpc_cfg = cluster["resourcesVpcConfig"]
        self.assertEqual(vpc_cfg["vpcId"], vpc)
        self.assertEqual(sorted(vpc_cfg["subnetIds"]), sorted(subnets))
        self.assertEqual(vpc_cfg["publicAccessCidrs"], ["0.0.0.0/0"])
        self.assertTrue(vpc_cfg["endpointPrivateAccess"])
        sg = self.ec2.describe_security_groups(GroupIds=[vpc_cfg["clusterSecurityGroupId"]])["SecurityGroups"][0]
        self.assertEqual(sg["VpcId"], vpc)
        self.assertRegex(sg["GroupName"], rf"^eks-cluster-sg-{name}-\d+$")
        tags = {t["Key"]: t["Value"] for t in sg["Tags"]}
        self.assertEqual(tags[f"kubernetes.io/cluster/{name}"], "owned")
        self.assertEqual(tags["aws:eks:cluster-name"], name)
        self.assertEqual(cluster["kubernetesNetworkConfig"]["serviceIpv4Cidr"], "172.20.0.0/16")
        self.assertEqual(cluster["kubernetesNetworkConfig"]["ipFamily"], "ipv4")
        self.assertEqual(cluster["encryptionConfig"][0]["resources"], ["secrets"])
        self.assertEqual(cluster["logging"]["clusterLogging"][0]["types"], ["api", "audit"])
        self.assertEqual(cluster["version"], "1.31")
        self.assertTrue(cluster["platformVersion"].startswith("eks."))
        # Defaults when accessConfig is omitted (AWS: CONFIG_MAP + bootstrap=true).
        other, _, _ = new_cluster(self.eks, self.ec2)
        self.assertEqual(self.eks.describe_cluster(name=other)["cluster"]["accessConfig"],
                         {"authenticationMode": "CONFIG_MAP", "bootstrapClusterCreatorAdminPermissions": True})
        # The cluster security group goes away with the cluster.
        self.eks.delete_cluster(name=name)
        with self.assertRaises(ClientError):
            self.ec2.describe_security_groups(GroupIds=[vpc_cfg["clusterSecurityGroupId"]])
