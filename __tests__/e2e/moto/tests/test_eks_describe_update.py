"""Tests patches/eks_describe_update.py: DescribeUpdate/ListUpdates, which the provider's update
waiters need and moto 5.2.1 lacks.
"""
from __future__ import annotations

import unittest

from botocore.exceptions import ClientError

from .support import ACCOUNT, new_cluster, server


class EksDescribeUpdateTest(unittest.TestCase):
    def setUp(self) -> None:
        self.eks = server().client("eks")
        self.ec2 = server().client("ec2")

    def test_eks_describe_update(self) -> None:
        # Without the patch DescribeUpdate was 404 and UpdateClusterConfig
        # answered without an `update`, so provider waiters failed.
        name, _, subnets = new_cluster(self.eks, self.ec2)
        self.eks.create_nodegroup(clusterName=name, nodegroupName="ng", subnets=subnets,
                                  nodeRole=f"arn:aws:iam::{ACCOUNT}:role/node")
        update = self.eks.update_nodegroup_config(
            clusterName=name, nodegroupName="ng",
            scalingConfig={"minSize": 1, "desiredSize": 1, "maxSize": 3})["update"]
        got = self.eks.describe_update(name=name, updateId=update["id"], nodegroupName="ng")["update"]
        self.assertEqual(got["status"], "Successful")
        cu = self.eks.update_cluster_config(name=name, accessConfig={"authenticationMode": "API_AND_CONFIG_MAP"})
        self.assertEqual(cu["update"]["type"], "AccessConfigUpdate")
        self.assertEqual(self.eks.describe_update(name=name, updateId=cu["update"]["id"])["update"]["status"],
                         "Successful")
        self.assertEqual(self.eks.describe_cluster(name=name)["cluster"]["accessConfig"]["authenticationMode"],
                         "API_AND_CONFIG_MAP")
        self.assertIn(cu["update"]["id"], self.eks.list_updates(name=name)["updateIds"])
        with self.assertRaises(ClientError) as ctx:
            self.eks.describe_update(name=name, updateId="00000000-0000-0000-0000-000000000000")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ResourceNotFoundException")
