"""Structured JSON logging through structlog, also capturing stdlib (uvicorn, sqlalchemy) logs."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import structlog

# Keys whose values must never reach a log line, whatever the caller passes.
_SECRET_KEYS = frozenset(
    {"password", "token", "access_token", "refresh_token", "secret", "authorization", "hash"}
)


# Credentials in URLs (a WebSocket's ?token=, an InfluxDB client's ?p=) end up in access logs.
_URL_SECRET = re.compile(r"([?&](?:token|access_token|p|password|api_key)=)[^&\s\"]+", re.I)


def _redact(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key in list(event_dict):
        if key.lower() in _SECRET_KEYS or key.lower().endswith(("_token", "_password", "_hash")):
            event_dict[key] = "[redacted]"
    event = event_dict.get("event")
    if isinstance(event, str) and "=" in event:
        event_dict["event"] = _URL_SECRET.sub(r"\1[redacted]", event)
    return event_dict


def configure_logging(level: str = "INFO", service: str = "statusmonitor") -> None:
    def add_service(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
        event_dict.setdefault("service", service)
        return event_dict

    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        add_service,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _redact,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every outgoing request at INFO: noise for services that call VictoriaMetrics.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(name)
    return logger
