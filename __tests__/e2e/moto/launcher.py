#!/usr/bin/env python3
"""moto_server launcher with small, named patches for the e2e Terraform test.

Usage:
    python3 launcher.py --port 0        # prints "PORT=<n>" as first stdout line
    python3 launcher.py --port 4566
    python3 launcher.py --list-patches
    python3 launcher.py --port 0 --disable s3_bucket_policy_secure_transport

Environment (of this process): MOTO_ACCOUNT_ID (e.g. 582719176192),
MOTO_IAM_LOAD_MANAGED_POLICIES=true, MOTO_ACM_VALIDATION_WAIT=0.

The server is moto's own WSGI app (the one `moto_server` serves:
DomainDispatcherApplication(create_backend_app)), bound to 127.0.0.1 only.
SIGTERM / SIGINT stop it cleanly (exit code 0).

Every patch is a function registered with @patch(name); each docstring says
which AWS behaviour it supplies and which moto 5.2.1 defect it works around.
See README.md next to this file.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from typing import Callable

HOST = "127.0.0.1"  # never bind anything else

PATCHES: dict[str, Callable[[], None]] = {}


def patch(name: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    def register(fn: Callable[[], None]) -> Callable[[], None]:
        PATCHES[name] = fn
        return fn

    return register


# --------------------------------------------------------------------------
# Per-request context (used by the S3 policy patch to know the scheme).
# --------------------------------------------------------------------------
_REQUEST = threading.local()
ASSUME_TLS = True  # set from --assume-tls / --no-assume-tls


def _request_is_secure() -> bool:
    return bool(getattr(_REQUEST, "secure", ASSUME_TLS))


class _RequestContextMiddleware:
    """Records, per request thread, whether the request came over TLS."""

    def __init__(self, app):  # type: ignore[no-untyped-def]
        self.app = app

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get(
            "wsgi.url_scheme", "http"
        )
        _REQUEST.secure = ASSUME_TLS or scheme.lower() == "https"
        try:
            return self.app(environ, start_response)
        finally:
            _REQUEST.secure = ASSUME_TLS


# ==========================================================================
# EKS patches
# API reference: https://docs.aws.amazon.com/eks/latest/APIReference/
# moto 5.2.1 structure: moto/eks/{urls,responses,models}.py. Requests are
# routed by moto.eks.urls.url_paths (flask rules, read when the EKS app is
# first built, i.e. after these patches) to EKSResponse.dispatch, which picks
# the operation from botocore's model (HTTP method + request URI) and calls the
# EKSResponse method of the same snake_case name; ActionResult serialises
# Python objects/dicts against botocore's output shape.
# ==========================================================================
# What DescribeAddonVersions offers per Kubernetes version: the versions the AWS EKS user guide's
# add-on tables list (read 2026-11-30; the newest of each list is EKS's default). A version missing
# here is one AWS does not offer: deploy-infra's add-on check must refuse a pin of it.
EKS_ADDON_CATALOG = {
    "vpc-cni": {"*": ["v1.21.1-eksbuild.1", "v1.22.3-eksbuild.1"]},
    "kube-proxy": {"*": ["v{k8s}.2-eksbuild.3"],
                   "1.34": ["v1.34.3-eksbuild.2", "v1.34.6-eksbuild.13"],
                   "1.35": ["v1.35.0-eksbuild.2", "v1.35.3-eksbuild.13"],
                   "1.36": ["v1.36.0-eksbuild.14"]},
    "coredns": {"*": ["v1.11.3-eksbuild.2"],
                "1.34": ["v1.12.4-eksbuild.1", "v1.13.2-eksbuild.11"],
                "1.35": ["v1.13.2-eksbuild.11", "v1.14.3-eksbuild.3"],
                "1.36": ["v1.14.3-eksbuild.3"]},
    "aws-ebs-csi-driver": {"*": ["v1.64.0-eksbuild.1", "v1.66.0-eksbuild.1"]},
    "eks-pod-identity-agent": {"*": ["v1.3.4-eksbuild.1"]},
}


def eks_addon_versions(name: str, k8s: str) -> list:
    """The versions of an add-on offered for a Kubernetes version, oldest first."""
    table = EKS_ADDON_CATALOG.get(name, {"*": ["v1.0.0-eksbuild.1"]})
    return [v.format(k8s=k8s) for v in table.get(k8s, table["*"])]


def _eks_imports():  # type: ignore[no-untyped-def]
    from moto.core.responses import ActionResult, EmptyResult
    from moto.core.utils import utcnow
    from moto.eks import models, responses, urls
    from moto.eks.exceptions import (
        InvalidParameterException,
        InvalidRequestException,
        ResourceInUseException,
        ResourceNotFoundException,
    )
    from moto.moto_api._internal import mock_random

    class NS:  # simple namespace
        pass

    ns = NS()
    ns.__dict__.update(locals())
    return ns


def _eks_not_found(ns, message, **kw):  # type: ignore[no-untyped-def]
    fields = {"clusterName": None, "nodegroupName": None,
              "fargateProfileName": None, "addonName": None}
    fields.update(kw)
    return ns.ResourceNotFoundException(message=message, **fields)


def _eks_cluster(ns, backend, name):  # type: ignore[no-untyped-def]
    cluster = backend.clusters.get(name)
    if cluster is None:
        raise _eks_not_found(ns, ns.models.CLUSTER_NOT_FOUND_MSG.format(clusterName=name),
                             clusterName=name)
    # lazily-added per-cluster stores used by the patches below
    if not hasattr(cluster, "addons"):
        cluster.addons = {}
        cluster.access_entries = {}
        cluster.updates = {}
    return cluster


def _eks_record_update(ns, cluster, update_type, params, nodegroup=None, addon=None):  # type: ignore[no-untyped-def]
    """An Update object (EKS API `Update` shape); kept so DescribeUpdate finds it."""
    update = {
        "id": str(ns.mock_random.uuid4()),
        "status": "Successful",
        "type": update_type,
        "params": [{"type": k, "value": v if isinstance(v, str) else json.dumps(v)}
                   for k, v in params.items()],
        "createdAt": ns.utcnow(),
        "errors": [],
    }
    cluster.updates[update["id"]] = (nodegroup, addon, update)
    return update


def _eks_uri(self, member, group=None):  # type: ignore[no-untyped-def]
    """A request member bound to the URI: botocore names some of them
    differently from the URI label (clusterName <- {name})."""
    value = self._get_param(member)
    if value is None and getattr(self, "uri_match", None) is not None:
        value = self.uri_match.groupdict().get(group or member)
    return value


def _eks_add_routes(ns, paths):  # type: ignore[no-untyped-def]
    for path in paths:
        ns.urls.url_paths.setdefault(path, ns.urls.response.dispatch)


@patch("eks_describe_update")
def _patch_eks_describe_update() -> None:
    """DescribeUpdate (GET /clusters/{name}/updates/{updateId}) and ListUpdates.

    The provider waits on DescribeUpdate after every UpdateClusterConfig /
    UpdateNodegroupConfig / UpdateNodegroupVersion / UpdateAddon; moto has no
    route (404). moto's UpdateNodegroupConfig also returns an Update without
    keeping it, and UpdateClusterConfig returns a `cluster` instead of the
    `update` the API specifies (and ignores accessConfig). Updates complete
    immediately (status Successful), as nothing runs behind them.
    """
    ns = _eks_imports()
    _eks_add_routes(ns, [
        "{0}/clusters/(?P<name>[^/]+)/updates$",
        "{0}/clusters/(?P<name>[^/]+)/updates/(?P<updateId>[^/]+)$",
        "{0}/clusters/(?P<name>[^/]+)/node-groups/(?P<nodegroupName>[^/]+)/update-version$",
    ])
    R = ns.responses.EKSResponse

    def describe_update(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, self._get_param("name"))
        update_id = self._get_param("updateId")
        entry = cluster.updates.get(update_id)
        if entry is None or entry[0] != self._get_param("nodegroupName") or \
                entry[1] != self._get_param("addonName"):
            raise _eks_not_found(ns, f"No update found for ID: {update_id}.",
                                 clusterName=cluster.name)
        return ns.ActionResult({"update": entry[2]})

    def list_updates(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, self._get_param("name"))
        ng, addon = self._get_param("nodegroupName"), self._get_param("addonName")
        ids = [k for k, (n, a, _) in cluster.updates.items() if n == ng and a == addon]
        return ns.ActionResult({"updateIds": ids})

    def update_cluster_config(self):  # type: ignore[no-untyped-def]
        name = self._get_param("name")
        cluster = _eks_cluster(ns, self.eks_backend, name)
        params = {}
        vpc = self._get_param("resourcesVpcConfig")
        if vpc:
            cluster.resources_vpc_config.update(vpc)
            params.update({k[0].upper() + k[1:]: v for k, v in vpc.items()})
        logging_cfg = self._get_param("logging")
        if logging_cfg:
            cluster.logging = logging_cfg
            params["ClusterLogging"] = logging_cfg.get("clusterLogging", [])
        access = self._get_param("accessConfig")
        if access and access.get("authenticationMode"):
            if not getattr(cluster, "access_config", None):
                cluster.access_config = {}
            cluster.access_config["authenticationMode"] = access["authenticationMode"]
            params["AuthenticationMode"] = access["authenticationMode"]
        for key in ("upgradePolicy", "zonalShiftConfig", "kubernetesNetworkConfig",
                    "remoteNetworkConfig", "computeConfig", "storageConfig"):
            value = self._get_param(key)
            if value is not None:
                current = getattr(cluster, _snake(key), None)
                setattr(cluster, _snake(key), {**(current or {}), **value}
                        if isinstance(value, dict) else value)
                params[key[0].upper() + key[1:]] = value
        if self._get_param("deletionProtection") is not None:
            cluster.deletion_protection = self._get_param("deletionProtection")
            params["DeletionProtection"] = str(cluster.deletion_protection).lower()
        update_type = "AccessConfigUpdate" if "AuthenticationMode" in params else (
            "LoggingUpdate" if "ClusterLogging" in params else "EndpointAccessUpdate"
            if vpc else "ConfigUpdate")
        return ns.ActionResult({"update": _eks_record_update(ns, cluster, update_type, params)})

    original_update_nodegroup_config = R.update_nodegroup_config

    def update_nodegroup_config(self):  # type: ignore[no-untyped-def]
        result = original_update_nodegroup_config(self)
        cluster = _eks_cluster(ns, self.eks_backend, self._get_param("name"))
        update = result.result["update"]
        cluster.updates[update["id"]] = (self._get_param("nodegroupName"), None, update)
        return result

    def update_nodegroup_version(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, self._get_param("name"))
        ng_name = self._get_param("nodegroupName")
        nodegroup = self.eks_backend.describe_nodegroup(cluster.name, ng_name)
        params = {}
        for key, attr in (("version", "version"), ("releaseVersion", "release_version")):
            if self._get_param(key):
                setattr(nodegroup, attr, self._get_param(key))
                params[key[0].upper() + key[1:]] = self._get_param(key)
        lt = self._get_param("launchTemplate")
        if lt:
            nodegroup.launch_template = {**(nodegroup.launch_template or {}), **lt}
            params["LaunchTemplateVersion"] = lt.get("version", "")
        nodegroup.modified_at = ns.utcnow()
        update = _eks_record_update(ns, cluster, "VersionUpdate", params, nodegroup=ng_name)
        return ns.ActionResult({"update": update})

    R.describe_update = describe_update
    R.list_updates = list_updates
    R.update_cluster_config = update_cluster_config
    R.update_nodegroup_config = update_nodegroup_config
    R.update_nodegroup_version = update_nodegroup_version


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


@patch("eks_cluster_describe_fields")
def _patch_eks_cluster_fields() -> None:
    """CreateCluster/DescribeCluster fields moto drops or invents.

    - accessConfig: echoed as sent (CreateCluster `accessConfig`); AWS defaults
      are authenticationMode=CONFIG_MAP, bootstrapClusterCreatorAdminPermissions
      =true. moto ignored the parameter, so the provider saw a perpetual diff.
    - resourcesVpcConfig.vpcId / clusterSecurityGroupId: EKS creates a real
      security group "eks-cluster-sg-<name>-<digits>" in the subnets' VPC,
      tagged kubernetes.io/cluster/<name>=owned and aws:eks:cluster-name=<name>,
      and deletes it with the cluster. Also the documented defaults for
      endpointPublicAccess (true), endpointPrivateAccess (false),
      publicAccessCidrs (["0.0.0.0/0"]) and securityGroupIds ([]).
    - kubernetesNetworkConfig.ipFamily defaults to "ipv4";
      upgradePolicy.supportType defaults to "EXTENDED"; encryptionConfig,
      logging, version round-trip as sent (moto already does this).
    """
    ns = _eks_imports()
    R = ns.responses.EKSResponse
    original_create = R.create_cluster
    original_delete = ns.models.EKSBackend.delete_cluster

    def create_cluster(self):  # type: ignore[no-untyped-def]
        result = original_create(self)
        cluster = result.result["cluster"]
        access = self._get_param("accessConfig") or {}
        cluster.access_config = {
            "authenticationMode": access.get("authenticationMode", "CONFIG_MAP"),
            "bootstrapClusterCreatorAdminPermissions":
                access.get("bootstrapClusterCreatorAdminPermissions", True),
        }
        cluster.upgrade_policy = self._get_param("upgradePolicy") or {"supportType": "EXTENDED"}
        if self._get_param("zonalShiftConfig") is not None:
            cluster.zonal_shift_config = self._get_param("zonalShiftConfig")
        knc = dict(cluster.kubernetes_network_config or {})
        knc.setdefault("serviceIpv4Cidr", "172.20.0.0/16")
        knc.setdefault("ipFamily", "ipv4")
        cluster.kubernetes_network_config = knc

        vpc_cfg = dict(cluster.resources_vpc_config or {})
        vpc_cfg.setdefault("securityGroupIds", [])
        vpc_cfg.setdefault("endpointPublicAccess", True)
        vpc_cfg.setdefault("endpointPrivateAccess", False)
        vpc_cfg.setdefault("publicAccessCidrs", ["0.0.0.0/0"])
        subnet_ids = vpc_cfg.get("subnetIds") or []
        if subnet_ids:
            from moto.ec2.models import ec2_backends

            ec2 = ec2_backends[self.current_account][self.region]
            vpc_id = ec2.get_subnet(subnet_ids[0]).vpc_id
            suffix = "".join(str(ns.mock_random.randint(0, 9)) for _ in range(10))
            sg = ec2.create_security_group(
                name=f"eks-cluster-sg-{cluster.name}-{suffix}",
                description="EKS created security group applied to ENI that is "
                "attached to EKS Control Plane master nodes, as well as any "
                "managed workloads.",
                vpc_id=vpc_id,
                tags={f"kubernetes.io/cluster/{cluster.name}": "owned",
                      "aws:eks:cluster-name": cluster.name,
                      "Name": f"eks-cluster-sg-{cluster.name}-{suffix}"},
            )
            vpc_cfg["vpcId"] = vpc_id
            vpc_cfg["clusterSecurityGroupId"] = sg.id
        cluster.resources_vpc_config = vpc_cfg
        return result

    def delete_cluster(self, name):  # type: ignore[no-untyped-def]
        cluster = original_delete(self, name)
        sg_id = (cluster.resources_vpc_config or {}).get("clusterSecurityGroupId")
        if sg_id:
            from moto.ec2.models import ec2_backends

            try:
                ec2_backends[self.account_id][self.region_name].delete_security_group(
                    group_id=sg_id)
            except Exception:  # already gone
                pass
        return cluster

    R.create_cluster = create_cluster
    ns.models.EKSBackend.delete_cluster = delete_cluster


@patch("eks_nodegroup_fields")
def _patch_eks_nodegroup_fields() -> None:
    """CreateNodegroup/DescribeNodegroup fields moto drops or invents.

    - remoteAccess: moto invents {"ec2SshKey": "eksKeypair"} (and a remote
      access security group) when none was requested; AWS returns none, and
      with a launch template remote access cannot even be set. Perpetual diff
      (forces replacement) in aws_eks_node_group.remote_access.
    - updateConfig: moto drops the CreateNodegroup `updateConfig`; AWS echoes
      it and defaults to {"maxUnavailable": 1}. Same for nodeRepairConfig.
    - diskSize: AWS returns none when a launch template is used (the disk size
      lives in the template); moto returns the string "20".
    - version: defaults to the cluster's Kubernetes version (moto: "1.19").
    """
    ns = _eks_imports()
    R = ns.responses.EKSResponse
    original_create = R.create_nodegroup

    def create_nodegroup(self):  # type: ignore[no-untyped-def]
        result = original_create(self)
        nodegroup = result.result["nodegroup"]
        cluster = self.eks_backend.clusters[nodegroup.cluster_name]
        remote_access = self._get_param("remoteAccess")
        nodegroup.remote_access = remote_access or None
        if not remote_access:
            nodegroup.resources.pop("remoteAccessSecurityGroup", None)
        nodegroup.update_config = self._get_param("updateConfig") or {"maxUnavailable": 1}
        nodegroup.node_repair_config = self._get_param("nodeRepairConfig")
        if self._get_param("launchTemplate") and not self._get_param("diskSize"):
            nodegroup.disk_size = None
        elif nodegroup.disk_size is not None:
            nodegroup.disk_size = int(nodegroup.disk_size)
        if not self._get_param("version"):
            nodegroup.version = cluster.version
        return result

    R.create_nodegroup = create_nodegroup


class _EksAddon:
    """EKS API `Addon` shape (DescribeAddon)."""

    def __init__(self, ns, account_id, region, partition, cluster, params):  # type: ignore[no-untyped-def]
        name = params["addonName"]
        self.addon_name = name
        self.cluster_name = cluster.name
        self.status = "ACTIVE"
        default = eks_addon_versions(name, cluster.version)[-1]
        self.addon_version = params.get("addonVersion") or default
        self.health = {"issues": []}
        self.addon_arn = (f"arn:{partition}:eks:{region}:{account_id}:addon/"
                          f"{cluster.name}/{name}/{ns.mock_random.uuid4()}")
        self.created_at = self.modified_at = ns.utcnow()
        self.service_account_role_arn = params.get("serviceAccountRoleArn")
        self.tags = params.get("tags") or {}
        self.configuration_values = params.get("configurationValues")
        self.pod_identity_associations = [] if not params.get("podIdentityAssociations") else [
            f"arn:{partition}:eks:{region}:{account_id}:podidentityassociation/"
            f"{cluster.name}/a-{ns.mock_random.get_random_string(17).lower()}"
            for _ in params["podIdentityAssociations"]]
        self.publisher = "eks"
        self.owner = "aws"


@patch("eks_addons")
def _patch_eks_addons() -> None:
    """CreateAddon, DescribeAddon, ListAddons, UpdateAddon, DeleteAddon,
    DescribeAddonVersions (moto 5.2.1: no routes, 404).

    Addons live per cluster, become ACTIVE at once, ARN
    arn:aws:eks:<region>:<account>:addon/<cluster>/<addon>/<uuid>. When no
    addonVersion is requested EKS installs the default version for the
    cluster's Kubernetes version (reported by DescribeAddonVersions).
    """
    ns = _eks_imports()
    _eks_add_routes(ns, [
        "{0}/clusters/(?P<name>[^/]+)/addons$",
        "{0}/clusters/(?P<name>[^/]+)/addons/(?P<addonName>[^/]+)$",
        "{0}/clusters/(?P<name>[^/]+)/addons/(?P<addonName>[^/]+)/update$",
        "{0}/addons/supported-versions$",
    ])
    R = ns.responses.EKSResponse

    def _addon(self, cluster):  # type: ignore[no-untyped-def]
        name = self._get_param("addonName")
        addon = cluster.addons.get(name)
        if addon is None:
            raise _eks_not_found(ns, f"No addon: {name} found in cluster: {cluster.name}",
                                 clusterName=cluster.name, addonName=name)
        return addon

    def create_addon(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, _eks_uri(self, "clusterName", "name"))
        name = self._get_param("addonName")
        if name in cluster.addons:
            raise ns.ResourceInUseException(
                clusterName=cluster.name, nodegroupName=None, addonName=name,
                message=f"Addon already exists with name: {name}")
        params = {k: self._get_param(k) for k in (
            "addonName", "addonVersion", "serviceAccountRoleArn", "tags",
            "configurationValues", "podIdentityAssociations")}
        addon = _EksAddon(ns, self.current_account, self.region,
                          self.eks_backend.partition, cluster, params)
        cluster.addons[name] = addon
        return ns.ActionResult({"addon": addon})

    def describe_addon(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, _eks_uri(self, "clusterName", "name"))
        return ns.ActionResult({"addon": _addon(self, cluster)})

    def list_addons(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, _eks_uri(self, "clusterName", "name"))
        return ns.ActionResult({"addons": sorted(cluster.addons)})

    def update_addon(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, _eks_uri(self, "clusterName", "name"))
        addon = _addon(self, cluster)
        params = {}
        for key in ("addonVersion", "serviceAccountRoleArn", "configurationValues"):
            value = self._get_param(key)
            if value is not None:
                setattr(addon, _snake(key), value)
                params[key[0].upper() + key[1:]] = value
        if self._get_param("resolveConflicts"):
            params["ResolveConflicts"] = self._get_param("resolveConflicts")
        addon.modified_at = ns.utcnow()
        update = _eks_record_update(ns, cluster, "AddonUpdate", params, addon=addon.addon_name)
        return ns.ActionResult({"update": update})

    def delete_addon(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, _eks_uri(self, "clusterName", "name"))
        addon = _addon(self, cluster)
        del cluster.addons[addon.addon_name]
        addon.status = "DELETING"
        return ns.ActionResult({"addon": addon})

    def describe_addon_versions(self):  # type: ignore[no-untyped-def]
        k8s = self._get_param("kubernetesVersion") or "1.31"
        wanted = self._get_param("addonName")
        addons = []
        for name in EKS_ADDON_CATALOG:
            if wanted and wanted != name:
                continue
            offered = eks_addon_versions(name, k8s)
            addons.append({
                "addonName": name, "type": "networking" if name == "vpc-cni" else
                "storage" if "csi" in name else "security" if "identity" in name
                else "networking",
                "owner": "aws", "publisher": "eks",
                "addonVersions": [{
                    "addonVersion": version,
                    "architecture": ["amd64", "arm64"],
                    "compatibilities": [{"clusterVersion": k8s,
                                         "platformVersions": ["*"],
                                         "defaultVersion": version == offered[-1]}],
                    "requiresConfiguration": False,
                } for version in reversed(offered)],
            })
        return ns.ActionResult({"addons": addons})

    R.create_addon = create_addon
    R.describe_addon = describe_addon
    R.list_addons = list_addons
    R.update_addon = update_addon
    R.delete_addon = delete_addon
    R.describe_addon_versions = describe_addon_versions


@patch("eks_access_entries")
def _patch_eks_access_entries() -> None:
    """CreateAccessEntry, DescribeAccessEntry, ListAccessEntries,
    UpdateAccessEntry, DeleteAccessEntry, AssociateAccessPolicy,
    ListAssociatedAccessPolicies, DisassociateAccessPolicy (moto: 404).

    Access entry ARN (AWS format):
      arn:aws:eks:<region>:<account>:access-entry/<cluster>/<role|user>/<account>/<name>/<uuid>
    username defaults to the principal ARN for IAM users and to
    arn:aws:sts::<account>:assumed-role/<role>/{{SessionName}} for roles;
    type defaults to STANDARD; kubernetesGroups to []. The principal/policy
    ARNs arrive URL-encoded in the path (RAW_URI) and are decoded here.
    """
    from urllib.parse import unquote

    ns = _eks_imports()
    _eks_add_routes(ns, [
        "{0}/clusters/(?P<name>[^/]+)/access-entries$",
        "{0}/clusters/(?P<name>[^/]+)/access-entries/(?P<principalArn>.+)$",
    ])
    R = ns.responses.EKSResponse

    def _entry(self, cluster):  # type: ignore[no-untyped-def]
        arn = unquote(_eks_uri(self, "principalArn"))
        entry = cluster.access_entries.get(arn)
        if entry is None:
            raise _eks_not_found(
                ns, f"The specified access entry resource is not found.",
                clusterName=cluster.name)
        return entry

    def create_access_entry(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, _eks_uri(self, "clusterName", "name"))
        principal = self._get_param("principalArn")
        if principal in cluster.access_entries:
            raise ns.ResourceInUseException(
                clusterName=cluster.name, nodegroupName=None, addonName=None,
                message="The specified access entry resource is already in use on this cluster.")
        parts = principal.split(":", 5)
        account, resource = parts[4], parts[5]  # "role/path/name" | "user/name"
        kind, _, path_name = resource.partition("/")
        short = path_name.split("/")[-1]
        if kind == "role":
            username = f"arn:{parts[1]}:sts::{account}:assumed-role/{short}/{{{{SessionName}}}}"
        else:
            username = principal
        now = ns.utcnow()
        entry = {
            "clusterName": cluster.name,
            "principalArn": principal,
            "kubernetesGroups": self._get_param("kubernetesGroups") or [],
            "accessEntryArn": f"arn:{self.eks_backend.partition}:eks:{self.region}:"
                              f"{self.current_account}:access-entry/{cluster.name}/"
                              f"{kind}/{account}/{short}/{ns.mock_random.uuid4()}",
            "createdAt": now, "modifiedAt": now,
            "tags": self._get_param("tags") or {},
            "username": self._get_param("username") or username,
            "type": self._get_param("type") or "STANDARD",
            "_policies": {},
        }
        cluster.access_entries[principal] = entry
        return ns.ActionResult({"accessEntry": entry})

    def describe_access_entry(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, _eks_uri(self, "clusterName", "name"))
        return ns.ActionResult({"accessEntry": _entry(self, cluster)})

    def list_access_entries(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, _eks_uri(self, "clusterName", "name"))
        policy = self._get_param("associatedPolicyArn")
        arns = [a for a, e in cluster.access_entries.items()
                if not policy or policy in e["_policies"]]
        return ns.ActionResult({"accessEntries": sorted(arns)})

    def update_access_entry(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, _eks_uri(self, "clusterName", "name"))
        entry = _entry(self, cluster)
        for key in ("kubernetesGroups", "username"):
            if self._get_param(key) is not None:
                entry[key] = self._get_param(key)
        entry["modifiedAt"] = ns.utcnow()
        return ns.ActionResult({"accessEntry": entry})

    def delete_access_entry(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, _eks_uri(self, "clusterName", "name"))
        entry = _entry(self, cluster)
        del cluster.access_entries[entry["principalArn"]]
        return ns.EmptyResult()

    def associate_access_policy(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, _eks_uri(self, "clusterName", "name"))
        entry = _entry(self, cluster)
        policy_arn = self._get_param("policyArn")
        scope = dict(self._get_param("accessScope") or {})
        scope.setdefault("namespaces", [])
        now = ns.utcnow()
        existing = entry["_policies"].get(policy_arn)
        assoc = {"policyArn": policy_arn, "accessScope": scope,
                 "associatedAt": existing["associatedAt"] if existing else now,
                 "modifiedAt": now}
        entry["_policies"][policy_arn] = assoc
        return ns.ActionResult({"clusterName": cluster.name,
                                "principalArn": entry["principalArn"],
                                "associatedAccessPolicy": assoc})

    def list_associated_access_policies(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, _eks_uri(self, "clusterName", "name"))
        entry = _entry(self, cluster)
        return ns.ActionResult({"clusterName": cluster.name,
                                "principalArn": entry["principalArn"],
                                "associatedAccessPolicies": list(entry["_policies"].values())})

    def disassociate_access_policy(self):  # type: ignore[no-untyped-def]
        cluster = _eks_cluster(ns, self.eks_backend, _eks_uri(self, "clusterName", "name"))
        entry = _entry(self, cluster)
        policy_arn = unquote(_eks_uri(self, "policyArn"))
        if entry["_policies"].pop(policy_arn, None) is None:
            raise _eks_not_found(ns, "The specified access policy association is not found.",
                                 clusterName=cluster.name)
        return ns.EmptyResult()

    for fn in (create_access_entry, describe_access_entry, list_access_entries,
               update_access_entry, delete_access_entry, associate_access_policy,
               list_associated_access_policies, disassociate_access_policy):
        setattr(R, fn.__name__, fn)


@patch("eks_tags_all_resources")
def _patch_eks_tags_all_resources() -> None:
    """TagResource / UntagResource / ListTagsForResource for every taggable EKS
    resource (clusters, managed node groups, Fargate profiles, addons, access
    entries). moto only finds clusters, so changing default_tags on a node
    group or addon failed with NotFound."""
    ns = _eks_imports()
    B = ns.models.EKSBackend

    def _find(self, arn):  # type: ignore[no-untyped-def]
        for cluster in self.clusters.values():
            if cluster.arn == arn:
                return cluster.tags
            for ng in cluster.nodegroups.values():
                if ng.arn == arn:
                    return ng.tags
            for fp in cluster.fargate_profiles.values():
                if fp.fargate_profile_arn == arn:
                    return fp.tags
            for addon in getattr(cluster, "addons", {}).values():
                if addon.addon_arn == arn:
                    return addon.tags
            for entry in getattr(cluster, "access_entries", {}).values():
                if entry["accessEntryArn"] == arn:
                    return entry["tags"]
        raise _eks_not_found(ns, "Resource was not found")

    def tag_resource(self, resource_arn, tags):  # type: ignore[no-untyped-def]
        _find(self, resource_arn).update(tags or {})

    def untag_resource(self, resource_arn, tag_keys):  # type: ignore[no-untyped-def]
        target = _find(self, resource_arn)
        for key in tag_keys if isinstance(tag_keys, list) else [tag_keys]:
            target.pop(key, None)

    def list_tags_for_resource(self, resource_arn):  # type: ignore[no-untyped-def]
        return _find(self, resource_arn)

    B.tag_resource = tag_resource
    B.untag_resource = untag_resource
    B.list_tags_for_resource = list_tags_for_resource

# ==========================================================================
# S3 patches
# ==========================================================================
@patch("s3_bucket_policy_secure_transport")
def _patch_s3_bucket_policy_secure_transport() -> None:
    """Bucket policies with Conditions, e.g. the standard "deny non-TLS" one:
      {"Effect":"Deny","Principal":"*","Action":"s3:*",
       "Condition":{"Bool":{"aws:SecureTransport":"false"}}}

    moto 5.2.1 evaluates bucket policies (FakeBucket.get_permission ->
    IAMPolicyStatement.is_action_permitted) with no request context and only
    knows the StringEquals operator: an unknown operator (Bool) counts as
    "condition satisfied", so the Deny above denied every object read/write
    (Terraform's S3 backend got 403 on the state object). AWS semantics
    (IAM JSON policy reference, "Condition" / "Bool"; S3 "aws:SecureTransport"):
      - aws:SecureTransport is "true" when the request was sent over TLS;
      - Bool compares case-insensitively to "true"/"false";
      - a statement whose Condition does not match does not apply
        (neither Allow nor Deny), instead of moto's DENIED.
    The launcher stands in for the AWS HTTPS endpoint, which accepts TLS only
    for these clients, so by default a request is treated as TLS. Start with
    --no-assume-tls to derive it from the real scheme (http => false), or send
    X-Forwarded-Proto: https from a TLS-terminating proxy.
    """
    from moto.iam import access_control, policy_conditions
    from moto.s3 import models as s3_models

    def bool_operation(expected, actual):  # type: ignore[no-untyped-def]
        expected = expected if isinstance(expected, list) else [expected]
        return str(actual).lower() in [str(e).lower() for e in expected]

    policy_conditions.CONDITION_OPERATIONS.setdefault("Bool", bool_operation)

    Stmt = access_control.IAMPolicyStatement
    original_is_permitted = Stmt.is_action_permitted

    def is_action_permitted(self, action, resource="*", principal=None,  # type: ignore[no-untyped-def]
                            incoming_condition_values=None):
        if self._statement.get("Condition") and not self._check_conditions(
                incoming_condition_values):
            return access_control.PermissionResult.NEUTRAL  # statement does not apply
        return original_is_permitted(self, action, resource, principal,
                                     incoming_condition_values)

    Stmt.is_action_permitted = is_action_permitted

    def get_permission(self, action, resource):  # type: ignore[no-untyped-def]
        if self.policy is None:
            return access_control.PermissionResult.NEUTRAL
        policy = access_control.IAMPolicy(self.policy.decode())
        context = {"aws:SecureTransport": "true" if _request_is_secure() else "false"}
        return policy.is_action_permitted(action, resource,
                                          incoming_condition_values=context)

    s3_models.FakeBucket.get_permission = get_permission

@patch("s3_delete_version_in_suspended_bucket")
def _patch_s3_delete_version_in_suspended_bucket() -> None:
    """DeleteObject / DeleteObjects with a VersionId in a bucket whose
    versioning is *Suspended* (Terraform destroys aws_s3_bucket_versioning,
    which suspends versioning, before aws_s3_bucket force_destroy empties
    the bucket version by version).

    AWS (S3 User Guide "Deleting object versions from a versioning-suspended
    bucket"; DeleteObject API): a request with a versionId permanently deletes
    exactly that version or delete marker, whatever the versioning state.
    moto 5.2.1 takes its "unversioned" path for any bucket whose state is not
    Enabled: it ignores the versionId and pops *all* versions of the key, and
    crashes (HTTP 500, 'FakeDeleteMarker' object has no attribute 'dispose')
    when one of them is a delete marker. The provider retries 500s, so destroy
    hung for the full timeout. Here a versioned delete in a Suspended bucket
    removes just that version; delete markers also get a no-op dispose()
    (they hold no data buffer) so no other path can crash the same way.
    """
    from moto.s3 import models as s3_models

    s3_models.FakeDeleteMarker.dispose = lambda self, garbage=False: None
    original = s3_models.S3Backend.delete_object

    def delete_object(self, bucket_name, key_name, version_id=None, bypass=False):  # type: ignore[no-untyped-def]
        bucket = self.get_bucket(bucket_name)
        if version_id is None or getattr(bucket, "versioning_status", None) != "Suspended":
            return original(self, bucket_name, key_name, version_id, bypass)
        versions = bucket.keys.getlist(key_name, [])
        match = [v for v in versions if str(v.version_id) == str(version_id)]
        if not match:
            return False, {}
        target = match[0]
        if isinstance(target, s3_models.FakeKey) and target.is_locked(governance_bypass=bypass):
            raise s3_models.AccessDeniedByLock
        meta = {"version-id": version_id}
        if isinstance(target, s3_models.FakeDeleteMarker):
            meta["delete-marker"] = "true"
        remaining = [v for v in versions if str(v.version_id) != str(version_id)]
        if remaining:
            bucket.keys.setlist(key_name, remaining)
        else:
            bucket.keys.setlist(key_name, [])
            bucket.keys.pop(key_name)
        if isinstance(target, s3_models.FakeKey):
            target.dispose()
        return True, meta

    s3_models.S3Backend.delete_object = delete_object


# ==========================================================================
# EC2 patches
# ==========================================================================
@patch("ec2_launch_template_tag_specifications")
def _patch_ec2_launch_template_tag_specifications() -> None:
    """CreateLaunchTemplate: the request's top-level TagSpecifications (with
    ResourceType=launch-template) tag the launch template *resource*; they are
    not launch template data. moto 5.2.1 also appends them to
    LaunchTemplateData.TagSpecifications, so DescribeLaunchTemplateVersions
    returned an extra {"ResourceType": "launch-template", ...} entry and
    aws_launch_template.tag_specifications (and every node group pointing at
    latest_version) drifted whenever tags/default_tags were set.
    """
    from moto.core.responses import ActionResult
    from moto.ec2.responses.launch_templates import LaunchTemplates
    from moto.ec2.utils import parse_user_data

    def create_launch_template(self):  # type: ignore[no-untyped-def]
        name = self._get_param("LaunchTemplateName")
        version_description = self._get_param("VersionDescription")
        tag_spec = self._parse_tag_specification()
        data = self._get_param("LaunchTemplateData", {})
        data["UserData"] = parse_user_data(self._get_param("LaunchTemplateData.UserData"))
        self.error_on_dryrun()
        template = self.ec2_backend.create_launch_template(
            name, version_description, data, tag_spec)
        version = template.default_version()
        return ActionResult({"LaunchTemplate": {
            "CreateTime": version.create_time,
            "CreatedBy": f"arn:{self.partition}:iam::{self.current_account}:root",
            "DefaultVersionNumber": template.default_version_number,
            "LatestVersionNumber": version.number,
            "LaunchTemplateId": template.id,
            "LaunchTemplateName": template.name,
            "Tags": template.tags,
        }})

    LaunchTemplates.create_launch_template = create_launch_template

# @@MISC@@


def apply_patches(disabled: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    unknown = set(disabled) - set(PATCHES)
    if unknown:
        raise SystemExit(f"unknown patch(es): {', '.join(sorted(unknown))}")
    applied = []
    for name, fn in PATCHES.items():
        if name in disabled:
            continue
        fn()
        applied.append(name)
    return applied


def build_app():  # type: ignore[no-untyped-def]
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        create_backend_app,
    )

    app = DomainDispatcherApplication(create_backend_app)
    return _RequestContextMiddleware(app)


def confine_to_loopback() -> None:
    """Refuse every outbound connection that is not to the loopback interface.

    moto answers some requests with help from botocore, whose credential chain falls back to the
    EC2 instance metadata service (169.254.169.254) when no credentials are in the environment.
    This server only ever stands in for AWS on 127.0.0.1: it must not reach any other address.
    Fake credentials and AWS_EC2_METADATA_DISABLED stop the lookup; the socket guard makes any
    other path fail loudly (with a stack trace on stderr) instead of reaching out.
    """
    import socket
    import traceback

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    original_connect = socket.socket.connect

    def connect(sock, address):  # type: ignore[no-untyped-def]
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0])
            if not (host.startswith("127.") or host in ("::1", "localhost")):
                traceback.print_stack(file=sys.stderr)
                raise ConnectionRefusedError(f"moto launcher: outbound connection to {address!r} refused (loopback only)")
        return original_connect(sock, address)

    socket.socket.connect = connect  # type: ignore[method-assign]


@patch("backup_selections_vault_policy_recovery_points")
def _patch_backup_selections_vault_policy_recovery_points() -> None:
    """CreateBackupSelection, GetBackupSelection, ListBackupSelections,
    DeleteBackupSelection; Put/Get/DeleteBackupVaultAccessPolicy;
    ListRecoveryPointsByBackupVault (moto 5.2.1 implements none of them: the
    selection calls reach BackupResponse without a method, the others have no
    route, and the provider fails on the answer).

    Selections belong to their plan (ResourceNotFoundException for an unknown
    plan or selection) and are answered as stored. A vault's access policy is
    kept as given; asking for the policy of a vault without one is
    ResourceNotFoundException, as in AWS. Recovery points: none exist here (no
    job ever runs), so the list is empty; that is what the provider's
    force_destroy walks before it deletes a vault.

    ListTags: the Go SDK asks GET /tags/{arn} without the trailing slash, and
    moto reads the ARN from the segment before the last one ("tags"), so every
    resource had no tags and default_tags diffed forever.
    """
    import re
    import time
    import uuid

    from urllib.parse import unquote

    from moto.backup import responses, urls
    from moto.backup.exceptions import ResourceNotFoundException
    from moto.core.responses import EmptyResult

    for path in ("{0}/backup-vaults/(?P<name>[^/]+)/access-policy$",
                 "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/$",
                 "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points$"):
        urls.url_paths.setdefault(path, urls.response.dispatch)
    R = responses.BackupResponse

    def _state(backend):  # type: ignore[no-untyped-def]
        if not hasattr(backend, "_launcher_selections"):
            backend._launcher_selections = {}  # plan id -> selection id -> record
            backend._launcher_vault_policies = {}  # vault name -> policy text
        return backend

    def _plan_and_selection(self):  # type: ignore[no-untyped-def]
        m = re.search(r"/backup/plans/([^/]+)/selections/?([^/]*)$", self.path.split("?")[0])
        plan_id, selection_id = m.group(1), m.group(2)
        backend = _state(self.backup_backend)
        if plan_id not in backend.plans:
            raise ResourceNotFoundException(f"Failed reading Backup plan with provided version {plan_id}")
        return backend, plan_id, selection_id

    def _vault(self):  # type: ignore[no-untyped-def]
        name = re.search(r"/backup-vaults/([^/]+)/", self.path.split("?")[0]).group(1)
        backend = _state(self.backup_backend)
        if name not in backend.vaults:
            raise ResourceNotFoundException(f"Backup vault {name} does not exist")
        return backend, name

    def create_backup_selection(self):  # type: ignore[no-untyped-def]
        backend, plan_id, _ = _plan_and_selection(self)
        body = json.loads(self.body or "{}")
        selection_id = str(uuid.uuid4())
        record = {"SelectionId": selection_id, "BackupPlanId": plan_id, "CreationDate": time.time(),
                  "CreatorRequestId": body.get("CreatorRequestId"), "BackupSelection": body["BackupSelection"]}
        backend._launcher_selections.setdefault(plan_id, {})[selection_id] = record
        return json.dumps({k: record[k] for k in ("SelectionId", "BackupPlanId", "CreationDate")})

    def _selection(backend, plan_id, selection_id):  # type: ignore[no-untyped-def]
        record = backend._launcher_selections.get(plan_id, {}).get(selection_id)
        if record is None:
            raise ResourceNotFoundException(f"Failed reading Backup selection {selection_id} of plan {plan_id}")
        return record

    def get_backup_selection(self):  # type: ignore[no-untyped-def]
        backend, plan_id, selection_id = _plan_and_selection(self)
        return json.dumps(_selection(backend, plan_id, selection_id))

    def delete_backup_selection(self):  # type: ignore[no-untyped-def]
        backend, plan_id, selection_id = _plan_and_selection(self)
        _selection(backend, plan_id, selection_id)
        del backend._launcher_selections[plan_id][selection_id]
        return EmptyResult()

    def list_backup_selections(self):  # type: ignore[no-untyped-def]
        backend, plan_id, _ = _plan_and_selection(self)
        return json.dumps({"BackupSelectionsList": [
            {"SelectionId": r["SelectionId"], "SelectionName": r["BackupSelection"]["SelectionName"],
             "BackupPlanId": plan_id, "CreationDate": r["CreationDate"],
             "IamRoleArn": r["BackupSelection"]["IamRoleArn"]}
            for r in backend._launcher_selections.get(plan_id, {}).values()]})

    def put_backup_vault_access_policy(self):  # type: ignore[no-untyped-def]
        backend, name = _vault(self)
        backend._launcher_vault_policies[name] = json.loads(self.body or "{}").get("Policy")
        return EmptyResult()

    def get_backup_vault_access_policy(self):  # type: ignore[no-untyped-def]
        backend, name = _vault(self)
        if name not in backend._launcher_vault_policies:
            raise ResourceNotFoundException(f"Backup vault {name} has no access policy")
        return json.dumps({"BackupVaultName": name, "BackupVaultArn": backend.vaults[name].backup_vault_arn,
                           "Policy": backend._launcher_vault_policies[name]})

    def delete_backup_vault_access_policy(self):  # type: ignore[no-untyped-def]
        backend, name = _vault(self)
        backend._launcher_vault_policies.pop(name, None)
        return EmptyResult()

    def list_recovery_points_by_backup_vault(self):  # type: ignore[no-untyped-def]
        _vault(self)
        return json.dumps({"RecoveryPoints": []})

    def list_tags(self):  # type: ignore[no-untyped-def]
        arn = unquote(self.path.split("?")[0].split("/tags/", 1)[1].rstrip("/"))
        return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=arn)})

    for fn in (list_tags, create_backup_selection, get_backup_selection, delete_backup_selection,
               list_backup_selections, put_backup_vault_access_policy,
               get_backup_vault_access_policy, delete_backup_vault_access_policy,
               list_recovery_points_by_backup_vault):
        setattr(R, fn.__name__, fn)


@patch("backup_jobs_recovery_points_restores")
def _patch_backup_jobs_recovery_points_restores() -> None:
    """StartBackupJob, ListRecoveryPointsByBackupVault, DescribeRecoveryPoint,
    DeleteRecoveryPoint, StartRestoreJob, DescribeRestoreJob for EBS volumes
    (moto 5.2.1 has no route for any of them); DeleteBackupVault refuses a
    vault that still holds recovery points, as AWS does.

    No schedule ever runs here, so a test starts the backup job a daily rule
    would have started. The job completes at once: the recovery point is an
    EC2 snapshot of the volume, carrying the volume's tags (AWS Backup copies
    a volume's tags to its snapshot), and its ARN is the snapshot's
    (arn:aws:ec2:<region>::snapshot/snap-...), as AWS names EBS recovery
    points. Deleting the recovery point deletes the snapshot; a deleted one is
    ResourceNotFoundException, which the provider's force_destroy waits for.

    A restore job creates a volume from the snapshot in the metadata's
    availabilityZone (volumeType, volumeSize, encrypted, kmsKeyId honoured),
    copying the snapshot's tags when CopySourceTagsToRestoredResource is set.
    DescribeRestoreJob answers RUNNING once, then COMPLETED with the volume's
    ARN, so that a caller's wait loop is exercised.
    """
    import re
    import time
    import uuid

    from urllib.parse import unquote

    from moto.backup import responses, urls
    from moto.backup.exceptions import ResourceNotFoundException
    from moto.core.exceptions import JsonRESTError
    from moto.core.responses import EmptyResult
    from moto.ec2.models import ec2_backends

    for path in ("{0}/backup-jobs$", "{0}/backup-jobs/$", "{0}/restore-jobs$", "{0}/restore-jobs/$",
                 "{0}/restore-jobs/(?P<job>[^/]+)$",
                 "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/(?P<arn>.+)$"):
        urls.url_paths.setdefault(path, urls.response.dispatch)
    R = responses.BackupResponse

    class InvalidRequestException(JsonRESTError):
        def __init__(self, message: str) -> None:
            super().__init__("InvalidRequestException", message)

    def _state(backend):  # type: ignore[no-untyped-def]
        if not hasattr(backend, "_launcher_points"):
            backend._launcher_points = {}  # vault name -> recovery point arn -> record
            backend._launcher_restores = {}  # job id -> record
        return backend

    def _ec2(self):  # type: ignore[no-untyped-def]
        return ec2_backends[self.current_account][self.region]

    def _vault_name(self):  # type: ignore[no-untyped-def]
        name = re.search(r"/backup-vaults/([^/]+)/", self.path.split("?")[0]).group(1)
        if name not in self.backup_backend.vaults:
            raise ResourceNotFoundException(f"Backup vault {name} does not exist")
        return name

    def _point_arn(self):  # type: ignore[no-untyped-def]
        return unquote(self.path.split("?")[0].split("/recovery-points/", 1)[1])

    def _point(self):  # type: ignore[no-untyped-def]
        backend = _state(self.backup_backend)
        name, arn = _vault_name(self), _point_arn(self)
        record = backend._launcher_points.get(name, {}).get(arn)
        if record is None:
            raise ResourceNotFoundException(f"Recovery point {arn} not found in vault {name}")
        return backend, name, arn, record

    def start_backup_job(self):  # type: ignore[no-untyped-def]
        backend = _state(self.backup_backend)
        body = json.loads(self.body or "{}")
        vault = body["BackupVaultName"]
        if vault not in backend.vaults:
            raise ResourceNotFoundException(f"Backup vault {vault} does not exist")
        resource = body["ResourceArn"]
        m = re.fullmatch(r"arn:aws:ec2:[^:]+:\d{12}:volume/(vol-[0-9a-f]+)", resource)
        if not m:
            raise InvalidRequestException(f"Only EBS volumes are backed up here, not {resource}")
        ec2 = _ec2(self)
        snapshot = ec2.create_snapshot(m.group(1), f"AWS Backup job for {resource}")
        tags = {k: v for k, v in ec2.tags.get(m.group(1), {}).items() if not k.startswith("aws:")}
        if tags:
            ec2.create_tags([snapshot.id], tags)
        arn = f"arn:aws:ec2:{self.region}::snapshot/{snapshot.id}"
        now = time.time()
        record = {"RecoveryPointArn": arn, "BackupVaultName": vault,
                  "BackupVaultArn": backend.vaults[vault].backup_vault_arn, "ResourceArn": resource,
                  "ResourceType": "EBS", "Status": "COMPLETED", "CreationDate": now, "CompletionDate": now,
                  "BackupSizeInBytes": snapshot.volume.size * 1024 ** 3, "IamRoleArn": body.get("IamRoleArn"),
                  "EncryptionKeyArn": backend.vaults[vault].encryption_key_arn}
        backend._launcher_points.setdefault(vault, {})[arn] = record
        return json.dumps({"BackupJobId": str(uuid.uuid4()).upper(), "RecoveryPointArn": arn, "CreationDate": now})

    def list_recovery_points_by_backup_vault(self):  # type: ignore[no-untyped-def]
        backend = _state(self.backup_backend)
        name = _vault_name(self)
        points = list(backend._launcher_points.get(name, {}).values())
        kind, arn = self._get_param("byResourceType"), self._get_param("byResourceArn")
        points = [p for p in points if (not kind or p["ResourceType"] == kind) and (not arn or p["ResourceArn"] == arn)]
        return json.dumps({"RecoveryPoints": points})

    def describe_recovery_point(self):  # type: ignore[no-untyped-def]
        return json.dumps(_point(self)[3])

    def delete_recovery_point(self):  # type: ignore[no-untyped-def]
        backend, name, arn, _ = _point(self)
        del backend._launcher_points[name][arn]
        _ec2(self).delete_snapshot(arn.rsplit("/", 1)[1])
        return EmptyResult()

    original_delete_vault = R.delete_backup_vault

    def delete_backup_vault(self):  # type: ignore[no-untyped-def]
        name = unquote(self.path.split("?")[0].rstrip("/").rsplit("/", 1)[1])
        if _state(self.backup_backend)._launcher_points.get(name):
            raise InvalidRequestException(f"Backup vault {name} cannot be deleted because it contains recovery points")
        return original_delete_vault(self)

    def start_restore_job(self):  # type: ignore[no-untyped-def]
        backend = _state(self.backup_backend)
        body = json.loads(self.body or "{}")
        arn, meta = body["RecoveryPointArn"], body.get("Metadata", {})
        if not any(arn in points for points in backend._launcher_points.values()):
            raise ResourceNotFoundException(f"Recovery point {arn} not found")
        if "availabilityZone" not in meta:
            raise InvalidRequestException("Restore metadata of an EBS recovery point needs availabilityZone")
        ec2 = _ec2(self)
        snapshot = ec2.get_snapshot(arn.rsplit("/", 1)[1])
        encrypted = str(meta.get("encrypted", snapshot.encrypted)).lower() == "true"
        volume = ec2.create_volume(size=int(meta.get("volumeSize", snapshot.volume.size)), zone_name=meta["availabilityZone"],
                                   snapshot_id=snapshot.id, encrypted=encrypted, kms_key_id=meta.get("kmsKeyId"),
                                   volume_type=meta.get("volumeType", "gp3"))
        if body.get("CopySourceTagsToRestoredResource"):
            tags = ec2.tags.get(snapshot.id, {})
            if tags:
                ec2.create_tags([volume.id], dict(tags))
        job_id = str(uuid.uuid4()).upper()
        backend._launcher_restores[job_id] = {
            "RestoreJobId": job_id, "AccountId": self.current_account, "RecoveryPointArn": arn,
            "CreationDate": time.time(), "IamRoleArn": body.get("IamRoleArn"), "ResourceType": "EBS",
            "CreatedResourceArn": f"arn:aws:ec2:{self.region}:{self.current_account}:volume/{volume.id}",
            "_describes": 0}
        return json.dumps({"RestoreJobId": job_id})

    def describe_restore_job(self):  # type: ignore[no-untyped-def]
        backend = _state(self.backup_backend)
        job_id = self.path.split("?")[0].rstrip("/").rsplit("/", 1)[1]
        record = backend._launcher_restores.get(job_id)
        if record is None:
            raise ResourceNotFoundException(f"Restore job {job_id} not found")
        record["_describes"] += 1
        answer = {k: v for k, v in record.items() if not k.startswith("_")}
        if record["_describes"] == 1:
            answer.update(Status="RUNNING", PercentDone="50.00%")
            del answer["CreatedResourceArn"]
        else:
            answer.update(Status="COMPLETED", PercentDone="100.00%", CompletionDate=time.time())
        return json.dumps(answer)

    for fn in (start_backup_job, list_recovery_points_by_backup_vault, describe_recovery_point,
               delete_recovery_point, delete_backup_vault, start_restore_job, describe_restore_job):
        setattr(R, fn.__name__, fn)


def main(argv: list[str] | None = None) -> int:
    global ASSUME_TLS
    confine_to_loopback()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    parser.add_argument(
        "--disable", action="append", default=[], metavar="PATCH",
        help="do not apply this patch (repeatable)",
    )
    parser.add_argument(
        "--no-assume-tls", dest="assume_tls", action="store_false",
        help="evaluate aws:SecureTransport from the real request scheme "
        "(plain http => false) instead of treating this local endpoint as "
        "the AWS HTTPS endpoint it stands in for",
    )
    parser.add_argument("--list-patches", action="store_true")
    parser.add_argument("--quiet", action="store_true", help="no request log")
    args = parser.parse_args(argv)

    if args.list_patches:
        for name, fn in PATCHES.items():
            doc = (fn.__doc__ or "").strip().splitlines()
            print(f"{name}: {doc[0] if doc else ''}")
        return 0

    ASSUME_TLS = args.assume_tls
    apply_patches(set(args.disable))

    from werkzeug.serving import make_server

    server = make_server(HOST, args.port, build_app(), threaded=True)
    port = server.server_address[1]
    # moto builds some URLs (S3 presigned, SQS queue urls) from MOTO_PORT.
    os.environ.setdefault("MOTO_PORT", str(port))
    if args.quiet:
        import logging

        logging.getLogger("werkzeug").setLevel(logging.ERROR)

    stop = threading.Event()

    def on_signal(signum, frame):  # type: ignore[no-untyped-def]
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"PORT={port}", flush=True)
    print(f"moto launcher listening on http://{HOST}:{port}", file=sys.stderr, flush=True)
    while not stop.wait(0.5):
        if not thread.is_alive():
            return 1
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
