"""The one table of services `make run` starts and the gateway routes.

Adding a service is adding one `Service(...)` line to SERVICES: the supervisord program, the
nginx location block, the health wait and the banner's docs link all come from it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from alert_service.config import AlertSettings
from distribution_service.serving import uvicorn_flags


@dataclass(frozen=True)
class Service:
    """One ASGI service behind the gateway.

    The gateway forwards `prefix` to the service with `prefix` replaced by `upstream`
    (nginx `location prefix { proxy_pass http://svc{upstream}; }`), so `prefix` must end
    with `upstream`; what is cut off is the service's ASGI root path (for its /docs).
    """

    name: str
    app: str  # "module:factory", run as `uvicorn --factory`
    port: int
    prefix: str
    upstream: str = "/"
    websocket: bool = False
    # Gateway paths forwarded unchanged to this service (the older tools' and InfluxDB-compatible
    # doors that clients expect at fixed paths, e.g. "/api/v2/write").
    exact_paths: tuple[str, ...] = ()
    # Gateway path prefixes forwarded unchanged (Healthchecks-style /ping/<key> URLs...).
    forwarded_prefixes: tuple[str, ...] = ()
    uvicorn_args: tuple[str, ...] = ()  # extra flags, e.g. WebSocket ping settings

    def __post_init__(self) -> None:
        if not self.prefix.startswith("/") or not self.prefix.endswith(self.upstream):
            raise ValueError(f"{self.name}: prefix {self.prefix!r} must end with {self.upstream!r}")

    @property
    def root_path(self) -> str:
        """The path prefix the gateway strips, e.g. "/api/auth" for "/api/auth/" -> "/"."""
        return self.prefix[: len(self.prefix) - len(self.upstream)]

    @property
    def docs_path(self) -> str | None:
        """The gateway path of the service's Swagger UI, if the gateway routes /docs to it."""
        return self.prefix + "docs" if self.upstream == "/" else None

    def gateway_paths(self, service_path: str) -> list[str]:
        """The gateway paths (prefixes) that reach `service_path` of this service."""
        paths = [path for path in self.exact_paths if path == service_path]
        if any(service_path.startswith(p) for p in self.forwarded_prefixes):
            paths.append(service_path)
        if service_path.startswith(self.upstream):
            paths.append(self.prefix + service_path[len(self.upstream) :])
        return paths

    @property
    def env_key(self) -> str:
        return self.name.upper().replace("-", "_")


# The Data Monitoring Tool's /report, the Metrics Collection API's /api/metrics family and the
# InfluxDB write API (+ /ping), where existing clients expect them.
INGESTION_EXACT_PATHS = (
    "/report",
    "/api/metrics",
    "/api/recent",
    "/api/health",
    "/api/v2/write",
    "/write",
    "/ping",
)

# Python Monitor's API (/api/monitors/<id>/checks too) and the push monitors' URLs.
PYTHON_MONITOR_EXACT_PATHS = ("/api/status", "/api/incidents")
PROBE_FORWARDED_PREFIXES = ("/api/monitors", "/ping/", "/api/push/")

SERVICES: tuple[Service, ...] = (
    Service("auth", "auth_service.app:create_app", 8000, "/api/auth/"),
    Service(
        "ingestion",
        "ingestion_service.app:create_app",
        8001,
        "/api/ingest",
        "/ingest",
        exact_paths=INGESTION_EXACT_PATHS,
    ),
    Service(
        "distribution",
        "distribution_service.app:create_app",
        8002,
        "/ws/",
        "/ws/",
        websocket=True,
        uvicorn_args=tuple(uvicorn_flags()),
    ),
    Service("history", "history_service.app:create_app", 8003, "/api/history/", "/history/"),
    # asyncio's own loop: the outbound guard cannot see uvloop's sockets (core/outbound.py).
    Service(
        "alert",
        "alert_service.app:create_app",
        8004,
        "/api/alerts/",
        uvicorn_args=("--loop", "asyncio"),
    ),
    Service(
        "probe",
        "probe_service.app:create_app",
        8005,
        "/api/probes/",
        # Python Monitor's API and the push URLs, where their users and cron jobs expect them.
        exact_paths=PYTHON_MONITOR_EXACT_PATHS,
        forwarded_prefixes=PROBE_FORWARDED_PREFIXES,
        uvicorn_args=("--loop", "asyncio"),
    ),
)


@dataclass(frozen=True)
class Worker:
    """A background process without HTTP, e.g. a stream consumer: `python -m <module>`."""

    name: str
    module: str
    # Started only when this says so (e.g. the Telegram bot without a token would exit at once).
    wanted: Callable[[], bool] = lambda: True


def _telegram_configured() -> bool:
    return AlertSettings().telegram_bot_token is not None


WORKERS: tuple[Worker, ...] = (
    Worker("history-worker", "history_service.worker"),
    Worker("alert-worker", "alert_service.worker"),
    Worker("probe-worker", "probe_service.worker"),
    Worker("telegram-bot", "alert_service.telegram_bot", _telegram_configured),
)


def configured(env: Mapping[str, str], services: tuple[Service, ...] = SERVICES) -> list[Service]:
    """SERVICES with per-service overrides: RUN_<NAME>_PORT and RUN_<NAME>_APP."""
    result = []
    for service in services:
        port = env.get(f"RUN_{service.env_key}_PORT")
        app = env.get(f"RUN_{service.env_key}_APP")
        result.append(
            dataclasses.replace(
                service,
                port=int(port) if port else service.port,
                app=app or service.app,
            )
        )
    return result
