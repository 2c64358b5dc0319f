"""Tests patches/eks_addons.py: the EKS add-on operations moto 5.2.1 has no route for, and
DescribeAddonVersions' catalog.
"""
from __future__ import annotations

import unittest

from botocore.exceptions import ClientError

from .support import ACCOUNT, REGION, new_cluster, server


class EksAddonsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.eks = server().client("eks")
        self.ec2 = server().client("ec2")

    def test_eks_addons(self) -> None:
        # Without the patch CreateAddon/DescribeAddon/... are 404 (no route).
        name, _, _ = new_cluster(self.eks, self.ec2)
        role = f"arn:aws:iam::{ACCOUNT}:role/ebs-csi"
        created = self.eks.create_addon(clusterName=name, addonName="aws-ebs-csi-driver",
                                        serviceAccountRoleArn=role, tags={"a": "b"})["addon"]
        self.assertRegex(created["addonArn"],
                         rf"^arn:aws:eks:{REGION}:{ACCOUNT}:addon/{name}/aws-ebs-csi-driver/[0-9a-f-]{{36}}$")
        addon = self.eks.describe_addon(clusterName=name, addonName="aws-ebs-csi-driver")["addon"]
        self.assertEqual(addon["status"], "ACTIVE")
        self.assertEqual(addon["serviceAccountRoleArn"], role)
        self.assertTrue(addon["addonVersion"].startswith("v"))
        self.assertEqual(addon["tags"], {"a": "b"})
        self.assertIn("createdAt", addon)
        self.eks.create_addon(clusterName=name, addonName="kube-proxy", addonVersion="v1.31.2-eksbuild.3")
        self.assertEqual(sorted(self.eks.list_addons(clusterName=name)["addons"]),
                         ["aws-ebs-csi-driver", "kube-proxy"])
        with self.assertRaises(ClientError) as ctx:
            self.eks.create_addon(clusterName=name, addonName="kube-proxy")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ResourceInUseException")
        update = self.eks.update_addon(clusterName=name, addonName="kube-proxy",
                                       addonVersion="v1.31.3-eksbuild.1")["update"]
        described = self.eks.describe_update(name=name, updateId=update["id"],
                                             addonName="kube-proxy")["update"]
        self.assertEqual(described["status"], "Successful")
        self.assertEqual(self.eks.describe_addon(clusterName=name, addonName="kube-proxy")
                         ["addon"]["addonVersion"], "v1.31.3-eksbuild.1")
        versions = self.eks.describe_addon_versions(kubernetesVersion="1.35", addonName="coredns")
        offered = versions["addons"][0]["addonVersions"]
        self.assertEqual([v["addonVersion"] for v in offered], ["v1.14.3-eksbuild.3", "v1.13.2-eksbuild.11"])
        self.assertEqual([v["compatibilities"][0]["defaultVersion"] for v in offered], [True, False])
        self.assertEqual(offered[0]["compatibilities"][0]["clusterVersion"], "1.35")
        self.eks.delete_addon(clusterName=name, addonName="kube-proxy")
        with self.assertRaises(ClientError) as ctx:
            self.eks.describe_addon(clusterName=name, addonName="kube-proxy")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ResourceNotFoundException")
