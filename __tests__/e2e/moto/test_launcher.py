"""Tests for launcher.py: one test per patch, against a launched server.

Run: cd /work/main && python3 -m unittest discover -s __tests__/e2e/moto -p 'test_*.py' -v

Each test states (in a comment) how moto 5.2.1 behaved without the patch;
`python3 launcher.py --port 0 --disable <patch>` reproduces it.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
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


SERVER: Server | None = None


def setUpModule() -> None:
    global SERVER
    SERVER = Server()


def tearDownModule() -> None:
    if SERVER is not None:
        SERVER.stop()


def _network(ec2, cidr="10.42.0.0/16"):  # type: ignore[no-untyped-def]
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    base = cidr.split(".")
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"{base[0]}.{base[1]}.{i}.0/24",
                                 AvailabilityZone=f"{REGION}{az}")["Subnet"]["SubnetId"]
               for i, az in enumerate("ab")]
    return vpc, subnets


_COUNTER = [0]


def _cluster(eks, ec2, **extra):  # type: ignore[no-untyped-def]
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


def _listening_addresses(port: int) -> list[str]:
    """Local addresses with a listening TCP socket on `port`, read from /proc (no traffic)."""
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, hexport = local.split(":")
            if state == "0A" and int(hexport, 16) == port:  # 0A = LISTEN
                if width == 8:
                    found.append(socket.inet_ntoa(bytes.fromhex(addr)[::-1]))
                else:
                    found.append(addr)
    return found


class LauncherProcessTest(unittest.TestCase):
    def test_binds_loopback_reports_port_and_exits_on_sigterm(self) -> None:
        server = Server()
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=5):
                pass
            # Bound to 127.0.0.1 only: the kernel's socket table shows no other address.
            self.assertEqual(_listening_addresses(server.port), ["127.0.0.1"])
        finally:
            self.assertEqual(server.stop(), 0)  # SIGTERM => clean exit 0

    def test_outbound_connections_confined_to_loopback(self) -> None:
        # The guard refuses before any packet is sent; 192.0.2.1 (TEST-NET-1) is never reached.
        code = (
            "import socket, launcher; launcher.confine_to_loopback()\n"
            "s = socket.socket()\n"
            "try:\n"
            "    s.connect(('192.0.2.1', 80))\n"
            "except ConnectionRefusedError as e:\n"
            "    print('refused:', e)\n"
        )
        out = subprocess.run([sys.executable, "-c", code], cwd=HERE, capture_output=True, text=True, timeout=30)
        self.assertIn("refused: moto launcher: outbound connection", out.stdout, out.stderr)


class EksTest(unittest.TestCase):
    def setUp(self) -> None:
        self.eks = SERVER.client("eks")
        self.ec2 = SERVER.client("ec2")

    def test_eks_addons(self) -> None:
        # Without the patch CreateAddon/DescribeAddon/... are 404 (no route).
        name, _, _ = _cluster(self.eks, self.ec2)
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

    def test_eks_access_entries(self) -> None:
        # Without the patch every access-entry / access-policy operation is 404.
        name, _, _ = _cluster(self.eks, self.ec2,
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

    def test_eks_cluster_describe_fields(self) -> None:
        # Without the patch DescribeCluster had no accessConfig, no vpcId and
        # no clusterSecurityGroupId (and no such security group existed).
        name, vpc, subnets = _cluster(
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
        other, _, _ = _cluster(self.eks, self.ec2)
        self.assertEqual(self.eks.describe_cluster(name=other)["cluster"]["accessConfig"],
                         {"authenticationMode": "CONFIG_MAP", "bootstrapClusterCreatorAdminPermissions": True})
        # The cluster security group goes away with the cluster.
        self.eks.delete_cluster(name=name)
        with self.assertRaises(ClientError):
            self.ec2.describe_security_groups(GroupIds=[vpc_cfg["clusterSecurityGroupId"]])

    def test_eks_nodegroup_fields(self) -> None:
        # Without the patch DescribeNodegroup returned remoteAccess
        # {"ec2SshKey": "eksKeypair"} that was never requested, no updateConfig,
        # diskSize "20" despite the launch template, and version "1.19".
        name, _, subnets = _cluster(self.eks, self.ec2)
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

    def test_eks_describe_update(self) -> None:
        # Without the patch DescribeUpdate was 404 and UpdateClusterConfig
        # answered without an `update`, so provider waiters failed.
        name, _, subnets = _cluster(self.eks, self.ec2)
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

    def test_eks_tags_all_resources(self) -> None:
        # Without the patch TagResource on a node group / addon ARN was NotFound.
        name, _, subnets = _cluster(self.eks, self.ec2)
        ng = self.eks.create_nodegroup(clusterName=name, nodegroupName="ng", subnets=subnets,
                                       nodeRole=f"arn:aws:iam::{ACCOUNT}:role/node")["nodegroup"]
        addon = self.eks.create_addon(clusterName=name, addonName="vpc-cni")["addon"]
        for arn in (ng["nodegroupArn"], addon["addonArn"]):
            self.eks.tag_resource(resourceArn=arn, tags={"Project": "x"})
            self.assertEqual(self.eks.list_tags_for_resource(resourceArn=arn)["tags"], {"Project": "x"})
            self.eks.untag_resource(resourceArn=arn, tagKeys=["Project"])
            self.assertEqual(self.eks.list_tags_for_resource(resourceArn=arn)["tags"], {})


def _deny_insecure_policy(bucket: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})


class S3Test(unittest.TestCase):
    def test_s3_bucket_policy_secure_transport(self) -> None:
        # Without the patch moto ignored the Bool condition, so this Deny
        # matched every request: PutObject/GetObject returned 403.
        s3 = SERVER.client("s3")
        bucket = "policy-tls"
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_policy(Bucket=bucket, Policy=_deny_insecure_policy(bucket))
        s3.put_object(Bucket=bucket, Key="state", Body=b"{}")  # treated as TLS
        self.assertEqual(s3.get_object(Bucket=bucket, Key="state")["Body"].read(), b"{}")

        # Derived from the real scheme: plain http is denied, https (as told by
        # a TLS-terminating proxy) is allowed, like AWS.
        strict = Server("--no-assume-tls")
        try:
            s3s = strict.client("s3")
            s3s.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
            s3s.put_bucket_policy(Bucket=bucket, Policy=_deny_insecure_policy(bucket))
            with self.assertRaises(ClientError) as ctx:
                s3s.put_object(Bucket=bucket, Key="state", Body=b"{}")
            self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
            s3s.meta.events.register("before-send.s3.*", lambda request, **_: request.headers.__setitem__(
                "X-Forwarded-Proto", "https"))
            s3s.put_object(Bucket=bucket, Key="state", Body=b"{}")
        finally:
            strict.stop()

    def test_s3_delete_version_in_suspended_bucket(self) -> None:
        # Without the patch: DeleteObjects with VersionIds in a Suspended bucket
        # answered HTTP 500 ('FakeDeleteMarker' object has no attribute 'dispose')
        # and ignored the VersionId (dropped every version of the key).
        s3 = SERVER.client("s3")
        bucket = "versioned-destroy"
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        for body in (b"1", b"2"):
            s3.put_object(Bucket=bucket, Key="a.tfstate", Body=body)
        s3.put_object(Bucket=bucket, Key="a.tfstate.tflock", Body=b"lock")
        s3.delete_object(Bucket=bucket, Key="a.tfstate.tflock")  # delete marker
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})

        listing = s3.list_object_versions(Bucket=bucket)
        versions = listing["Versions"] + listing["DeleteMarkers"]
        self.assertEqual(len(versions), 4)
        # Delete just one version first: the others must survive.
        first = [v for v in listing["Versions"] if v["Key"] == "a.tfstate"][0]
        s3.delete_object(Bucket=bucket, Key="a.tfstate", VersionId=first["VersionId"])
        self.assertEqual(len(s3.list_object_versions(Bucket=bucket)["Versions"]), 2)
        rest = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions
                if v["VersionId"] != first["VersionId"]]
        result = s3.delete_objects(Bucket=bucket, Delete={"Objects": rest})
        self.assertFalse(result.get("Errors"))
        self.assertEqual(len(result["Deleted"]), 3)
        listing = s3.list_object_versions(Bucket=bucket)
        self.assertFalse(listing.get("Versions") or listing.get("DeleteMarkers"))
        s3.delete_bucket(Bucket=bucket)


class Ec2Test(unittest.TestCase):
    def test_ec2_launch_template_tag_specifications(self) -> None:
        # Without the patch the launch-template's own tags showed up as an
        # extra LaunchTemplateData.TagSpecifications entry (ResourceType
        # "launch-template"), a perpetual diff on aws_launch_template.
        ec2 = SERVER.client("ec2")
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


class BackupTest(unittest.TestCase):
    def test_backup_selections_vault_policy_recovery_points(self) -> None:
        # Without the patch: no selections (the provider crashed on the answer),
        # no vault access policy and no recovery-point list (404), and ListTags
        # without the trailing slash the Go SDK sends answered no tags.
        backup = SERVER.client("backup")
        vault = backup.create_backup_vault(BackupVaultName="data", BackupVaultTags={"Stack": "s"})
        plan = backup.create_backup_plan(BackupPlan={"BackupPlanName": "data", "Rules": [
            {"RuleName": "daily", "TargetBackupVaultName": "data", "ScheduleExpression": "cron(0 3 ? * * *)"}]})
        selection = {"SelectionName": "tagged", "IamRoleArn": f"arn:aws:iam::{ACCOUNT}:role/backup",
                     "Resources": ["arn:aws:ec2:*:*:volume/*"],
                     "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "k/backup", "ConditionValue": "v"}]}
        created = backup.create_backup_selection(BackupPlanId=plan["BackupPlanId"], BackupSelection=selection)
        got = backup.get_backup_selection(BackupPlanId=plan["BackupPlanId"], SelectionId=created["SelectionId"])
        self.assertEqual(got["BackupSelection"], selection)
        listed = backup.list_backup_selections(BackupPlanId=plan["BackupPlanId"])["BackupSelectionsList"]
        self.assertEqual([s["SelectionName"] for s in listed], ["tagged"])
        backup.delete_backup_selection(BackupPlanId=plan["BackupPlanId"], SelectionId=created["SelectionId"])
        with self.assertRaises(backup.exceptions.ResourceNotFoundException):
            backup.get_backup_selection(BackupPlanId=plan["BackupPlanId"], SelectionId=created["SelectionId"])
        with self.assertRaises(backup.exceptions.ResourceNotFoundException):
            backup.get_backup_vault_access_policy(BackupVaultName="data")
        backup.put_backup_vault_access_policy(BackupVaultName="data", Policy='{"Statement": []}')
        self.assertEqual(backup.get_backup_vault_access_policy(BackupVaultName="data")["Policy"], '{"Statement": []}')
        backup.delete_backup_vault_access_policy(BackupVaultName="data")
        with self.assertRaises(backup.exceptions.ResourceNotFoundException):
            backup.get_backup_vault_access_policy(BackupVaultName="data")
        self.assertEqual(backup.list_recovery_points_by_backup_vault(BackupVaultName="data")["RecoveryPoints"], [])

        def without_trailing_slash(request, **_):  # type: ignore[no-untyped-def]
            request.url = request.url.rstrip("/")
        backup.meta.events.register("before-send.backup.ListTags", without_trailing_slash)
        self.assertEqual(backup.list_tags(ResourceArn=vault["BackupVaultArn"])["Tags"], {"Stack": "s"})


    def test_backup_jobs_recovery_points_restores(self) -> None:
        # Without the patch none of these calls has a route (404), and a vault
        # holding recovery points was deleted with them.
        backup, ec2 = SERVER.client("backup"), SERVER.client("ec2")
        backup.create_backup_vault(BackupVaultName="jobs")
        volume = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8, VolumeType="gp3", Encrypted=True,
                                   TagSpecifications=[{"ResourceType": "volume", "Tags": [
                                       {"Key": "k/backup", "Value": "v"}, {"Key": "pvc", "Value": "data-postgres-0"}]}])
        volume_arn = f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/{volume['VolumeId']}"
        role = f"arn:aws:iam::{ACCOUNT}:role/backup"
        job = backup.start_backup_job(BackupVaultName="jobs", ResourceArn=volume_arn, IamRoleArn=role)
        point = job["RecoveryPointArn"]
        self.assertRegex(point, rf"^arn:aws:ec2:{REGION}::snapshot/snap-[0-9a-f]+$")
        snapshot_id = point.rsplit("/", 1)[1]
        snapshot = ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]
        self.assertEqual(snapshot["VolumeId"], volume["VolumeId"])
        self.assertEqual({t["Key"]: t["Value"] for t in snapshot["Tags"]}, {"k/backup": "v", "pvc": "data-postgres-0"})
        listed = backup.list_recovery_points_by_backup_vault(BackupVaultName="jobs", ByResourceType="EBS")["RecoveryPoints"]
        self.assertEqual([(p["RecoveryPointArn"], p["ResourceArn"], p["Status"]) for p in listed], [(point, volume_arn, "COMPLETED")])
        self.assertEqual(backup.describe_recovery_point(BackupVaultName="jobs", RecoveryPointArn=point)["ResourceArn"], volume_arn)

        restore = backup.start_restore_job(RecoveryPointArn=point, IamRoleArn=role, ResourceType="EBS",
                                           CopySourceTagsToRestoredResource=True,
                                           Metadata={"availabilityZone": f"{REGION}b", "volumeType": "gp3", "volumeSize": "10"})
        first = backup.describe_restore_job(RestoreJobId=restore["RestoreJobId"])
        self.assertEqual(first["Status"], "RUNNING")
        done = backup.describe_restore_job(RestoreJobId=restore["RestoreJobId"])
        self.assertEqual(done["Status"], "COMPLETED")
        restored_id = done["CreatedResourceArn"].rsplit("/", 1)[1]
        restored = ec2.describe_volumes(VolumeIds=[restored_id])["Volumes"][0]
        self.assertEqual((restored["AvailabilityZone"], restored["SnapshotId"], restored["Size"], restored["VolumeType"]),
                         (f"{REGION}b", snapshot_id, 10, "gp3"))
        self.assertEqual({t["Key"]: t["Value"] for t in restored["Tags"]}, {"k/backup": "v", "pvc": "data-postgres-0"})

        with self.assertRaises(ClientError) as refused:
            backup.delete_backup_vault(BackupVaultName="jobs")
        self.assertEqual(refused.exception.response["Error"]["Code"], "InvalidRequestException")
        backup.delete_recovery_point(BackupVaultName="jobs", RecoveryPointArn=point)
        with self.assertRaises(backup.exceptions.ResourceNotFoundException):
            backup.describe_recovery_point(BackupVaultName="jobs", RecoveryPointArn=point)
        self.assertEqual(ec2.describe_snapshots(Filters=[{"Name": "snapshot-id", "Values": [snapshot_id]}])["Snapshots"], [])
        backup.delete_backup_vault(BackupVaultName="jobs")


if __name__ == "__main__":
    unittest.main()
