"""Agent tokens are checked by the ingestion service itself (Redis cache, then PostgreSQL),
and a regenerated or deleted agent's token is refused at once, even when cached in memory."""

from __future__ import annotations

from pathlib import Path

import httpx

from core.settings import Settings
from harness.database import fetch
from harness.factories import Agent
from harness.live import live_service
from tests.ingestion.helpers import minimal_payload


async def test_missing_and_unknown_tokens_are_refused_with_401(ingest: httpx.AsyncClient) -> None:
    missing = await ingest.post("/ingest", json=minimal_payload())
    assert missing.status_code == 401
    assert missing.json() == {"detail": "missing agent token: send X-Agent-Token"}
    for headers in ({"X-Agent-Token": "sm_nope"}, {"Authorization": "Bearer sm_nope"}):
        unknown = await ingest.post("/ingest", headers=headers, json=minimal_payload())
        assert unknown.status_code == 401
        assert unknown.json()["detail"].startswith("invalid agent token")


async def test_first_use_activates_a_pending_token(
    ingest: httpx.AsyncClient, agent: Agent, settings: Settings
) -> None:
    [before] = await fetch(settings.database_url, "SELECT activated_at FROM agents")
    assert before["activated_at"] is None
    response = await ingest.post("/ingest", headers=agent.headers, json=minimal_payload())
    assert response.status_code == 200
    [after] = await fetch(
        settings.database_url, "SELECT activated_at, activation_deadline FROM agents"
    )
    assert after["activated_at"] is not None and after["activation_deadline"] is None


async def test_token_unused_within_its_window_is_refused(
    ingest: httpx.AsyncClient, agent: Agent, settings: Settings
) -> None:
    await fetch(
        settings.database_url,
        "UPDATE agents SET activation_deadline = now() - interval '1 second'",
    )
    response = await ingest.post("/ingest", headers=agent.headers, json=minimal_payload())
    assert response.status_code == 401
    assert "activation window" in response.json()["detail"]


async def _regenerate_then_old_token_is_refused_at_once(
    client: httpx.AsyncClient, auth_client: httpx.AsyncClient, agent: Agent
) -> None:
    for _ in range(3):  # now cached in the ingestion process
        response = await client.post("/ingest", headers=agent.headers, json=minimal_payload())
        assert response.status_code == 200, response.text
    regenerated = await auth_client.post(
        f"/agents/{agent.id}/regenerate-token", headers=agent.owner.headers
    )
    assert regenerated.status_code == 200
    old = await client.post("/ingest", headers=agent.headers, json=minimal_payload())
    assert old.status_code == 401
    new_headers = {"X-Agent-Token": regenerated.json()["token"]}
    new = await client.post("/ingest", headers=new_headers, json=minimal_payload())
    assert new.status_code == 200
    deleted = await auth_client.delete(f"/agents/{agent.id}", headers=agent.owner.headers)
    assert deleted.status_code == 204
    gone = await client.post("/ingest", headers=new_headers, json=minimal_payload())
    assert gone.status_code == 401


async def test_regenerated_token_is_refused_at_once_in_process(
    ingest: httpx.AsyncClient, auth_client: httpx.AsyncClient, agent: Agent
) -> None:
    await _regenerate_then_old_token_is_refused_at_once(ingest, auth_client, agent)


async def test_regenerated_token_is_refused_at_once_by_a_live_server(
    auth_client: httpx.AsyncClient, agent: Agent, settings: Settings, log_dir: Path
) -> None:
    with live_service("ingestion_service", settings, log_dir) as service:
        async with httpx.AsyncClient(base_url=service.url, timeout=10) as client:
            await _regenerate_then_old_token_is_refused_at_once(client, auth_client, agent)
