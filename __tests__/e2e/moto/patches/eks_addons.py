"""CreateAddon, DescribeAddon, ListAddons, UpdateAddon, DeleteAddon,
DescribeAddonVersions (moto 5.2.1: no routes, 404).

Addons live per cluster, become ACTIVE at once, ARN
arn:aws:eks:<region>:<account>:addon/<cluster>/<addon>/<uuid>. When no
addonVersion is requested EKS installs the default version for the
cluster's Kubernetes version (reported by DescribeAddonVersions).
"""
from __future__ import annotations

from . import _eks

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
    "amazon-cloudwatch-observability": {"*": ["v6.4.0-eksbuild.1", "v6.5.0-eksbuild.1", "v6.6.0-eksbuild.1"],
                                        "1.36": ["v6.6.0-eksbuild.1", "v6.7.0-eksbuild.1"]},
}


def eks_addon_versions(name: str, k8s: str) -> list:
    """The versions of an add-on offered for a Kubernetes version, oldest first."""
    table = EKS_ADDON_CATALOG.get(name, {"*": ["v1.0.0-eksbuild.1"]})
    return [v.format(k8s=k8s) for v in table.get(k8s, table["*"])]


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


def apply() -> None:
    ns = _eks.imports()
    _eks.add_routes(ns, [
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
            raise _eks.not_found(ns, f"No addon: {name} found in cluster: {cluster.name}",
                                 clusterName=cluster.name, addonName=name)
        return addon

    def create_addon(self):  # type: ignore[no-untyped-def]
        cluster = _eks.cluster(ns, self.eks_backend, _eks.uri(self, "clusterName", "name"))
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
        cluster = _eks.cluster(ns, self.eks_backend, _eks.uri(self, "clusterName", "name"))
        return ns.ActionResult({"addon": _addon(self, cluster)})

    def list_addons(self):  # type: ignore[no-untyped-def]
        cluster = _eks.cluster(ns, self.eks_backend, _eks.uri(self, "clusterName", "name"))
        return ns.ActionResult({"addons": sorted(cluster.addons)})

    def update_addon(self):  # type: ignore[no-untyped-def]
        cluster = _eks.cluster(ns, self.eks_backend, _eks.uri(self, "clusterName", "name"))
        addon = _addon(self, cluster)
        params = {}
        for key in ("addonVersion", "serviceAccountRoleArn", "configurationValues"):
            value = self._get_param(key)
            if value is not None:
                setattr(addon, _eks.snake(key), value)
                params[key[0].upper() + key[1:]] = value
        if self._get_param("resolveConflicts"):
            params["ResolveConflicts"] = self._get_param("resolveConflicts")
        addon.modified_at = ns.utcnow()
        update = _eks.record_update(ns, cluster, "AddonUpdate", params, addon=addon.addon_name)
        return ns.ActionResult({"update": update})

    def delete_addon(self):  # type: ignore[no-untyped-def]
        cluster = _eks.cluster(ns, self.eks_backend, _eks.uri(self, "clusterName", "name"))
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
