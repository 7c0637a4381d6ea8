"""A value someone manages to write into Redis never grants access: agent-token cache entries
carry an HMAC under a key derived from SECRET_KEY, and one that does not verify is dropped and
the token looked up in PostgreSQL (the review wrote such an entry through a CRLF-injected
Apprise URL and had ingestion accept a made-up token as an agent of organization 1)."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import httpx
import orjson
import pytest
from redis.asyncio import Redis

from core.security.agent_tokens import hash_agent_token
from harness.factories import Agent
from tests.ingestion.helpers import minimal_payload, stream_reports


def _cache_key(token: str) -> str:
    return f"agent-token:{hash_agent_token(token)}"


@pytest.mark.parametrize(
    "forge",
    [
        lambda identity: identity,  # the plain JSON the injected SET wrote
        lambda identity: b"0" * 64 + b"." + identity,  # a made-up MAC in the sealed format
    ],
    ids=["plain", "bad-mac"],
)
async def test_forged_cache_entry_grants_nothing(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis, forge: Callable[[bytes], bytes]
) -> None:
    assert agent.org_id == 1  # the organization the forgery claims
    token = "sm_" + secrets.token_urlsafe(32)
    identity = orjson.dumps({"agent_id": agent.id, "org_id": 1, "name": "forged"})
    await redis.set(_cache_key(token), forge(identity), ex=600)

    forged = await ingest.post("/ingest", headers={"X-Agent-Token": token}, json=minimal_payload())
    assert forged.status_code == 401, forged.text
    assert await redis.get(_cache_key(token)) is None  # dropped, not trusted later
    assert await stream_reports(redis) == []

    genuine = await ingest.post("/ingest", headers=agent.headers, json=minimal_payload())
    assert genuine.status_code == 200, genuine.text
    cached = await redis.get(_cache_key(agent.token))
    assert cached is not None and str(agent.id) in cached  # cached, sealed
    assert [report.target_id for _, report in await stream_reports(redis)] == [agent.id]
