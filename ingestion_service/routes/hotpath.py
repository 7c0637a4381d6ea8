"""A lean ASGI front door for the POST endpoints agents hit hundreds of times a second.

FastAPI's per-request machinery (routing, dependency injection, middleware layers) costs
more than the work of an ingest itself, so these exact paths are served by the outermost
middleware, before routing; everything else (health, docs, /api/recent) passes through
untouched. The same handlers also back documented FastAPI routes, so OpenAPI describes them
and they answer the same if reached that way. The body limit is enforced here, before and
after decompression.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import orjson
from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Receive, Scope, Send

from core.errors import DomainError
from core.logging import get_logger
from core.observability import LATENCY, REQUESTS
from core.state import service_state
from ingestion_service.domain.body import decode_content, too_large
from ingestion_service.domain.pipeline import Ingestion

log = get_logger(__name__)

JSON_HEADERS = [(b"content-type", b"application/json")]
_INFLUX_CODES = {
    400: "invalid",
    401: "unauthorized",
    413: "request too large",
    415: "unsupported media type",
    422: "unprocessable entity",
    503: "unavailable",
}


@dataclass(slots=True)
class HotRequest:
    ingestion: Ingestion
    headers: Mapping[bytes, bytes]  # lower-case names, as ASGI gives them
    query_string: bytes
    body: bytes

    def query(self) -> dict[str, str]:
        return dict(parse_qsl(self.query_string.decode("latin-1")))


@dataclass(slots=True)
class HotResponse:
    status: int
    body: bytes = b""
    headers: list[tuple[bytes, bytes]] = field(default_factory=lambda: JSON_HEADERS)


def json_response(content: object, status: int = 200) -> HotResponse:
    return HotResponse(status, orjson.dumps(content))


Handler = Callable[[HotRequest], Awaitable[HotResponse]]


@dataclass(frozen=True, slots=True)
class HotRoute:
    handler: Handler
    influx_errors: bool = False  # InfluxDB clients expect {"code", "message"} bodies


class ClientDisconnected(Exception):
    pass


async def handle(
    route: HotRoute,
    ingestion: Ingestion,
    headers: Mapping[bytes, bytes],
    query_string: bytes,
    body: bytes,
    limit: int,
) -> HotResponse:
    """Runs a handler and turns every failure into the answer its client understands."""
    try:
        encoding = headers.get(b"content-encoding", b"").decode("latin-1")
        request = HotRequest(
            ingestion, headers, query_string, decode_content(body, encoding, limit)
        )
        return await route.handler(request)
    except DomainError as exc:
        return error_response(exc, influx=route.influx_errors)
    except Exception:
        log.exception("ingest handler failed")
        return error_response(DomainError("internal error"), influx=route.influx_errors, status=500)


def error_response(exc: DomainError, *, influx: bool, status: int | None = None) -> HotResponse:
    status = status or exc.status_code
    if influx:
        content: dict[str, str] = {"code": _INFLUX_CODES.get(status, "internal error")}
        content["message"] = exc.detail
    else:
        content = {"detail": exc.detail}
    extra = [(k.lower().encode(), v.encode()) for k, v in (exc.headers or {}).items()]
    return HotResponse(status, orjson.dumps(content), JSON_HEADERS + extra)


class HotPathDispatcher:
    """Serves `routes` (POST, exact path) itself and passes everything else on."""

    def __init__(
        self, app: ASGIApp, routes: dict[str, HotRoute], max_body_bytes: int, service: str
    ) -> None:
        self.app = app
        self.routes = routes
        self.limit = max_body_bytes
        self.service = service
        self._children: dict[tuple[str, int], tuple[Counter, Histogram]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            path = _route_path(scope)
            route = self.routes.get(path)
            if route is not None:
                await self._serve(path, route, scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _serve(
        self, path: str, route: HotRoute, scope: Scope, receive: Receive, send: Send
    ) -> None:
        started = time.perf_counter()
        headers = dict(scope["headers"])
        try:
            body = await _read_body(receive, headers, self.limit)
        except DomainError as exc:
            response = error_response(exc, influx=route.influx_errors)
        except ClientDisconnected:
            return
        else:
            ingestion = service_state(scope["app"], Ingestion)
            response = await handle(
                route, ingestion, headers, scope["query_string"], body, self.limit
            )
        await _respond(send, response)
        self._observe(path, response.status, time.perf_counter() - started)

    def _observe(self, path: str, status: int, seconds: float) -> None:
        """core.observability's request metrics, their label children looked up once."""
        key = (path, status)
        children = self._children.get(key)
        if children is None:
            children = self._children[key] = (
                REQUESTS.labels(self.service, "POST", path, str(status)),
                LATENCY.labels(self.service, "POST", path),
            )
        children[0].inc()
        children[1].observe(seconds)


async def _respond(send: Send, response: HotResponse) -> None:
    headers = response.headers
    if response.status != 204:  # a length, so uvicorn need not fall back to chunked encoding
        headers = [*headers, (b"content-length", str(len(response.body)).encode())]
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


def _route_path(scope: Scope) -> str:
    """The path without the root path a proxy mounted us under (uvicorn --root-path)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        return path[len(root) :] or "/"
    return path


async def _read_body(receive: Receive, headers: Mapping[bytes, bytes], limit: int) -> bytes:
    declared = headers.get(b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)  # refused before a byte of it is read
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)
