"""Tests patches/ec2_launch_template_tag_specifications.py: the launch template's own tags, which
moto 5.2.1 copied into its data (perpetual diff).
"""
from __future__ import annotations

import unittest

from .support import server


class Ec2LaunchTemplateTagSpecificationsTest(unittest.TestCase):
    def test_ec2_launch_template_tag_specifications(self) -> None:
        # Without the patch the launch-template's own tags showed up as an
        # extra LaunchTemplateData.TagSpecifications entry (ResourceType
        # "launch-template"), a perpetual diff on aws_launch_template.
        ec2 = server().client("ec2")
        lt = ec2.create_launch_template(
            LaunchTemplateName="nodes",
            TagSpecifications=[{"ResourceType": "launch-template",
                                "Tags": [{"Key": "Project", "Value": "x"}]}],
            LaunchTemplateData={
                "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 2},
                "TagSpecifications": [{"ResourceType": "instance",
                                       "Tags": [{"Key": "Name", "Value": "node"}]}]})["LaunchTemplate"]
        data = ec2.describe_launch_template_versions(
            LaunchTemplateId=lt["LaunchTemplateId"])["LaunchTemplateVersions"][0]["LaunchTemplateData"]
        self.assertEqual(data["TagSpecifications"],
                         [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "node"}]}])
        described = ec2.describe_launch_templates(LaunchTemplateIds=[lt["LaunchTemplateId"]])
        self.assertEqual(described["LaunchTemplates"][0]["Tags"], [{"Key": "Project", "Value": "x"}])
