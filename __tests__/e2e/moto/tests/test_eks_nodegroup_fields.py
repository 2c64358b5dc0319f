"""Tests patches/eks_nodegroup_fields.py: the CreateNodegroup/DescribeNodegroup fields moto 5.2.1
drops or invents.
"""
from __future__ import annotations

import unittest

from .support import ACCOUNT, new_cluster, server


class EksNodegroupFieldsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.eks = server().client("eks")
        self.ec2 = server().client("ec2")

    def test_eks_nodegroup_fields(self) -> None:
        # Without the patch DescribeNodegroup returned remoteAccess
        # {"ec2SshKey": "eksKeypair"} that was never requested, no updateConfig,
        # diskSize "20" despite the launch template, and version "1.19".
        name, _, subnets = new_cluster(self.eks, self.ec2)
        lt = self.ec2.create_launch_template(LaunchTemplateName=f"{name}-lt", LaunchTemplateData={
            "MetadataOptions": {"HttpTokens": "required"}})["LaunchTemplate"]
        self.eks.create_nodegroup(
            clusterName=name, nodegroupName="ng", nodeRole=f"arn:aws:iam::{ACCOUNT}:role/node",
            subnets=subnets, amiType="AL2023_x86_64_STANDARD",
            scalingConfig={"minSize": 2, "desiredSize": 2, "maxSize": 6},
            updateConfig={"maxUnavailable": 1},
            launchTemplate={"id": lt["LaunchTemplateId"], "version": "1"})
        ng = self.eks.describe_nodegroup(clusterName=name, nodegroupName="ng")["nodegroup"]
        self.assertNotIn("remoteAccess", ng)
        self.assertNotIn("remoteAccessSecurityGroup", ng["resources"])
        self.assertEqual(ng["updateConfig"], {"maxUnavailable": 1})
        self.assertNotIn("diskSize", ng)
        self.assertEqual(ng["version"], "1.31")
        self.assertEqual(ng["launchTemplate"]["id"], lt["LaunchTemplateId"])
        self.assertEqual(ng["amiType"], "AL2023_x86_64_STANDARD")
        # updateConfig defaults to maxUnavailable=1 when omitted.
        self.eks.create_nodegroup(clusterName=name, nodegroupName="ng2", subnets=subnets,
                                  nodeRole=f"arn:aws:iam::{ACCOUNT}:role/node")
        ng2 = self.eks.describe_nodegroup(clusterName=name, nodegroupName="ng2")["nodegroup"]
        self.assertEqual(ng2["updateConfig"], {"maxUnavailable": 1})
