"""InfluxDB-compatible writes: POST /api/v2/write (InfluxDB 2 clients, Telegraf's
influxdb_v2 output) and POST /write (v1 clients), answered 204 like InfluxDB."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Response

from core import bounds
from core.errors import BadRequest, DomainError, Unprocessable
from ingestion_service.domain.errors import PayloadTooLarge
from ingestion_service.domain.lineprotocol import PRECISIONS, LineProtocolError, parse, to_reports
from ingestion_service.routes.agent import ERRORS
from ingestion_service.routes.credentials import SEND_INFLUX_TOKEN, influx_token
from ingestion_service.routes.hotpath import HotRequest, HotResponse, HotRoute
from ingestion_service.routes.openapi import add_hot_route, text_body

router = APIRouter(tags=["influxdb"])
NO_CONTENT = HotResponse(204, b"", [])


async def write_v2(request: HotRequest) -> HotResponse:
    return await _write(request, v1=False)


async def write_v1(request: HotRequest) -> HotResponse:
    return await _write(request, v1=True)


async def _write(request: HotRequest, *, v1: bool) -> HotResponse:
    """`org`, `bucket` and `db` are accepted and ignored: the token decides where data goes."""
    ingestion = request.ingestion
    query = request.query()
    agent = await ingestion.authenticate(
        influx_token(request.headers, query, v1), SEND_INFLUX_TOKEN
    )
    precision = query.get("precision") or "ns"
    if precision not in PRECISIONS:
        raise BadRequest(f"precision {precision!r} is not one of {', '.join(PRECISIONS)}")
    try:
        text = request.body.decode("utf-8")
        now = time.time()
        reports = to_reports(parse(text, precision, int(now * 1e9)), agent)
    except UnicodeDecodeError:
        raise BadRequest("the body is not UTF-8 text") from None
    except LineProtocolError as exc:
        raise _LINE_ERRORS.get(exc.status, BadRequest)(str(exc)) from None
    for line, report in reports:
        ingestion.window.check(report.ts, now, f"line {line}: the timestamp")
    if reports:
        await ingestion.accept(agent, [report for _, report in reports])
    return NO_CONTENT


_LINE_ERRORS: dict[int, type[DomainError]] = {413: PayloadTooLarge, 422: Unprocessable}

ROUTES = {
    "/api/v2/write": HotRoute(write_v2, influx_errors=True),
    "/write": HotRoute(write_v1, influx_errors=True),
}
_EXAMPLE = (
    'weather,location=us-midwest temperature=82,humidity=71i,note="skipped" 1465839830100400200'
)
_INFLUX_ERRORS: dict[int | str, dict[str, Any]] = {
    204: {"description": "Written"},
    **ERRORS,
    400: {"description": 'A malformed line: {"code": "invalid", "message": "line 3: ..."}'},
    413: {"description": f"Body over the size limit, or more than {bounds.MAX_LINES:,} lines"},
    422: {
        "description": "A line over a limit (fields, tags, name lengths) or a tag value with "
        "a control character"
    },
}

add_hot_route(
    router,
    "/api/v2/write",
    ROUTES["/api/v2/write"],
    status_code=204,
    summary="InfluxDB 2 write (line protocol): custom metrics from Telegraf, influxdb-client...",
    description="Auth: `Authorization: Token <agent token>` (or Bearer). `precision` is ns, us, "
    "ms or s. Each field becomes a series `<measurement>_<field>` labelled with the tags.",
    openapi_extra=text_body(_EXAMPLE),
    responses=_INFLUX_ERRORS,
)
add_hot_route(
    router,
    "/write",
    ROUTES["/write"],
    status_code=204,
    summary="InfluxDB 1 write (line protocol)",
    description="Auth: `Authorization: Token`/`Bearer`, `?p=<agent token>`, or Basic auth with the "
    "token as password. `precision` is n, u, ms or s.",
    openapi_extra=text_body(_EXAMPLE),
    responses=_INFLUX_ERRORS,
)


@router.get("/ping", status_code=204, include_in_schema=False)
async def ping() -> Response:
    """InfluxDB clients probe this before writing."""
    return Response(status_code=204, headers={"X-Influxdb-Version": "1.8-compatible"})
