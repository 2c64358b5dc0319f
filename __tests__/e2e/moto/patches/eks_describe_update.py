"""DescribeUpdate (GET /clusters/{name}/updates/{updateId}) and ListUpdates.

The provider waits on DescribeUpdate after every UpdateClusterConfig /
UpdateNodegroupConfig / UpdateNodegroupVersion / UpdateAddon; moto has no
route (404). moto's UpdateNodegroupConfig also returns an Update without
keeping it, and UpdateClusterConfig returns a `cluster` instead of the
`update` the API specifies (and ignores accessConfig). Updates complete
immediately (status Successful), as nothing runs behind them.
"""
from __future__ import annotations

from . import _eks


def apply() -> None:
    ns = _eks.imports()
    _eks.add_routes(ns, [
        "{0}/clusters/(?P<name>[^/]+)/updates$",
        "{0}/clusters/(?P<name>[^/]+)/updates/(?P<updateId>[^/]+)$",
        "{0}/clusters/(?P<name>[^/]+)/node-groups/(?P<nodegroupName>[^/]+)/update-version$",
    ])
    R = ns.responses.EKSResponse

    def describe_update(self):  # type: ignore[no-untyped-def]
        cluster = _eks.cluster(ns, self.eks_backend, self._get_param("name"))
        update_id = self._get_param("updateId")
        entry = cluster.updates.get(update_id)
        if entry is None or entry[0] != self._get_param("nodegroupName") or \
                entry[1] != self._get_param("addonName"):
            raise _eks.not_found(ns, f"No update found for ID: {update_id}.",
                                 clusterName=cluster.name)
        return ns.ActionResult({"update": entry[2]})

    def list_updates(self):  # type: ignore[no-untyped-def]
        cluster = _eks.cluster(ns, self.eks_backend, self._get_param("name"))
        ng, addon = self._get_param("nodegroupName"), self._get_param("addonName")
        ids = [k for k, (n, a, _) in cluster.updates.items() if n == ng and a == addon]
        return ns.ActionResult({"updateIds": ids})

    def update_cluster_config(self):  # type: ignore[no-untyped-def]
        name = self._get_param("name")
        cluster = _eks.cluster(ns, self.eks_backend, name)
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
                current = getattr(cluster, _eks.snake(key), None)
                setattr(cluster, _eks.snake(key), {**(current or {}), **value}
                        if isinstance(value, dict) else value)
                params[key[0].upper() + key[1:]] = value
        if self._get_param("deletionProtection") is not None:
            cluster.deletion_protection = self._get_param("deletionProtection")
            params["DeletionProtection"] = str(cluster.deletion_protection).lower()
        update_type = "AccessConfigUpdate" if "AuthenticationMode" in params else (
            "LoggingUpdate" if "ClusterLogging" in params else "EndpointAccessUpdate"
            if vpc else "ConfigUpdate")
        return ns.ActionResult({"update": _eks.record_update(ns, cluster, update_type, params)})

    original_update_nodegroup_config = R.update_nodegroup_config

    def update_nodegroup_config(self):  # type: ignore[no-untyped-def]
        result = original_update_nodegroup_config(self)
        cluster = _eks.cluster(ns, self.eks_backend, self._get_param("name"))
        update = result.result["update"]
        cluster.updates[update["id"]] = (self._get_param("nodegroupName"), None, update)
        return result

    def update_nodegroup_version(self):  # type: ignore[no-untyped-def]
        cluster = _eks.cluster(ns, self.eks_backend, self._get_param("name"))
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
        update = _eks.record_update(ns, cluster, "VersionUpdate", params, nodegroup=ng_name)
        return ns.ActionResult({"update": update})

    R.describe_update = describe_update
    R.list_updates = list_updates
    R.update_cluster_config = update_cluster_config
    R.update_nodegroup_config = update_nodegroup_config
    R.update_nodegroup_version = update_nodegroup_version
