"""Tests patches/eks_access_entries.py: the EKS access-entry and access-policy operations moto
5.2.1 has no route for.
"""
from __future__ import annotations

import unittest

from botocore.exceptions import ClientError

from .support import ACCOUNT, REGION, new_cluster, server


class EksAccessEntriesTest(unittest.TestCase):
    def setUp(self) -> None:
        self.eks = server().client("eks")
        self.ec2 = server().client("ec2")

    def test_eks_access_entries(self) -> None:
        # Without the patch every access-entry / access-policy operation is 404.
        name, _, _ = new_cluster(self.eks, self.ec2,
                              accessConfig={"authenticationMode": "API",
                                            "bootstrapClusterCreatorAdminPermissions": False})
        principal = f"arn:aws:iam::{ACCOUNT}:role/admin"
        entry = self.eks.create_access_entry(clusterName=name, principalArn=principal)["accessEntry"]
        self.assertRegex(entry["accessEntryArn"],
                         rf"^arn:aws:eks:{REGION}:{ACCOUNT}:access-entry/{name}/role/{ACCOUNT}/admin/[0-9a-f-]{{36}}$")
        got = self.eks.describe_access_entry(clusterName=name, principalArn=principal)["accessEntry"]
        self.assertEqual(got["type"], "STANDARD")
        self.assertEqual(got["kubernetesGroups"], [])
        self.assertEqual(got["username"], f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/{{{{SessionName}}}}")
        self.assertEqual(self.eks.list_access_entries(clusterName=name)["accessEntries"], [principal])
        policy = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
        assoc = self.eks.associate_access_policy(clusterName=name, principalArn=principal,
                                                 policyArn=policy, accessScope={"type": "cluster"})
        self.assertEqual(assoc["associatedAccessPolicy"]["accessScope"], {"type": "cluster", "namespaces": []})
        listed = self.eks.list_associated_access_policies(clusterName=name, principalArn=principal)
        self.assertEqual([p["policyArn"] for p in listed["associatedAccessPolicies"]], [policy])
        self.eks.disassociate_access_policy(clusterName=name, principalArn=principal, policyArn=policy)
        self.assertEqual(self.eks.list_associated_access_policies(
            clusterName=name, principalArn=principal)["associatedAccessPolicies"], [])
        self.eks.delete_access_entry(clusterName=name, principalArn=principal)
        with self.assertRaises(ClientError) as ctx:
            self.eks.describe_access_entry(clusterName=name, principalArn=principal)
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ResourceNotFoundException")
