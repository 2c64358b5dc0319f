"""TagResource / UntagResource / ListTagsForResource for every taggable EKS
resource (clusters, managed node groups, Fargate profiles, addons, access
entries). moto only finds clusters, so changing default_tags on a node
group or addon failed with NotFound.
"""
from __future__ import annotations

from . import _eks


def apply() -> None:
    ns = _eks.imports()
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
        raise _eks.not_found(ns, "Resource was not found")

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
