"""Tests patches/eks_tags_all_resources.py: tagging EKS node groups and add-ons, which moto 5.2.1
could not find.
"""
from __future__ import annotations

import unittest

from .support import ACCOUNT, new_cluster, server


class EksTagsAllResourcesTest(unittest.TestCase):
    def setUp(self) -> None:
        self.eks = server().client("eks")
        self.ec2 = server().client("ec2")

    def test_eks_tags_all_resources(self) -> None:
        # Without the patch TagResource on a node group / addon ARN was NotFound.
        name, _, subnets = new_cluster(self.eks, self.ec2)
        ng = self.eks.create_nodegroup(clusterName=name, nodegroupName="ng", subnets=subnets,
                                       nodeRole=f"arn:aws:iam::{ACCOUNT}:role/node")["nodegroup"]
        addon = self.eks.create_addon(clusterName=name, addonName="vpc-cni")["addon"]
        for arn in (ng["nodegroupArn"], addon["addonArn"]):
            self.eks.tag_resource(resourceArn=arn, tags={"Project": "x"})
            self.assertEqual(self.eks.list_tags_for_resource(resourceArn=arn)["tags"], {"Project": "x"})
            self.eks.untag_resource(resourceArn=arn, tagKeys=["Project"])
            self.assertEqual(self.eks.list_tags_for_resource(resourceArn=arn)["tags"], {})
