"""The service around the doors: documented in OpenAPI, reachable under the gateway's root
path, and the usual /health, /ready and /metrics."""

from __future__ import annotations

from typing import Any, cast

import httpx
from asgi_lifespan import LifespanManager
from redis.asyncio import Redis

from core.settings import Settings
from ingestion_service.app import create_app
from ingestion_service.routes.hotpath import HotPathDispatcher
from tests.ingestion.helpers import Agent, minimal_payload


async def test_hot_endpoints_are_documented_with_their_body_schemas(
    ingest: httpx.AsyncClient,
) -> None:
    spec = (await ingest.get("/openapi.json")).json()
    for path in ("/ingest", "/ingest/batch", "/report", "/api/metrics", "/api/v2/write", "/write"):
        assert "post" in spec["paths"][path], path
    body = spec["paths"]["/ingest"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/AgentPayload"}
    schemas = spec["components"]["schemas"]
    assert "percent" in schemas["CpuStats"]["properties"]
    assert {"AgentBatch", "FlatReport", "MetricsMessage"} <= set(schemas)
    assert (await ingest.get("/docs")).status_code == 200


async def test_documented_routes_answer_like_the_hot_path(
    agent: Agent, settings: Settings, redis: Redis
) -> None:
    app = create_app(settings)
    for middleware in app.user_middleware:  # a dispatcher that claims no path
        if middleware.cls is cast(Any, HotPathDispatcher):
            middleware.kwargs["routes"] = {}
    transport = httpx.ASGITransport(app=app)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=transport, base_url="http://test") as client,
    ):
        accepted = await client.post("/ingest", headers=agent.headers, json=minimal_payload())
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["status"] == "accepted"
        refused = await client.post("/ingest", headers=agent.headers, content=b"{")
        assert refused.status_code == 400 and "invalid JSON" in refused.json()["detail"]
        influx = await client.post("/write", params={"p": agent.token}, content="m v=1")
        assert influx.status_code == 204
    assert await redis.xlen("reports") == 2


async def test_doors_answer_under_the_gateways_root_path(agent: Agent, settings: Settings) -> None:
    # Behind the gateway uvicorn runs with --root-path /api: /api/ingest/... arrive as is, and the
    # older tools' doors forwarded unchanged (/api/metrics) arrive below the root path once more.
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, root_path="/api")
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway") as client,
    ):
        ingest = await client.post("/api/ingest", headers=agent.headers, json=minimal_payload())
        assert ingest.status_code == 200, ingest.text
        write = await client.post(
            "/api/api/v2/write", headers={"Authorization": f"Token {agent.token}"}, content="m v=1"
        )
        assert write.status_code == 204, write.text
        assert (await client.get("/api/health")).json()["status"] == "ok"


async def test_health_ready_and_metrics_count_hot_path_requests(
    ingest: httpx.AsyncClient, agent: Agent
) -> None:
    assert (await ingest.get("/health")).json() == {"status": "ok", "service": "ingestion_service"}
    assert (await ingest.get("/ready")).status_code == 200
    await ingest.post("/ingest", headers=agent.headers, json=minimal_payload())
    metrics = (await ingest.get("/metrics")).text
    assert 'route="/ingest",service="ingestion_service",status="200"' in metrics
    assert 'statusmonitor_ingest_reports_total{source="agent"}' in metrics
