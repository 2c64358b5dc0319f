#!/usr/bin/env python3
"""moto_server launcher with small, named patches for the e2e Terraform test.

Usage:
    python3 launcher.py --port 0        # prints "PORT=<n>" as first stdout line
    python3 launcher.py --port 4566
    python3 launcher.py --list-patches
    python3 launcher.py --port 0 --disable s3_bucket_policy_secure_transport

Environment (of this process): MOTO_ACCOUNT_ID (e.g. 582719176192),
MOTO_IAM_LOAD_MANAGED_POLICIES=true, MOTO_ACM_VALIDATION_WAIT=0.

The server is moto's own WSGI app (the one `moto_server` serves:
DomainDispatcherApplication(create_backend_app)), bound to 127.0.0.1 only.
SIGTERM / SIGINT stop it cleanly (exit code 0).

This file parses the arguments, applies the patches and serves. Every patch is
a module of the `patches` package next to this file (listed, in the order they
are applied, in patches/__init__.py); each module's docstring says which AWS
behaviour it supplies and which moto 5.2.1 defect it works around. The outbound
guard is loopback.py. See README.md next to this file.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

# Run as a script, this file's directory is sys.path[0]: `patches` and `loopback` are found there.
from loopback import confine_to_loopback
from patches import PATCHES, apply_patches, request_context, summary

HOST = "127.0.0.1"  # never bind anything else


def build_app():  # type: ignore[no-untyped-def]
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        create_backend_app,
    )

    app = DomainDispatcherApplication(create_backend_app)
    return request_context.Middleware(app)


def main(argv: list[str] | None = None) -> int:
    confine_to_loopback()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    parser.add_argument(
        "--disable", action="append", default=[], metavar="PATCH",
        help="do not apply this patch (repeatable)",
    )
    parser.add_argument(
        "--no-assume-tls", dest="assume_tls", action="store_false",
        help="evaluate aws:SecureTransport from the real request scheme "
        "(plain http => false) instead of treating this local endpoint as "
        "the AWS HTTPS endpoint it stands in for",
    )
    parser.add_argument("--list-patches", action="store_true")
    parser.add_argument("--quiet", action="store_true", help="no request log")
    args = parser.parse_args(argv)

    if args.list_patches:
        for name in PATCHES:
            print(f"{name}: {summary(name)}")
        return 0

    request_context.ASSUME_TLS = args.assume_tls
    apply_patches(set(args.disable))

    from werkzeug.serving import make_server

    server = make_server(HOST, args.port, build_app(), threaded=True)
    port = server.server_address[1]
    # moto builds some URLs (S3 presigned, SQS queue urls) from MOTO_PORT.
    os.environ.setdefault("MOTO_PORT", str(port))
    if args.quiet:
        import logging

        logging.getLogger("werkzeug").setLevel(logging.ERROR)

    stop = threading.Event()

    def on_signal(signum, frame):  # type: ignore[no-untyped-def]
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"PORT={port}", flush=True)
    print(f"moto launcher listening on http://{HOST}:{port}", file=sys.stderr, flush=True)
    while not stop.wait(0.5):
        if not thread.is_alive():
            return 1
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
