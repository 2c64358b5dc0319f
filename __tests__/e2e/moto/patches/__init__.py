"""The launcher's patches to moto 5.2.1, one module each, in the order they are applied.

Each patch fills a gap in moto that made Terraform fail or show a diff on the
second plan of the e2e test; its module docstring says which AWS behaviour it
supplies and which moto defect it works around (the first line is what
`launcher.py --list-patches` prints). A patch module imports moto only inside
its `apply()`, so listing the patches does not load moto.

Shared helpers (not patches): `_eks` (EKS routing, stores and errors used by
the eks_* patches) and `request_context` (per-request TLS flag, read by
s3_bucket_policy_secure_transport and set by the middleware the launcher wraps
around moto's app).
"""
from __future__ import annotations

from types import ModuleType

from . import (
    backup_jobs_recovery_points_restores,
    backup_plan_name_after_delete,
    backup_selections_vault_policy_recovery_points,
    cloudwatch_alarm_actions,
    ec2_launch_template_tag_specifications,
    eks_access_entries,
    eks_addons,
    eks_cluster_describe_fields,
    eks_describe_update,
    eks_nodegroup_fields,
    eks_tags_all_resources,
    events_sns_target,
    s3_bucket_policy_secure_transport,
    s3_delete_version_in_suspended_bucket,
    ssm_eks_optimized_ami,
)

# name -> module, in the order the patches are applied (the name is the module's).
PATCHES: dict[str, ModuleType] = {
    module.__name__.rsplit(".", 1)[1]: module
    for module in (
        eks_describe_update,
        eks_cluster_describe_fields,
        eks_nodegroup_fields,
        eks_addons,
        eks_access_entries,
        eks_tags_all_resources,
        s3_bucket_policy_secure_transport,
        s3_delete_version_in_suspended_bucket,
        ec2_launch_template_tag_specifications,
        backup_selections_vault_policy_recovery_points,
        backup_jobs_recovery_points_restores,
        backup_plan_name_after_delete,
        ssm_eks_optimized_ami,
        events_sns_target,
        cloudwatch_alarm_actions,
    )
}


def summary(name: str) -> str:
    """The first line of a patch's docstring."""
    doc = (PATCHES[name].__doc__ or "").strip().splitlines()
    return doc[0] if doc else ""


def apply_patches(disabled: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    unknown = set(disabled) - set(PATCHES)
    if unknown:
        raise SystemExit(f"unknown patch(es): {', '.join(sorted(unknown))}")
    applied = []
    for name, module in PATCHES.items():
        if name in disabled:
            continue
        module.apply()
        applied.append(name)
    return applied
