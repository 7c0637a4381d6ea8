"""The older clients' doors, as their READMEs document them: the Data Monitoring Tool's POST /report
and the Metrics Collection API's POST /api/metrics, GET /api/recent and GET /api/health."""

from __future__ import annotations

import hmac
import time
from typing import Annotated, Any

import msgspec
from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import JSONResponse

from core.agent_auth import AgentIdentity
from core.errors import STORES_UNAVAILABLE, Unauthorized
from ingestion_service.deps import IngestionDep
from ingestion_service.domain import recent
from ingestion_service.domain.body import decode_json
from ingestion_service.domain.legacy_clients import (
    CollectionTime,
    FlatReport,
    MetricsMessage,
    collection_time,
    flat_report,
    flat_report_decoder,
    metrics_message_decoder,
    metrics_message_report,
)
from ingestion_service.domain.local_time import ZoneMemories
from ingestion_service.domain.pipeline import Ingestion
from ingestion_service.routes.agent import ERRORS
from ingestion_service.routes.credentials import SEND_API_KEY, SEND_HOST_KEY, api_key, host_key
from ingestion_service.routes.hotpath import HotRequest, HotResponse, HotRoute, json_response
from ingestion_service.routes.openapi import add_hot_route, json_body

router = APIRouter(tags=["older tools' clients"])


async def report(request: HotRequest) -> HotResponse:
    ingestion = request.ingestion
    agent, payload = await _sender(request)
    memories = ZoneMemories(ingestion.redis)
    try:
        collected = await collection_time(
            payload.collected_at, agent.agent_id, memories, ingestion.window, time.time()
        )
    except STORES_UNAVAILABLE as exc:
        raise ingestion.unavailable(exc) from None
    (entry_id,) = await ingestion.accept(agent, [flat_report(payload, agent, collected)])
    await _remember_clock(ingestion, memories, agent, collected)
    return json_response({"ok": True, "data_id": entry_id})


async def _sender(request: HotRequest) -> tuple[AgentIdentity, FlatReport]:
    """As the Data Monitoring Tool's server did it: the key from `Authorization: Bearer`, else
    from the body's host_key; both given, they must be the same key."""
    ingestion = request.ingestion
    key = host_key(request.headers)
    if key is None:
        payload = decode_json(flat_report_decoder, request.body)
        return await ingestion.authenticate(payload.host_key, SEND_HOST_KEY), payload
    agent = await ingestion.authenticate(key, SEND_HOST_KEY)
    payload = decode_json(flat_report_decoder, request.body)
    if payload.host_key and not hmac.compare_digest(payload.host_key.encode(), key.encode()):
        raise Unauthorized("the body's host_key is not the key of the Authorization header")
    return agent, payload


async def _remember_clock(
    ingestion: Ingestion, memories: ZoneMemories, agent: AgentIdentity, collected: CollectionTime
) -> None:
    if collected.memory is None:
        return
    try:
        await memories.put(agent.agent_id, collected.memory)
    except STORES_UNAVAILABLE as exc:  # stored already; the next report estimates afresh
        ingestion.unavailable(exc)


async def api_metrics(request: HotRequest) -> HotResponse:
    """A repeated message_id is acknowledged the same way but stored only once."""
    ingestion = request.ingestion
    agent = await ingestion.authenticate(api_key(request.headers), SEND_API_KEY)
    message = decode_json(metrics_message_decoder, request.body)
    normalised = metrics_message_report(message, agent, ingestion.window, time.time())
    once = recent.once(agent.agent_id, message.message_id)
    (entry_id,) = await ingestion.accept(agent, [normalised], once=once)
    if entry_id is not None:
        await _remember(ingestion, agent, message)
    body = {"status": "success", "message_id": message.message_id}
    return json_response({**body, "metrics_count": len(message.metrics)})


async def _remember(ingestion: Ingestion, agent: AgentIdentity, message: MetricsMessage) -> None:
    try:
        await recent.remember(ingestion.redis, agent.agent_id, message, ingestion.recent_messages)
    except STORES_UNAVAILABLE as exc:  # stored already; only the /api/recent view misses it
        ingestion.unavailable(exc)


ROUTES = {"/report": HotRoute(report), "/api/metrics": HotRoute(api_metrics)}

add_hot_route(
    router,
    "/report",
    ROUTES["/report"],
    summary="Data Monitoring Tool: submit a flat report (sizes in MB/GB)",
    description="Auth: `Authorization: Bearer <agent token>` (the Data Monitoring Tool's host "
    "key), or the body's `host_key`. A `collected_at` without a UTC offset is the host's "
    "local time: its offset is learned from when the report arrives (docs/compatibility.md). "
    'Answers `{"ok": true, "data_id": "<stream entry id>"}`.',
    openapi_extra=json_body(FlatReport),
    responses=ERRORS,
)
add_hot_route(
    router,
    "/api/metrics",
    ROUTES["/api/metrics"],
    summary="Metrics Collection API: submit custom metrics; a repeated message_id is stored once",
    description="Auth: `X-API-Key: <agent token>`. Answers "
    '`{"status": "success", "message_id": ..., "metrics_count": n}`.',
    openapi_extra=json_body(MetricsMessage),
    responses=ERRORS,
)


@router.get("/api/recent")
async def api_recent(
    ingestion: IngestionDep,
    x_api_key: Annotated[str | None, Header()] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Response:
    """Metrics Collection API: the agent's latest messages, newest first."""
    agent = await ingestion.authenticate(x_api_key, SEND_API_KEY)
    try:
        messages = await recent.recent(ingestion.redis, agent.agent_id, limit)
    except STORES_UNAVAILABLE as exc:
        raise ingestion.unavailable(exc) from None
    body = msgspec.json.encode({"count": len(messages), "messages": messages})
    return Response(body, media_type="application/json")


@router.get("/api/health")
async def api_health(ingestion: IngestionDep) -> JSONResponse:
    """The Metrics Collection API's health check: whether the store behind /api/metrics answers."""
    try:
        await ingestion.redis.ping()
    except STORES_UNAVAILABLE:
        content: dict[str, Any] = {"status": "unhealthy", "database": "disconnected"}
        return JSONResponse(content, status_code=503)
    return JSONResponse({"status": "healthy", "database": "connected"})
