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
from __future__ import annotations

from . import _eks


def apply() -> None:
    from urllib.parse import unquote

    ns = _eks.imports()
    _eks.add_routes(ns, [
        "{0}/clusters/(?P<name>[^/]+)/access-entries$",
        "{0}/clusters/(?P<name>[^/]+)/access-entries/(?P<principalArn>.+)$",
    ])
    R = ns.responses.EKSResponse

    def _entry(self, cluster):  # type: ignore[no-untyped-def]
        arn = unquote(_eks.uri(self, "principalArn"))
        entry = cluster.access_entries.get(arn)
        if entry is None:
            raise _eks.not_found(
                ns, f"The specified access entry resource is not found.",
                clusterName=cluster.name)
        return entry

    def create_access_entry(self):  # type: ignore[no-untyped-def]
        cluster = _eks.cluster(ns, self.eks_backend, _eks.uri(self, "clusterName", "name"))
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
        cluster = _eks.cluster(ns, self.eks_backend, _eks.uri(self, "clusterName", "name"))
        return ns.ActionResult({"accessEntry": _entry(self, cluster)})

    def list_access_entries(self):  # type: ignore[no-untyped-def]
        cluster = _eks.cluster(ns, self.eks_backend, _eks.uri(self, "clusterName", "name"))
        policy = self._get_param("associatedPolicyArn")
        arns = [a for a, e in cluster.access_entries.items()
                if not policy or policy in e["_policies"]]
        return ns.ActionResult({"accessEntries": sorted(arns)})

    def update_access_entry(self):  # type: ignore[no-untyped-def]
        cluster = _eks.cluster(ns, self.eks_backend, _eks.uri(self, "clusterName", "name"))
        entry = _entry(self, cluster)
        for key in ("kubernetesGroups", "username"):
            if self._get_param(key) is not None:
                entry[key] = self._get_param(key)
        entry["modifiedAt"] = ns.utcnow()
        return ns.ActionResult({"accessEntry": entry})

    def delete_access_entry(self):  # type: ignore[no-untyped-def]
        cluster = _eks.cluster(ns, self.eks_backend, _eks.uri(self, "clusterName", "name"))
        entry = _entry(self, cluster)
        del cluster.access_entries[entry["principalArn"]]
        return ns.EmptyResult()

    def associate_access_policy(self):  # type: ignore[no-untyped-def]
        cluster = _eks.cluster(ns, self.eks_backend, _eks.uri(self, "clusterName", "name"))
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
        cluster = _eks.cluster(ns, self.eks_backend, _eks.uri(self, "clusterName", "name"))
        entry = _entry(self, cluster)
        return ns.ActionResult({"clusterName": cluster.name,
                                "principalArn": entry["principalArn"],
                                "associatedAccessPolicies": list(entry["_policies"].values())})

    def disassociate_access_policy(self):  # type: ignore[no-untyped-def]
        cluster = _eks.cluster(ns, self.eks_backend, _eks.uri(self, "clusterName", "name"))
        entry = _entry(self, cluster)
        policy_arn = unquote(_eks.uri(self, "policyArn"))
        if entry["_policies"].pop(policy_arn, None) is None:
            raise _eks.not_found(ns, "The specified access policy association is not found.",
                                 clusterName=cluster.name)
        return ns.EmptyResult()

    for fn in (create_access_entry, describe_access_entry, list_access_entries,
               update_access_entry, delete_access_entry, associate_access_policy,
               list_associated_access_policies, disassociate_access_policy):
        setattr(R, fn.__name__, fn)
