"""Uptime monitors over the API (probe_service), and the Python Monitor API's envelope.

The common settings are checked here; `config` is checked by the monitor type's own schema
(probe_service/checks/<type>.py), which the service applies before storing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from core.schemas.common import Id, Labels, Name, Schema, StrictInput

Status = Literal["pending", "up", "degraded", "down", "unreachable", "paused"]
# What a check's outcome counts as in uptime: up and degraded are up; unreachable (its parent
# was down) and pending (retrying) count for neither.
UP_STATUSES = frozenset({"up", "degraded"})

MIN_INTERVAL_SECONDS = 20
MAX_INTERVAL_SECONDS = 86_400
MAX_TIMEOUT_SECONDS = 120
MAX_RETRIES = 10
# Depth of a dependency chain (router -> switch -> server): deeper is refused, and loops too.
MAX_DEPENDENCY_DEPTH = 8
# Monitors per organization; a bulk action names at most this many.
MAX_MONITORS_PER_ORG = 10_000
MAX_BULK_IDS = 1000

Interval = Field(ge=MIN_INTERVAL_SECONDS, le=MAX_INTERVAL_SECONDS)


class MonitorCreate(StrictInput):
    name: Name
    type: str = Field(min_length=1, max_length=16)
    # A URL (http), host (tcp, ping, tls), DNS name (dns); none for push.
    target: str = Field(default="", max_length=2048)
    # The type's settings (probe_service/checks/<type>.py); its SecretStr fields (password,
    # token) are stored encrypted and never shown again.
    config: dict[str, Any] = Field(default_factory=dict)
    interval_seconds: int = Field(default=60, ge=MIN_INTERVAL_SECONDS, le=MAX_INTERVAL_SECONDS)
    retry_interval_seconds: int | None = Field(
        default=None, ge=MIN_INTERVAL_SECONDS, le=MAX_INTERVAL_SECONDS
    )  # None: the interval
    retries: int = Field(default=0, ge=0, le=MAX_RETRIES)
    timeout_seconds: float = Field(default=10, gt=0, le=MAX_TIMEOUT_SECONDS, allow_inf_nan=False)
    upside_down: bool = False
    labels: Labels = Field(default_factory=dict)
    description: str = Field(default="", max_length=1000)
    active: bool = True
    parent_id: Id | None = None


class MonitorUpdate(StrictInput):
    name: Name | None = None
    target: str | None = Field(default=None, max_length=2048)
    config: dict[str, Any] | None = None
    interval_seconds: int | None = Field(
        default=None, ge=MIN_INTERVAL_SECONDS, le=MAX_INTERVAL_SECONDS
    )
    retry_interval_seconds: int | None = Field(
        default=None, ge=MIN_INTERVAL_SECONDS, le=MAX_INTERVAL_SECONDS
    )
    retries: int | None = Field(default=None, ge=0, le=MAX_RETRIES)
    timeout_seconds: float | None = Field(
        default=None, gt=0, le=MAX_TIMEOUT_SECONDS, allow_inf_nan=False
    )
    upside_down: bool | None = None
    labels: Labels | None = None
    description: str | None = Field(default=None, max_length=1000)
    active: bool | None = None
    # Explicit null removes the dependency.
    parent_id: Id | None = None


class MonitorPublic(Schema):
    id: int
    name: str
    type: str
    target: str
    config: dict[str, Any]
    secret_fields: list[str]  # which secrets are set (never their values)
    interval_seconds: int
    retry_interval_seconds: int
    retries: int
    timeout_seconds: float
    upside_down: bool
    labels: dict[str, str]
    description: str
    active: bool
    parent_id: int | None
    status: Status
    status_since: datetime
    last_check_at: datetime | None
    last_response_ms: float | None
    last_error: str | None
    cert_expires_at: datetime | None
    # Push monitors: the URL path to call (operators and admins only; None for viewers).
    push_path: str | None = None
    last_ping_at: datetime | None = None
    push_deadline: datetime | None = None
    created_at: datetime


class MonitorsPublic(Schema):
    data: list[MonitorPublic]
    count: int


class CheckPublic(Schema):
    checked_at: datetime
    status: Status
    response_ms: float | None
    status_code: int | None
    error: str | None
    details: dict[str, Any]


class CheckResultPublic(Schema):
    """What "test now" shows: one check run before saving, nothing stored."""

    status: Status
    response_ms: float | None
    error: str | None
    metrics: dict[str, float]
    details: dict[str, Any]


class IncidentPublic(Schema):
    id: int
    monitor_id: int
    monitor_name: str
    started_at: datetime
    resolved_at: datetime | None
    duration_seconds: float | None  # until resolution; None while still down
    duration: str  # human-readable, as Python Monitor shows it ("2h 30m", "45s")
    error: str | None


class UptimeDay(Schema):
    day: str  # YYYY-MM-DD, UTC
    uptime: float | None  # percent; None: no checks that day
    checks: int
    down: int


class UptimePublic(Schema):
    monitor_id: int
    # Percent up over the last 24 h, 7 d, 30 d, 90 d and 365 d; None: no checks in it.
    uptime: dict[str, float | None]
    avg_response_ms: dict[str, float | None]
    days: list[UptimeDay]  # the last 90 days, oldest first


class HeartbeatSlot(Schema):
    status: Status | None  # the worst status checked in the slot; None: no check in it
    checks: int
    down: int


class HeartbeatPublic(Schema):
    """A monitor's last hours as equal slots (the list's heartbeat bar) and the response times
    of its latest checks (its sparkline): what a list row draws, without the checks."""

    monitor_id: int
    start: datetime  # slot i covers start + i * slot_seconds up to the next one
    slot_seconds: float
    slots: list[HeartbeatSlot]  # oldest first
    recent_ms: list[float | None]  # oldest first; None: the check got no answer
    latest_at: datetime | None  # the newest check counted (a live check after it is new)


class PushRunPublic(Schema):
    received_at: datetime
    kind: str
    exit_status: int | None
    duration_ms: float | None
    body: str
    message: str | None


class BulkAction(StrictInput):
    ids: list[Id] = Field(min_length=1, max_length=MAX_BULK_IDS)
    active: bool


class BulkResult(Schema):
    updated: int


class MonitorTypeInfo(Schema):
    type: str
    title: str
    target: str  # what `target` means for it ("URL", "host", "" for push)
    config_schema: dict[str, Any]  # JSON schema of `config`
    secret_fields: list[str]


T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    """The Python Monitor API's answer: `{status, data, message, timestamp}`."""

    status: Literal["success", "error"] = "success"
    data: T
    message: str | None = None
    timestamp: datetime


class StatusSummary(Schema):
    """Python Monitor's GET /api/status: the whole organization at a glance."""

    total_monitors: int
    active_monitors: int
    by_status: dict[str, int]  # monitors per status
    open_incidents: int
    uptime_24h: float | None  # percent over every monitor's checks
    overall: Literal["operational", "degraded", "outage", "no monitors"]
