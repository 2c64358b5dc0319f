"""Tests patches/events_sns_target.py: an event a rule matches reaches its SNS target's
subscribers (moto 5.2.1 raised NotImplementedError inside PutEvents and dropped it).
"""
from __future__ import annotations

import json
import unittest

from .support import server


def _queue_on_topic(name: str) -> tuple[str, str]:
    """A topic with a raw-delivery SQS subscriber; (topic ARN, queue URL)."""
    sns, sqs = server().client("sns"), server().client("sqs")
    topic = sns.create_topic(Name=name)["TopicArn"]
    queue = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    return topic, queue


class EventsSnsTargetTest(unittest.TestCase):
    def test_a_matched_event_is_published_to_the_topic_and_an_unmatched_one_is_not(self) -> None:
        topic, queue = _queue_on_topic("events-sns-target")
        events = server().client("events")
        pattern = {"source": ["aws.backup"], "detail-type": ["Backup Job State Change"], "detail": {"state": ["FAILED"]}}
        events.put_rule(Name="backup-failed", EventPattern=json.dumps(pattern))
        events.put_targets(Rule="backup-failed", Targets=[{"Id": "topic", "Arn": topic}])
        entry = {"Source": "aws.backup", "DetailType": "Backup Job State Change"}
        events.put_events(Entries=[{**entry, "Detail": json.dumps({"state": "COMPLETED"})}])
        events.put_events(Entries=[{**entry, "Detail": json.dumps({"state": "FAILED", "backupJobId": "job-1"})}])
        messages = server().client("sqs").receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        self.assertEqual(len(messages), 1)
        event = json.loads(messages[0]["Body"])
        self.assertEqual(event["source"], "aws.backup")
        self.assertEqual(event["detail"]["backupJobId"], "job-1")


if __name__ == "__main__":
    unittest.main()
