"""A local HTTPS server standing in for the platform's ALB, for the smoke-checks test.

It makes a test CA and a server certificate (for --name, expired with --expired), writes the CA
to <workdir>/ca.pem, listens on 127.0.0.1 only (a free port) and prints "PORT=<n>" once ready.
It answers / with 200 and the API health path with --health-status; with --hang it accepts
connections and completes TLS but never answers a request (a timeout). Stops on SIGTERM.
"""
from __future__ import annotations

import argparse
import datetime
import http.server
import os
import signal
import ssl
import sys
import threading
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_certificates(workdir: str, name: str, expired: bool) -> tuple[str, str]:
    """The CA (ca.pem) and the server's certificate and key files, in workdir."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("smoke-checks test CA")).issuer_name(_name("smoke-checks test CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=30)).not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    start, end = (now - datetime.timedelta(days=20), now - datetime.timedelta(days=10)) if expired else \
        (now - datetime.timedelta(days=1), now + datetime.timedelta(days=10))
    cert = (x509.CertificateBuilder().subject_name(_name(name)).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    with open(os.path.join(workdir, "ca.pem"), "wb") as f:
        f.write(ca.public_bytes(serialization.Encoding.PEM))
    cert_file, key_file = os.path.join(workdir, "server.pem"), os.path.join(workdir, "server.key")
    with open(cert_file, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_file, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_file, key_file


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--workdir", required=True)
    p.add_argument("--name", required=True, help="the DNS name the certificate is for")
    p.add_argument("--expired", action="store_true")
    p.add_argument("--health-path", default="/api/healthz")
    p.add_argument("--health-status", type=int, default=200)
    p.add_argument("--hang", action="store_true")
    args = p.parse_args()
    cert_file, key_file = make_certificates(args.workdir, args.name, args.expired)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            if args.hang:
                time.sleep(3600)
            status = args.health_status if self.path == args.health_path else 200
            body = f"{status}\n".encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"PORT={server.server_address[1]}", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
