"""Live-view test building blocks: reports published as ingestion does, WebSocket clients."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import httpx
import websockets
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from core.live import agent_channel, latest_key, live_frame
from core.reports import CPU_PERCENT, Report, Sample
from tests.harness.clients import TestUser, register_and_login
from tests.harness.live import LiveService


async def user_with_agent(client: httpx.AsyncClient, email: str) -> tuple[TestUser, int]:
    """A logged-in admin of their own organization, with one agent."""
    user = await register_and_login(client, email)
    response = await client.post("/agents", headers=user.headers, json={"name": f"{email}-host"})
    assert response.status_code == 201, response.text
    agent_id: int = response.json()["id"]
    return user, agent_id


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


def metric_value(service: LiveService, name: str) -> float:
    text = httpx.get(f"{service.url}/metrics", timeout=5).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                return float(sample.value)
    raise AssertionError(f"{name} not in /metrics")
