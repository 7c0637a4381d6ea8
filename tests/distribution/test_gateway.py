"""Behind the nginx gateway of `make run`: the upgrade is proxied, the page's own origin is
accepted (nginx forwards the browser's Host), and the multiplexed stream answers at /ws/."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from core.dev.datastores import free_port
from deploy.gateway import PLACEHOLDER_SITE, Gateway, nginx_command, write_nginx_conf
from deploy.services import Service
from harness.factories import user_with_agent
from harness.live import LiveService
from harness.polling import eventually_sync
from tests.distribution.helpers import connect, receive, refusal, report, store_latest

pytestmark = pytest.mark.e2e


@contextmanager
def _gateway(service: LiveService, nginx_dir: Path) -> Iterator[str]:
    """nginx routing /ws/ to the service exactly as `make run` would (deploy/services.py)."""
    port = int(service.url.rsplit(":", 1)[1])
    route = Service(
        "distribution", "distribution_service.app:create_app", port, "/ws/", "/ws/", True
    )
    gateway = Gateway("127.0.0.1", free_port(), nginx_dir, PLACEHOLDER_SITE)
    write_nginx_conf(gateway, [route])
    process = subprocess.Popen(nginx_command(gateway), stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{gateway.port}"
    try:
        eventually_sync(lambda: _answers(url), within=10, interval=0.05, what="nginx answering")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        httpx.get(url, timeout=1)
    except httpx.TransportError:
        return False
    return True


async def test_streams_through_the_gateway_for_the_dashboard_page(
    service: LiveService, auth: httpx.AsyncClient, redis: Redis, tmp_path: Path
) -> None:
    agent = await user_with_agent(auth, "pia@example.com")
    await store_latest(redis, report(agent.org_id, agent.id, 4))
    with _gateway(service, tmp_path) as gateway:
        ws_base = gateway.replace("http://", "ws://", 1)
        token = f"?token={agent.owner.access_token}"
        async with connect(f"{ws_base}/ws/{agent.id}{token}", origin=gateway) as ws:
            assert (await receive(ws))["target_id"] == agent.id
        async with connect(f"{ws_base}/ws/{token}", origin=gateway) as ws:
            await ws.send(f'{{"type": "subscribe", "agent_id": {agent.id}}}')
            assert await receive(ws) == {"type": "subscribed", "agent_id": agent.id}
        foreign = await refusal(f"{ws_base}/ws/{agent.id}{token}", origin="https://evil.example")
        assert foreign == (4403, "origin not allowed")
