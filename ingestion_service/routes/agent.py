"""StatusMonitor v1's door and our agent's: POST /ingest and POST /ingest/batch (a replayed
backlog)."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter

from core.schemas.agent_payload import (
    AgentBatch,
    AgentPayload,
    agent_batch_decoder,
    agent_payload_decoder,
)
from ingestion_service.domain.body import decode_json
from ingestion_service.domain.normalize import agent_report
from ingestion_service.routes.credentials import SEND_AGENT_TOKEN, agent_token
from ingestion_service.routes.hotpath import HotRequest, HotResponse, HotRoute, json_response
from ingestion_service.routes.openapi import add_hot_route, json_body

router = APIRouter(tags=["ingest"])


async def ingest(request: HotRequest) -> HotResponse:
    ingestion = request.ingestion
    agent = await ingestion.authenticate(agent_token(request.headers), SEND_AGENT_TOKEN)
    payload = decode_json(agent_payload_decoder, request.body)
    report = agent_report(payload, agent, ingestion.window, time.time())
    await ingestion.accept(agent, [report])
    return json_response({"status": "accepted", "id": report.id})


async def ingest_batch(request: HotRequest) -> HotResponse:
    """All or nothing: one invalid report refuses the batch, naming its index."""
    ingestion = request.ingestion
    agent = await ingestion.authenticate(agent_token(request.headers), SEND_AGENT_TOKEN)
    batch = decode_json(agent_batch_decoder, request.body)
    now = time.time()
    reports = [
        agent_report(payload, agent, ingestion.window, now, f"$.reports[{index}]")
        for index, payload in enumerate(batch.reports)
    ]
    await ingestion.accept(agent, reports)
    return json_response({"status": "accepted", "count": len(reports)})


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid JSON (or an invalid gzip body)"},
    401: {"description": "Missing, invalid, expired or revoked agent token"},
    413: {"description": "Body over the size limit (also after decompression)"},
    422: {"description": "A field has the wrong type or range, NaN/Infinity, or a bad timestamp"},
    503: {
        "description": "The metrics store is unavailable: keep the report, retry after Retry-After"
    },
}

ROUTES = {"/ingest": HotRoute(ingest), "/ingest/batch": HotRoute(ingest_batch)}

add_hot_route(
    router,
    "/ingest",
    ROUTES["/ingest"],
    summary="Submit one report (StatusMonitor v1's payload, or our agent's richer one)",
    description="Auth: `X-Agent-Token` or `Authorization: Bearer`. `Content-Encoding: gzip` is "
    'accepted. Unknown fields are ignored. Answers `{"status": "accepted", "id": ...}`.',
    openapi_extra=json_body(AgentPayload),
    responses=ERRORS,
)
add_hot_route(
    router,
    "/ingest/batch",
    ROUTES["/ingest/batch"],
    summary="Replay a backlog: up to 1,000 reports, oldest first, all or nothing",
    description='Answers `{"status": "accepted", "count": n}`; a 422 names the bad report, '
    "e.g. `$.reports[3].cpu.percent`, and then nothing was stored.",
    openapi_extra=json_body(AgentBatch),
    responses=ERRORS,
)
