"""Per-request context (not a patch itself): whether the request came over TLS.

moto evaluates S3 bucket policies without any request context, so the
aws:SecureTransport condition key has nothing to be read from. The launcher
wraps moto's WSGI app in `Middleware`, which records per request thread
whether the request was TLS; s3_bucket_policy_secure_transport reads it with
`is_secure()`. The launcher stands in for the AWS HTTPS endpoint, so by default
(ASSUME_TLS, set from --no-assume-tls) every request counts as TLS.
"""
from __future__ import annotations

import threading

_REQUEST = threading.local()
ASSUME_TLS = True  # set from --assume-tls / --no-assume-tls


def is_secure() -> bool:
    return bool(getattr(_REQUEST, "secure", ASSUME_TLS))


class Middleware:
    """Records, per request thread, whether the request came over TLS."""

    def __init__(self, app):  # type: ignore[no-untyped-def]
        self.app = app

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get(
            "wsgi.url_scheme", "http"
        )
        _REQUEST.secure = ASSUME_TLS or scheme.lower() == "https"
        try:
            return self.app(environ, start_response)
        finally:
            _REQUEST.secure = ASSUME_TLS
