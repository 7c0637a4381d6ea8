"""InfluxDB-compatible writes, authenticated the ways InfluxDB 1 and 2 clients send tokens."""

from __future__ import annotations

import base64
import gzip
import time

import httpx
from redis.asyncio import Redis

from core.reports import Sample
from harness.factories import Agent
from tests.ingestion.helpers import stream_reports


async def test_v2_write_with_token_header_stores_custom_metrics_for_the_agent(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    now = int(time.time())
    lines = (
        f"nginx,host=web-1,org_id=999 requests=1200i,active=3 {now}\n"
        f"nginx,host=web-1 requests=1300i {now + 1}\n"
    )
    response = await ingest.post(
        "/api/v2/write",
        params={"org": "ignored", "bucket": "ignored", "precision": "s"},
        headers={"Authorization": f"Token {agent.token}", "Content-Encoding": "gzip"},
        content=gzip.compress(lines.encode()),
    )
    assert response.status_code == 204, response.text
    assert response.content == b""
    stored = [report for _, report in await stream_reports(redis)]
    assert [(r.ts, r.source, r.org_id, r.target_id) for r in stored] == [
        (now, "influx", agent.org_id, agent.id),
        (now + 1, "influx", agent.org_id, agent.id),
    ]
    labels = {"host": "web-1", "tag_org_id": "999"}  # a client cannot claim another org
    assert stored[0].series == [
        Sample("nginx_requests", 1200.0, labels),
        Sample("nginx_active", 3.0, labels),
    ]


async def test_v1_write_accepts_the_token_as_p_parameter_or_basic_password(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    ms = int(time.time() * 1000)
    by_query = await ingest.post(
        "/write", params={"db": "x", "p": agent.token, "precision": "ms"}, content=f"a v=1 {ms}"
    )
    assert by_query.status_code == 204, by_query.text
    basic = base64.b64encode(f"telegraf:{agent.token}".encode()).decode()
    by_basic = await ingest.post(
        "/write", headers={"Authorization": f"Basic {basic}"}, content="b v=2"
    )
    assert by_basic.status_code == 204, by_basic.text
    by_bearer = await ingest.post(
        "/write", headers={"Authorization": f"Bearer {agent.token}"}, content="c v=3"
    )
    assert by_bearer.status_code == 204, by_bearer.text
    names = [report.series[0].name for _, report in await stream_reports(redis)]
    assert names == ["a_v", "b_v", "c_v"]


async def test_malformed_line_is_refused_naming_it_and_nothing_is_stored(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    headers = {"Authorization": f"Token {agent.token}"}
    response = await ingest.post(
        "/api/v2/write", headers=headers, content="ok v=1\nok v=2\nbroken line here\n"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["message"].startswith("line 3: ")
    future = int((time.time() + 3600) * 1e9)
    late = await ingest.post("/api/v2/write", headers=headers, content=f"ok v=1\nok v=2 {future}")
    assert late.status_code == 422 and late.json()["code"] == "unprocessable entity"
    assert "line 2" in late.json()["message"]
    bad_precision = await ingest.post(
        "/api/v2/write", params={"precision": "h"}, headers=headers, content="ok v=1"
    )
    assert bad_precision.status_code == 400
    assert await redis.xlen("reports") == 0


async def test_influx_clients_get_influx_shaped_auth_errors(
    ingest: httpx.AsyncClient, agent: Agent
) -> None:
    missing = await ingest.post("/api/v2/write", content="m v=1")
    assert missing.status_code == 401
    assert missing.json()["code"] == "unauthorized"
    assert "Authorization: Token" in missing.json()["message"]
    wrong = await ingest.post(
        "/api/v2/write", headers={"Authorization": "Token sm_wrong"}, content="m v=1"
    )
    assert wrong.status_code == 401 and wrong.json()["code"] == "unauthorized"
    # v2 does not take the v1 query credential.
    query = await ingest.post("/api/v2/write", params={"p": agent.token}, content="m v=1")
    assert query.status_code == 401
    ping = await ingest.get("/ping")
    assert ping.status_code == 204
