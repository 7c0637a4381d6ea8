"""The agent doors refuse what crashed them or what they accepted and could not keep: JSON
nested 1,000+ levels or not UTF-8 (500 before), line protocol numbers of 400 digits (500), and
whole numbers past 64 bits in host info (accepted, then refused by orjson every time the
agents' activity was written, so no agent's last-seen time was recorded any more).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from core.settings import Settings
from core.streams import REPORTS_STREAM
from harness.clients import asgi_client
from harness.database import fetch
from harness.datastores import Datastores
from harness.factories import Agent
from harness.polling import eventually
from ingestion_service.app import create_app
from ingestion_service.config import IngestSettings
from tests.ingestion.helpers import minimal_payload

JSON = {"content-type": "application/json"}


async def _refused(response: httpx.Response, status: int, redis: Redis) -> str:
    assert response.status_code == status, response.text
    assert await redis.xlen(REPORTS_STREAM) == 0
    body = response.json()
    return str(body.get("detail") or body.get("message"))


DEEP = b"[" * 5000


@pytest.mark.parametrize(
    ("path", "content", "problem"),
    [
        ("/ingest", b'{"cpu": {"percent": 1}, "memory": {"percent": 1}, "x": ' + DEEP, "nested"),
        (
            "/ingest",
            b'{"cpu": {"percent": 1}, "memory": {"percent": 1}, "report_id": "\xff"}',
            "UTF-8",
        ),
        ("/report", b'{"cpu_pct": 1, "x": ' + DEEP, "nested"),
        ("/report", b'{"cpu_pct": 1, "kernel_name": "caf\xe9"}', "UTF-8"),
    ],
)
async def test_json_that_cannot_be_decoded_is_refused_with_400_saying_why(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis, path: str, content: bytes, problem: str
) -> None:
    headers = {**agent.headers, **JSON, "Authorization": f"Bearer {agent.token}"}
    response = await ingest.post(path, headers=headers, content=content)
    assert problem in await _refused(response, 400, redis)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("m v=" + "9" * 400 + "i", "64-bit"),
        ("m v=" + "9" * 400 + "u", "64-bit"),
        ("m v=9223372036854775808i", "64-bit"),
        ("m v=1 " + "9" * 400, "timestamp"),
        ("m v=1 " + "9" * 5000, "timestamp"),  # past Python's 4,300-digit int() limit too
    ],
)
async def test_line_protocol_that_cannot_be_stored_is_refused_with_400_naming_the_line(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis, line: str, problem: str
) -> None:
    headers = {"Authorization": f"Token {agent.token}"}
    response = await ingest.post("/api/v2/write", headers=headers, content=f"ok v=1\n{line}")
    message = await _refused(response, 400, redis)
    assert message.startswith("line 2: ") and problem in message


async def test_host_info_count_past_32_bits_is_refused_and_activity_keeps_being_recorded(
    settings: Settings, agent: Agent, redis: Redis, datastores: Datastores
) -> None:
    options = IngestSettings(activity_flush_seconds=0.1)
    async with asgi_client(create_app(settings, options)) as ingest:
        huge = minimal_payload(host_info={"cpu_cores": 2**70})
        response = await ingest.post("/ingest", headers=agent.headers, json=huge)
        assert "cpu_cores" in await _refused(response, 422, redis)
        accepted = minimal_payload(host_info={"hostname": "web-1", "cpu_cores": 8})
        assert (await ingest.post("/ingest", headers=agent.headers, json=accepted)).is_success
        query = "SELECT host_info, last_seen_at FROM agents WHERE id = $1"

        async def seen() -> Any:
            [row] = await fetch(datastores.postgres.url, query, agent.id)
            return row if row["last_seen_at"] is not None else None

        row = await eventually(seen, within=10, what="last_seen_at written")  # flushed every 0.1 s
    assert row["last_seen_at"] is not None
    assert '"cpu_cores": 8' in row["host_info"]
