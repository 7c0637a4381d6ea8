"""Bare local listeners for protocols without a recorder of their own (syslog over UDP)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def udp_listener(timeout: float = 5) -> Iterator[socket.socket]:
    """A UDP socket on a free loopback port; recvfrom waits at most `timeout` seconds."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(timeout)
        yield server
