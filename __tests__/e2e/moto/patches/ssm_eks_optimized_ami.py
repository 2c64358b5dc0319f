"""GetParameter(s) of the EKS-optimized AMI's public parameters
(/aws/service/eks/optimized-ami/<minor>/amazon-linux-2023/x86_64/standard/recommended/release_version
and .../image_id; moto 5.2.1 ships the ECS and Amazon Linux ones, not these: ParameterNotFound).

AWS publishes, per Kubernetes minor, the release EKS recommends for new nodes; `npm run
check-versions` reads it to report a newer release than versions.yaml pins. The catalog below
is this stand-in's: the newest releases named in public records read 2026-12-06 (versions.yaml
cites them). A minor missing here has no parameter, as AWS answers for a minor it has no AMI for.
"""
from __future__ import annotations

import hashlib

PREFIX = "/aws/service/eks/optimized-ami"
EKS_AMI_CATALOG = {
    "1.35": "1.35.7-20260827",
    "1.36": "1.36.4-20260923",
}


def parameters() -> dict:
    """Name -> value of every parameter the patch serves."""
    out = {}
    for minor, release in EKS_AMI_CATALOG.items():
        base = f"{PREFIX}/{minor}/amazon-linux-2023/x86_64/standard/recommended"
        out[f"{base}/release_version"] = release
        # A stable, made-up image id per release (the real one differs per region).
        out[f"{base}/image_id"] = "ami-" + hashlib.sha256(release.encode()).hexdigest()[:17]
    return out


def apply() -> None:
    from moto.ssm import models

    original = models.ParameterDict._check_loading_status

    def _check_loading_status(self, key):  # type: ignore[no-untyped-def]
        original(self, key)
        if str(key or "").startswith(PREFIX) and not getattr(self, "eks_amis_loaded", False):
            self.eks_amis_loaded = True
            for name, value in parameters().items():
                defaultdict_get = super(models.ParameterDict, self).__getitem__
                defaultdict_get(name).append(models.Parameter(
                    account_id=self.account_id, name=name, value=value, parameter_type="String",
                    description=None, allowed_pattern=None, keyid=None,
                    last_modified_date=models.utcnow(), version=1, data_type="text"))

    models.ParameterDict._check_loading_status = _check_loading_status
