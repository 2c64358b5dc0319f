"""Outbound guard for the launcher's process: connections to loopback only.

moto is not a network client, but botocore, which it uses, may be (the EC2
instance metadata service in its credential chain). The launcher calls
`confine_to_loopback()` before it imports moto.
"""
from __future__ import annotations

import os
import sys


def confine_to_loopback() -> None:
    """Refuse every outbound connection that is not to the loopback interface.

    moto answers some requests with help from botocore, whose credential chain falls back to the
    EC2 instance metadata service (169.254.169.254) when no credentials are in the environment.
    This server only ever stands in for AWS on 127.0.0.1: it must not reach any other address.
    Fake credentials and AWS_EC2_METADATA_DISABLED stop the lookup; the socket guard makes any
    other path fail loudly (with a stack trace on stderr) instead of reaching out.
    """
    import socket
    import traceback

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    original_connect = socket.socket.connect

    def connect(sock, address):  # type: ignore[no-untyped-def]
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0])
            if not (host.startswith("127.") or host in ("::1", "localhost")):
                traceback.print_stack(file=sys.stderr)
                raise ConnectionRefusedError(f"moto launcher: outbound connection to {address!r} refused (loopback only)")
        return original_connect(sock, address)

    socket.socket.connect = connect  # type: ignore[method-assign]
