"""Bucket policies with Conditions, e.g. the standard "deny non-TLS" one:
  {"Effect":"Deny","Principal":"*","Action":"s3:*",
   "Condition":{"Bool":{"aws:SecureTransport":"false"}}}

moto 5.2.1 evaluates bucket policies (FakeBucket.get_permission ->
IAMPolicyStatement.is_action_permitted) with no request context and only
knows the StringEquals operator: an unknown operator (Bool) counts as
"condition satisfied", so the Deny above denied every object read/write
(Terraform's S3 backend got 403 on the state object). AWS semantics
(IAM JSON policy reference, "Condition" / "Bool"; S3 "aws:SecureTransport"):
  - aws:SecureTransport is "true" when the request was sent over TLS;
  - Bool compares case-insensitively to "true"/"false";
  - a statement whose Condition does not match does not apply
    (neither Allow nor Deny), instead of moto's DENIED.
The launcher stands in for the AWS HTTPS endpoint, which accepts TLS only
for these clients, so by default a request is treated as TLS. Start with
--no-assume-tls to derive it from the real scheme (http => false), or send
X-Forwarded-Proto: https from a TLS-terminating proxy.
"""
from __future__ import annotations

from . import request_context


def apply() -> None:
    from moto.iam import access_control, policy_conditions
    from moto.s3 import models as s3_models

    def bool_operation(expected, actual):  # type: ignore[no-untyped-def]
        expected = expected if isinstance(expected, list) else [expected]
        return str(actual).lower() in [str(e).lower() for e in expected]

    policy_conditions.CONDITION_OPERATIONS.setdefault("Bool", bool_operation)

    Stmt = access_control.IAMPolicyStatement
    original_is_permitted = Stmt.is_action_permitted

    def is_action_permitted(self, action, resource="*", principal=None,  # type: ignore[no-untyped-def]
                            incoming_condition_values=None):
        if self._statement.get("Condition") and not self._check_conditions(
                incoming_condition_values):
            return access_control.PermissionResult.NEUTRAL  # statement does not apply
        return original_is_permitted(self, action, resource, principal,
                                     incoming_condition_values)

    Stmt.is_action_permitted = is_action_permitted

    def get_permission(self, action, resource):  # type: ignore[no-untyped-def]
        if self.policy is None:
            return access_control.PermissionResult.NEUTRAL
        policy = access_control.IAMPolicy(self.policy.decode())
        context = {"aws:SecureTransport": "true" if request_context.is_secure() else "false"}
        return policy.is_action_permitted(action, resource,
                                          incoming_condition_values=context)

    s3_models.FakeBucket.get_permission = get_permission
