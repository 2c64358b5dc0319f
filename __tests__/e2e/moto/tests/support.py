"""What the launcher tests share: a launcher process and an EKS cluster to test against.

The patch tests all talk to one launcher (`server()`), started on a free port
on first use and stopped by its process id when the test run ends, also when a
test fails. A test that needs other launcher options starts its own `Server`.
"""
from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.config import Config

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # __tests__/e2e/moto
LAUNCHER = os.path.join(HERE, "launcher.py")
ACCOUNT = "582719176192"
REGION = "us-west-2"


def _disabled() -> list[str]:
    """LAUNCHER_TEST_DISABLE=patch1,patch2 runs the suite with those patches
    off, to see the moto 5.2.1 behaviour each test's comment describes."""
    names = [n for n in os.environ.get("LAUNCHER_TEST_DISABLE", "").split(",") if n]
    return [arg for n in names for arg in ("--disable", n)]


class Server:
    """A launcher process, stopped by its own process id."""

    def __init__(self, *args: str) -> None:
        env = dict(os.environ, MOTO_ACCOUNT_ID=ACCOUNT)
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, LAUNCHER, "--port", "0", "--quiet", *args, *_disabled()],
            stdout=subprocess.PIPE, stderr=self.log, env=env, text=True)
        try:
            line = self.proc.stdout.readline().strip()  # first line: PORT=<n>
            if not line.startswith("PORT="):
                raise RuntimeError(f"launcher did not report its port: {line!r}")
            self.port = int(line.split("=", 1)[1])
            self.url = f"http://127.0.0.1:{self.port}"
        except BaseException:
            self.stop()
            raise

    def client(self, service: str, **kw):  # type: ignore[no-untyped-def]
        return boto3.client(
            service, endpoint_url=self.url, region_name=REGION,
            aws_access_key_id="test", aws_secret_access_key="test",
            config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}), **kw)

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        self.log.close()
        return self.proc.returncode


_SHARED: list[Server] = []


def server() -> Server:
    """The launcher the patch tests share (started on first use, stopped at exit)."""
    if not _SHARED:
        _SHARED.append(Server())
        atexit.register(_SHARED[0].stop)
    return _SHARED[0]


def _network(ec2, cidr="10.42.0.0/16"):  # type: ignore[no-untyped-def]
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    base = cidr.split(".")
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"{base[0]}.{base[1]}.{i}.0/24",
                                 AvailabilityZone=f"{REGION}{az}")["Subnet"]["SubnetId"]
               for i, az in enumerate("ab")]
    return vpc, subnets


_COUNTER = [0]


def new_cluster(eks, ec2, **extra):  # type: ignore[no-untyped-def]
    """A new EKS cluster in its own VPC (two subnets): (name, vpc id, subnet ids)."""
    _COUNTER[0] += 1
    name = f"c{_COUNTER[0]}-{int(time.time() * 1000) % 100000}"
    vpc, subnets = _network(ec2, f"10.{40 + _COUNTER[0]}.0.0/16")
    eks.create_cluster(
        name=name, version="1.31",
        roleArn=f"arn:aws:iam::{ACCOUNT}:role/cluster",
        resourcesVpcConfig={"subnetIds": subnets, "endpointPrivateAccess": True,
                            "endpointPublicAccess": True, "publicAccessCidrs": ["0.0.0.0/0"]},
        **extra)
    return name, vpc, subnets
