"""What one agent token can make the platform store: the storage attacks of issue 9, measured.

Starts its own PostgreSQL, Redis and VictoriaMetrics in a temp dir, registers a user and an
agent through the auth service, and runs the ingestion service and the history worker
in-process. Then, each time reading what the requests added to the `reports` stream (before
the worker reads it) and how many series VictoriaMetrics gained (after the worker drained it):

- `per_core_attack`: one /ingest with `per_core_usage` of 480,000 zeros (a 0.96 MB body);
- `line_protocol_attack`: three /api/v2/write adding 10,000, 10,000 and 10,001 new series, from
  a second agent of the same organization (the cap per agent is 10,000);
- `agent_report`: one realistic report of our agent (16 cores), for scale.

Nothing here is specific to the bounds, so the same script measures a checkout without them.

    .venv/bin/python -m bench.storage_bounds

Prints one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import orjson
from redis.asyncio import Redis

from bench.ingest_load import agent_report
from core.settings import Settings
from core.streams import REPORTS_STREAM
from harness.clients import asgi_client
from harness.datastores import datastores
from harness.factories import new_agent, register_and_login
from ingestion_service.app import create_app
from tests.history.helpers import drained, running_worker


async def _stream_bytes(redis: Redis, after: str) -> dict[str, int]:
    """Entries appended after `after`, the bytes of their payloads, the largest entry."""
    entries: Any = await redis.xrange(REPORTS_STREAM, min=f"({after}")
    sizes = [sum(len(value) for value in fields.values()) for _, fields in entries]
    return {
        "stream_entries": len(sizes),
        "stream_bytes": sum(sizes),
        "largest_entry_bytes": max(sizes, default=0),
    }


async def _series(tsdb_url: str, settle_seconds: float = 5) -> int:
    """VictoriaMetrics' series count, once it has stopped growing for `settle_seconds`."""
    last, stable_since = -1, time.monotonic()
    async with httpx.AsyncClient(trust_env=False, timeout=120) as client:
        while True:
            await client.get(f"{tsdb_url}/internal/force_flush")
            count = int((await client.get(f"{tsdb_url}/api/v1/series/count")).json()["data"][0])
            if count != last:
                last, stable_since = count, time.monotonic()
            elif time.monotonic() - stable_since > settle_seconds:
                return count
            await asyncio.sleep(1)


async def _attack(
    settings: Settings, redis: Redis, requests: list[httpx.Request], client: httpx.AsyncClient
) -> dict[str, Any]:
    before = await _series(settings.tsdb_url)
    last: Any = await redis.xrevrange(REPORTS_STREAM, count=1)
    statuses = [(await client.send(request)).status_code for request in requests]
    stream = await _stream_bytes(redis, last[0][0].decode() if last else "0-0")
    started = time.monotonic()
    if stream["stream_entries"]:
        async with running_worker(settings, block_ms=200):
            await drained(redis, within=1800)
    return {
        "statuses": statuses,
        "request_bytes": sum(len(r.content) for r in requests),
        **stream,
        "series_added": await _series(settings.tsdb_url) - before,
        "history_seconds": round(time.monotonic() - started, 1),
    }


def _line_protocol_writes(client: httpx.AsyncClient, token: str) -> list[httpx.Request]:
    run = uuid.uuid4().hex[:8]
    headers = {"Authorization": f"Token {token}"}
    bodies = [
        "\n".join(f"attack,run={run},n={n} v=1" for n in range(0, 10_000)),
        "\n".join(f"attack,run={run},n={n} v=1" for n in range(10_000, 20_000)),
        "\n".join(f"attack,run={run},n={n} a=1,b=2" for n in range(20_000, 25_000))
        + f"\nattack,run={run},n=25000 v=1",
    ]
    return [
        client.build_request("POST", "/api/v2/write", headers=headers, content=b) for b in bodies
    ]


async def run(settings: Settings) -> dict[str, Any]:
    from auth_service.app import create_app as create_auth_app

    redis = Redis.from_url(settings.redis_url, decode_responses=False)
    async with asgi_client(create_auth_app(settings)) as auth:
        owner = await register_and_login(auth, "owner@example.com")
        token, other = [
            (await new_agent(auth, owner, name)).token for name in ("target", "telegraf")
        ]
    headers = {"X-Agent-Token": token, "Content-Type": "application/json"}
    attack = {"cpu": {"percent": 1, "per_core_usage": [0] * 480_000}, "memory": {"percent": 1}}
    async with asgi_client(create_app(settings)) as client:
        normal = client.build_request(
            "POST", "/ingest", headers=headers, content=orjson.dumps(agent_report(16))
        )
        per_core = client.build_request(
            "POST", "/ingest", headers=headers, content=orjson.dumps(attack)
        )
        results = {
            "agent_report": await _attack(settings, redis, [normal], client),
            "per_core_attack": await _attack(settings, redis, [per_core], client),
            "line_protocol_attack": await _attack(
                settings, redis, _line_protocol_writes(client, other), client
            ),
        }
    await redis.aclose()
    return results


def main() -> None:
    with (
        tempfile.TemporaryDirectory(prefix="storage-bounds-") as root,
        datastores(Path(root), tsdb=True) as settings,
    ):
        results = asyncio.run(run(settings))
    sys.stdout.write(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
