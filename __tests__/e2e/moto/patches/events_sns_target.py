"""EventBridge rules with an SNS topic as target (moto 5.2.1: NotImplementedError, the event
is lost and PutEvents still answers success).

AWS delivers each event a rule matches to its SNS target as the message body, the event as JSON
(no InputTransformer here), published to the topic: its subscribers (SQS, e-mail...) receive it.
The platform routes failed AWS Backup jobs to its alert topic this way.
"""
from __future__ import annotations

import json


def apply() -> None:
    from moto.events import models
    from moto.sns.models import sns_backends
    from moto.utilities.arns import parse_arn

    original = models.Rule.send_to_targets

    def send_to_targets(self, original_event, transform_input=True):  # type: ignore[no-untyped-def]
        sns = [t for t in self.targets if parse_arn(t["Arn"]).service == "sns"]
        if sns and self.event_pattern.matches_event(original_event):
            for target in sns:
                arn = parse_arn(target["Arn"])
                sns_backends[arn.account][arn.region].publish(message=json.dumps(original_event), arn=target["Arn"])
        others = [t for t in self.targets if parse_arn(t["Arn"]).service != "sns"]
        if not others:
            return
        kept = self.targets
        self.targets = others
        try:
            original(self, original_event, transform_input)
        finally:
            self.targets = kept

    models.Rule.send_to_targets = send_to_targets
