"""Helpers for the ingestion tests: agents, payloads and what landed on the stream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import httpx
from redis.asyncio import Redis

from core.reports import Report, decode_report
from core.streams import REPORT_FIELD, REPORTS_STREAM
from tests.fixtures.older_tools import statusmonitor_v1_documented as statusmonitor_v1_payload
from tests.harness.clients import TestUser

__all__ = ["Agent", "minimal_payload", "new_agent", "statusmonitor_v1_payload", "stream_reports"]


@dataclass
class Agent:
    id: int
    token: str
    owner: TestUser

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Agent-Token": self.token}

    @property
    def org_id(self) -> int:
        assert self.owner.org_id is not None
        return self.owner.org_id


async def new_agent(auth_client: httpx.AsyncClient, owner: TestUser, name: str) -> Agent:
    created = await auth_client.post("/agents", headers=owner.headers, json={"name": name})
    assert created.status_code == 201, created.text
    return Agent(created.json()["id"], created.json()["token"], owner)


async def stream_reports(redis: Redis) -> list[tuple[str, Report]]:
    """Every report on the stream, oldest first, with its entry id."""
    entries = cast(list[tuple[str, dict[str, str]]], await redis.xrange(REPORTS_STREAM))
    return [(entry_id, decode_report(fields[REPORT_FIELD])) for entry_id, fields in entries]


def minimal_payload(**extra: Any) -> dict[str, Any]:
    return {"cpu": {"percent": 10.0}, "memory": {"percent": 20.0}, **extra}
