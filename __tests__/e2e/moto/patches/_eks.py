"""Plumbing shared by the EKS patches (not a patch itself).

moto 5.2.1 structure: moto/eks/{urls,responses,models}.py. Requests are routed
by moto.eks.urls.url_paths (flask rules, read when the EKS app is first built,
i.e. after the patches) to EKSResponse.dispatch, which picks the operation from
botocore's model (HTTP method + request URI) and calls the EKSResponse method of
the same snake_case name; ActionResult serialises Python objects/dicts against
botocore's output shape. API reference:
https://docs.aws.amazon.com/eks/latest/APIReference/

The patches add per-cluster stores moto lacks (addons, access entries,
updates); `cluster()` creates them on first use. moto is imported only when a
patch is applied (`imports()`), so listing the patches does not load it.
"""
from __future__ import annotations

import json


def imports():  # type: ignore[no-untyped-def]
    """The moto names the EKS patches use, as one namespace."""
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


def not_found(ns, message, **kw):  # type: ignore[no-untyped-def]
    fields = {"clusterName": None, "nodegroupName": None,
              "fargateProfileName": None, "addonName": None}
    fields.update(kw)
    return ns.ResourceNotFoundException(message=message, **fields)


def cluster(ns, backend, name):  # type: ignore[no-untyped-def]
    found = backend.clusters.get(name)
    if found is None:
        raise not_found(ns, ns.models.CLUSTER_NOT_FOUND_MSG.format(clusterName=name),
                        clusterName=name)
    # lazily-added per-cluster stores used by the patches
    if not hasattr(found, "addons"):
        found.addons = {}
        found.access_entries = {}
        found.updates = {}
    return found


def record_update(ns, cluster, update_type, params, nodegroup=None, addon=None):  # type: ignore[no-untyped-def]
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


def uri(self, member, group=None):  # type: ignore[no-untyped-def]
    """A request member bound to the URI: botocore names some of them
    differently from the URI label (clusterName <- {name})."""
    value = self._get_param(member)
    if value is None and getattr(self, "uri_match", None) is not None:
        value = self.uri_match.groupdict().get(group or member)
    return value


def add_routes(ns, paths):  # type: ignore[no-untyped-def]
    for path in paths:
        ns.urls.url_paths.setdefault(path, ns.urls.response.dispatch)


def snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)
