"""Tests the launcher process itself (launcher.py, loopback.py): bound to 127.0.0.1 only,
reports its port, exits 0 on SIGTERM, and refuses outbound connections to anything but loopback.
"""
from __future__ import annotations

import socket
import subprocess
import sys
import unittest

from .support import HERE, Server


def _listening_addresses(port: int) -> list[str]:
    """Local addresses with a listening TCP socket on `port`, read from /proc (no traffic)."""
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            with open(table) as f:
                lines = f.read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, hexport = local.split(":")
            if state == "0A" and int(hexport, 16) == port:  # 0A = LISTEN
                if width == 8:
                    found.append(socket.inet_ntoa(bytes.fromhex(addr)[::-1]))
                else:
                    found.append(addr)
    return found


class LauncherProcessTest(unittest.TestCase):
    def test_binds_loopback_reports_port_and_exits_on_sigterm(self) -> None:
        server = Server()
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=5):
                pass
            # Bound to 127.0.0.1 only: the kernel's socket table shows no other address.
            self.assertEqual(_listening_addresses(server.port), ["127.0.0.1"])
        finally:
            self.assertEqual(server.stop(), 0)  # SIGTERM => clean exit 0

    def test_outbound_connections_confined_to_loopback(self) -> None:
        # The guard refuses before any packet is sent; 192.0.2.1 (TEST-NET-1) is never reached.
        code = (
            "import socket, loopback; loopback.confine_to_loopback()\n"
            "s = socket.socket()\n"
            "try:\n"
            "    s.connect(('192.0.2.1', 80))\n"
            "except ConnectionRefusedError as e:\n"
            "    print('refused:', e)\n"
        )
        out = subprocess.run([sys.executable, "-c", code], cwd=HERE, capture_output=True, text=True, timeout=30)
        self.assertIn("refused: moto launcher: outbound connection", out.stdout, out.stderr)
