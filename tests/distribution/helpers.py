"""Live-view test building blocks: reports published as ingestion does, WebSocket clients."""

from __future__ import annotations

import asyncio
import json
import socket
import time
import uuid
from typing import Any

import httpx
import websockets
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection
from websockets.client import ClientProtocol
from websockets.exceptions import ConnectionClosed
from websockets.frames import Close
from websockets.uri import parse_uri

from core.live import agent_channel, latest_key, live_frame
from core.reports import CPU_PERCENT, Report, Sample
from harness.live import LiveService
from harness.polling import eventually


def report(org_id: int, agent_id: int, seq: int, *, samples: int = 0) -> Report:
    """A report whose CPU value is its sequence number, to check order; samples add bulk."""
    return Report(
        id=uuid.uuid4().hex,
        org_id=org_id,
        target_type="agent",
        target_id=agent_id,
        source="agent",
        ts=time.time(),
        metrics={CPU_PERCENT: float(seq)},
        series=[Sample("cpu_core_percent", 1.0, {"core": str(i)}) for i in range(samples)],
    )


async def publish(redis: Redis, item: Report) -> int:
    """Exactly what ingestion does for an accepted report; answers how many processes got it."""
    async with redis.pipeline(transaction=False) as pipe:
        pipe.hset(latest_key(item.org_id), str(item.target_id), live_frame(item))
        pipe.publish(agent_channel(item.target_id), live_frame(item))
        results = await pipe.execute()
    receivers: int = results[1]
    return receivers


async def store_latest(redis: Redis, item: Report) -> None:
    await redis.hset(latest_key(item.org_id), str(item.target_id), live_frame(item))


def ws_url(service: LiveService, path: str, token: str | None = None) -> str:
    url = service.url.replace("http://", "ws://", 1) + path
    return f"{url}?token={token}" if token else url


def connect(url: str, **kwargs: Any) -> websockets.connect:
    return websockets.connect(url, open_timeout=10, close_timeout=2, **kwargs)


async def receive(ws: ClientConnection, within: float = 10) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), within))
    return message


async def receive_cpu_values(ws: ClientConnection, count: int, within: float = 20) -> list[float]:
    return [(await receive(ws, within))["metrics"][CPU_PERCENT] for _ in range(count)]


async def close_of(ws: ClientConnection, within: float = 10) -> tuple[int, str]:
    """Waits for the server to close the socket; the code and reason it gave."""
    try:
        while True:
            await asyncio.wait_for(ws.recv(), within)
    except ConnectionClosed as closed:
        assert closed.rcvd is not None, "closed without a close frame"
        return closed.rcvd.code, closed.rcvd.reason


async def refusal(url: str, *, first_message: str | None = None, **kwargs: Any) -> tuple[int, str]:
    async with connect(url, **kwargs) as ws:
        if first_message is not None:
            await ws.send(first_message)
        return await close_of(ws)


async def quiet(ws: ClientConnection, seconds: float = 0.5) -> bool:
    """True when nothing arrives for a while (frames from another agent would)."""
    try:
        await asyncio.wait_for(ws.recv(), seconds)
    except TimeoutError:
        return True
    return False


def metric_value(service: LiveService, name: str, **labels: str) -> float:
    """The sample's value; 0 for a labelled sample not counted yet."""
    text = httpx.get(f"{service.url}/metrics", timeout=5).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and labels.items() <= sample.labels.items():
                return float(sample.value)
    if labels:
        return 0.0
    raise AssertionError(f"{name} not in /metrics")


async def until_metric(service: LiveService, name: str, expected: float, **labels: str) -> None:
    await eventually(
        lambda: metric_value(service, name, **labels) == expected,
        interval=0.05,
        what=f"{name} reaching {expected}",
    )


class StuckClient:
    """A WebSocket client that completes the handshake and then reads nothing until told to.

    Its receive buffer is tiny, so only the kernel's send buffer on the server side holds
    frames for it; everything beyond that waits in the server's memory.
    """

    def __init__(self, service: LiveService, path: str) -> None:
        port = int(service.url.rsplit(":", 1)[1])
        self.protocol = ClientProtocol(parse_uri(f"ws://127.0.0.1:{port}{path}"), max_size=None)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.connect(("127.0.0.1", port))
        self.protocol.send_request(self.protocol.connect())
        self.sock.sendall(b"".join(self.protocol.data_to_send()))

    async def close_frame(self, within: float = 60) -> Close | None:
        """Reads everything the server sent until it ended the connection; its close frame."""

        def read_to_end() -> None:
            self.sock.settimeout(within)
            while data := self.sock.recv(1 << 20):
                self.protocol.receive_data(data)
                self.protocol.events_received()  # parsed frames are not kept
                if self.protocol.close_rcvd is not None:
                    return

        await asyncio.to_thread(read_to_end)
        return self.protocol.close_rcvd

    def close(self) -> None:
        self.sock.close()
