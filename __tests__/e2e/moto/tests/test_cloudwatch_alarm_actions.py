"""Tests patches/cloudwatch_alarm_actions.py: SetAlarmState publishes to the alarm's SNS actions
of the new state (moto 5.2.1 notified nobody), once per change.
"""
from __future__ import annotations

import json
import unittest

from .support import server
from .test_events_sns_target import _queue_on_topic


class CloudwatchAlarmActionsTest(unittest.TestCase):
    def test_alarm_and_ok_reach_the_topic_with_the_alarm_and_its_states(self) -> None:
        topic, queue = _queue_on_topic("alarm-actions")
        cw = server().client("cloudwatch")
        cw.put_metric_alarm(
            AlarmName="nodes-not-ready", Namespace="ContainerInsights", MetricName="cluster_failed_node_count",
            Statistic="Maximum", Period=60, EvaluationPeriods=1, Threshold=0, ComparisonOperator="GreaterThanThreshold",
            AlarmActions=[topic], OKActions=[topic],
        )
        cw.set_alarm_state(AlarmName="nodes-not-ready", StateValue="ALARM", StateReason="test")
        cw.set_alarm_state(AlarmName="nodes-not-ready", StateValue="ALARM", StateReason="again: no change, no message")
        cw.set_alarm_state(AlarmName="nodes-not-ready", StateValue="OK", StateReason="back")
        sqs = server().client("sqs")
        bodies = []
        for _ in range(3):
            bodies += [json.loads(m["Body"]) for m in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])]
        self.assertEqual(sorted(b["NewStateValue"] for b in bodies), ["ALARM", "OK"])
        self.assertTrue(all(b["AlarmName"] == "nodes-not-ready" for b in bodies))


if __name__ == "__main__":
    unittest.main()
