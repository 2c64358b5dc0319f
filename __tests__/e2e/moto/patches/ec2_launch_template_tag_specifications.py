"""CreateLaunchTemplate: the request's top-level TagSpecifications (with
ResourceType=launch-template) tag the launch template *resource*; they are
not launch template data. moto 5.2.1 also appends them to
LaunchTemplateData.TagSpecifications, so DescribeLaunchTemplateVersions
returned an extra {"ResourceType": "launch-template", ...} entry and
aws_launch_template.tag_specifications (and every node group pointing at
latest_version) drifted whenever tags/default_tags were set.
"""
from __future__ import annotations


def apply() -> None:
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
