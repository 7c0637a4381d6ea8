"""What every service exposes: /health, /ready (503 when a dependency is down) and /metrics."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.logging import get_logger

ReadinessCheck = Callable[[Request], Awaitable[None]]

log = get_logger(__name__)

REQUESTS = Counter(
    "statusmonitor_http_requests_total",
    "HTTP requests answered",
    ["service", "method", "route", "status"],
)
LATENCY = Histogram(
    "statusmonitor_http_request_duration_seconds",
    "HTTP request latency",
    ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


def health_router(service: str, checks: dict[str, ReadinessCheck]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @router.get("/ready")
    async def ready(request: Request) -> JSONResponse:
        results: dict[str, str] = {}
        for name, check in checks.items():
            try:
                await check(request)
                results[name] = "ok"
            except Exception as exc:  # any failure means "not ready"; say which dependency
                log.warning("readiness check failed", dependency=name, error=type(exc).__name__)
                results[name] = "down"
        ok = all(v == "ok" for v in results.values())
        body = {"status": "ready" if ok else "not ready", "service": service, "checks": results}
        return JSONResponse(body, status_code=200 if ok else 503)

    @router.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


class MetricsMiddleware:
    """Counts and times requests per route template, not raw path, to bound label cardinality."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", "unmatched")
            method = scope["method"]
            REQUESTS.labels(self.service, method, path, str(status)).inc()
            LATENCY.labels(self.service, method, path).observe(time.perf_counter() - started)


def install_observability(app: FastAPI, service: str, checks: dict[str, ReadinessCheck]) -> None:
    app.include_router(health_router(service, checks))
    app.add_middleware(MetricsMiddleware, service=service)
