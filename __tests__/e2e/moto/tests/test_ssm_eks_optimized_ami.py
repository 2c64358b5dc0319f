"""Tests patches/ssm_eks_optimized_ami.py: the EKS-optimized AMI's public parameters, which moto
5.2.1 does not serve (ParameterNotFound).
"""
from __future__ import annotations

import unittest

from botocore.exceptions import ClientError

from .support import server

NAME = "/aws/service/eks/optimized-ami/{}/amazon-linux-2023/x86_64/standard/recommended/{}"


class SsmEksOptimizedAmiTest(unittest.TestCase):
    def test_recommended_release_of_a_minor(self) -> None:
        ssm = server().client("ssm")
        value = ssm.get_parameter(Name=NAME.format("1.35", "release_version"))["Parameter"]["Value"]
        self.assertEqual(value, "1.35.7-20260827")
        image = ssm.get_parameter(Name=NAME.format("1.36", "image_id"))["Parameter"]["Value"]
        self.assertRegex(image, r"^ami-[0-9a-f]{17}$")

    def test_a_minor_without_an_ami_is_not_found(self) -> None:
        ssm = server().client("ssm")
        with self.assertRaises(ClientError) as e:
            ssm.get_parameter(Name=NAME.format("1.20", "release_version"))
        self.assertEqual(e.exception.response["Error"]["Code"], "ParameterNotFound")

    def test_other_public_parameters_still_load(self) -> None:
        ssm = server().client("ssm")
        ssm.get_parameter(Name=NAME.format("1.35", "release_version"))
        regions = ssm.get_parameters_by_path(Path="/aws/service/global-infrastructure/regions")
        self.assertTrue(regions["Parameters"])
