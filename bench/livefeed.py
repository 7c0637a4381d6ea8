"""Shared by the live-view benchmarks (bench/live_latency.py: one agent's frames to many
clients; bench/org_topic.py: the organization topic of 2,000 hosts): realistic reports, a
lean WebSocket client, and the service started as it is deployed."""

from __future__ import annotations

import asyncio
import base64
import os
import subprocess
import sys
import time
import uuid
from typing import TypeVar, cast
from urllib.parse import urlsplit

from core import reports as m
from core.reports import Report, Sample
from core.settings import Settings
from distribution_service.serving import uvicorn_flags
from harness.live import settings_env

_TEXT, _CLOSE, _PING, _PONG = 0x1, 0x8, 0x9, 0xA


def agent_report(org_id: int, agent_id: int, seq: int, *, interval: float = 5.0) -> Report:
    """About the size of a real agent report (~2 KB): 8 cores, 3 disks, 3 interfaces."""
    series = [Sample(m.CPU_CORE_PERCENT, 10.0 + c, {"core": str(c)}) for c in range(8)]
    series += [Sample(m.CPU_CORE_FREQ_MHZ, 2400.0, {"core": str(c)}) for c in range(8)]
    for mount in ("/", "/home", "/var"):
        series += [Sample(m.PARTITION_PERCENT, 42.0, {"mountpoint": mount, "fstype": "ext4"})]
    for nic in ("eth0", "eth1", "lo"):
        series += [
            Sample(name, 1000.0 + seq, {"interface": nic})
            for name in (m.NET_IF_SENT_BYTES_PER_S, m.NET_IF_RECV_BYTES_PER_S, m.NET_IF_ERRORS_IN)
        ]
    return Report(
        id=uuid.uuid4().hex,
        org_id=org_id,
        target_type="agent",
        target_id=agent_id,
        source="agent",
        ts=time.time(),
        interval=interval,
        metrics={
            m.CPU_PERCENT: float(seq % 100),
            m.LOAD_1: 0.5,
            m.LOAD_5: 0.4,
            m.LOAD_15: 0.3,
            m.MEMORY_PERCENT: 55.0,
            m.MEMORY_USED_BYTES: 8.0e9,
            m.MEMORY_TOTAL_BYTES: 16.0e9,
            m.SWAP_PERCENT: 1.0,
            m.DISK_PERCENT: 61.0,
            m.DISK_READ_BYTES_PER_S: 1.0e5,
            m.DISK_WRITE_BYTES_PER_S: 2.0e5,
            m.NET_SENT_BYTES_PER_S: 3.0e5 + seq,
            m.NET_RECV_BYTES_PER_S: 4.0e5 + seq,
            m.UPTIME_SECONDS: 86400.0,
            m.PROCESS_COUNT: 312.0,
        },
        series=series,
    )


class LeanWebSocket(asyncio.Protocol):
    """A WebSocket client that reads the server's frames straight off the socket.

    On two cores, many `websockets` clients in one process cost more CPU than the service
    they measure; this one only splits frames (answering pings), so the service is what is
    timed. Server frames are unmasked and, without per-message deflate, plain text.
    """

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.upgraded = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def on_open(self) -> None:
        """The handshake is done: the client may send."""

    def on_text(self, payload: bytes, now: float) -> None:
        raise NotImplementedError

    def send_text(self, text: str) -> None:
        self._send(_TEXT, text.encode())

    def data_received(self, data: bytes) -> None:
        now = time.time()
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if not self.buffer.startswith(b"HTTP/1.1 101"):
                raise RuntimeError(f"handshake refused: {bytes(self.buffer[:200])!r}")
            del self.buffer[: end + 4]
            self.upgraded = True
            self.on_open()
        while (frame := self._next_frame()) is not None:
            opcode, payload = frame
            if opcode == _PING:
                self._send(_PONG, payload)
            elif opcode == _TEXT:
                self.on_text(payload, now)
            elif opcode == _CLOSE:
                raise RuntimeError(f"closed by the server: {payload!r}")

    def _next_frame(self) -> tuple[int, bytes] | None:
        if len(self.buffer) < 2:
            return None
        opcode = self.buffer[0] & 0x0F
        length, offset = self.buffer[1] & 0x7F, 2
        if length == 126:
            length, offset = int.from_bytes(self.buffer[2:4], "big"), 4
        elif length == 127:
            length, offset = int.from_bytes(self.buffer[2:10], "big"), 10
        if len(self.buffer) < offset + length:
            return None
        payload = bytes(self.buffer[offset : offset + length])
        del self.buffer[: offset + length]
        return opcode, payload

    def _send(self, opcode: int, payload: bytes) -> None:
        """A client frame: masked, as the protocol requires (small control texts only)."""
        assert self.transport is not None and len(payload) < 126
        mask = os.urandom(4)
        masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
        self.transport.write(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)


Client = TypeVar("Client", bound=LeanWebSocket)


async def open_lean(url: str, client: Client) -> Client:
    parts = urlsplit(url)
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_connection(
        lambda: client, parts.hostname or "127.0.0.1", parts.port or 80
    )
    key = base64.b64encode(os.urandom(16)).decode()
    transport.write(
        f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    return client


def start_distribution(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    """The service as deployed (its WebSocket options), quiet but for warnings."""
    env = {**os.environ, **settings_env(settings)}
    command = [sys.executable, "-m", "uvicorn", "--factory", "distribution_service.app:create_app"]
    command += ["--port", str(port), "--log-level", "warning", *uvicorn_flags()]
    return subprocess.Popen(command, env=env)  # noqa: S603 - our own service


async def wait_listening(port: int) -> None:
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        return
    raise RuntimeError("distribution_service did not start")
