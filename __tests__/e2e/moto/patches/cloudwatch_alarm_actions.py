"""A CloudWatch alarm's SNS actions on a state change (moto 5.2.1: SetAlarmState changes the
state and notifies nobody).

AWS publishes to every SNS topic in the alarm's AlarmActions when it enters ALARM, OKActions when
it enters OK, InsufficientDataActions for INSUFFICIENT_DATA (if actions are enabled and the state
changed), the message a JSON document with AlarmName, NewStateValue, OldStateValue and
NewStateReason among its fields, and the subject `ALARM: "<name>" in <region>`.
"""
from __future__ import annotations

import json


def apply() -> None:
    from moto.cloudwatch import models
    from moto.sns.models import sns_backends
    from moto.utilities.arns import parse_arn

    original = models.CloudWatchBackend.set_alarm_state

    def set_alarm_state(self, alarm_name, reason, reason_data, state_value):  # type: ignore[no-untyped-def]
        alarm = self.alarms.get(alarm_name)
        old = alarm.state_value if alarm else None
        original(self, alarm_name, reason, reason_data, state_value)
        if alarm is None or old == state_value or not alarm.actions_enabled:
            return
        actions = {"ALARM": alarm.alarm_actions, "OK": alarm.ok_actions, "INSUFFICIENT_DATA": alarm.insufficient_data_actions}[state_value]
        message = json.dumps({
            "AlarmName": alarm.name,
            "AlarmDescription": alarm.description,
            "AWSAccountId": parse_arn(alarm.alarm_arn).account,
            "NewStateValue": state_value,
            "NewStateReason": reason,
            "OldStateValue": old,
            "Region": alarm.region_name,
            "AlarmArn": alarm.alarm_arn,
        })
        for action in actions or []:
            arn = parse_arn(action)
            if arn.service == "sns":
                sns_backends[arn.account][arn.region].publish(
                    message=message, arn=action, subject=f'{state_value}: "{alarm.name}" in {alarm.region_name}'[:99]
                )

    models.CloudWatchBackend.set_alarm_state = set_alarm_state
