"""Alert rules (StatusMonitor v1's payload works as written) and the Telegram recipient."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, Field, field_validator, model_validator

from core import reports as m
from core.schemas.common import Id, Schema, StrictInput, UtcDatetime

Condition = Literal["gt", "ge", "lt", "le", "eq", "ne"]
Severity = Literal["info", "warning", "critical"]
# The Device Monitoring Backend speaks of low/medium/high/critical (`GET
# /api/alerts/?severity=high`): its words are accepted wherever a severity is, as these.
SEVERITY_ALIASES: dict[str, Severity] = {"low": "info", "medium": "warning", "high": "critical"}
SeverityName = Literal["info", "warning", "critical", "low", "medium", "high"]


def canonical_severity(value: object) -> Severity:
    if not isinstance(value, str):
        raise ValueError("a severity is a string: info, warning or critical")
    if value in SEVERITY_ALIASES:
        return SEVERITY_ALIASES[value]
    if value in ("info", "warning", "critical"):
        return value  # type: ignore[return-value]
    raise ValueError(f"unknown severity {value!r}: use info, warning or critical")


SeverityInput = Annotated[Severity, BeforeValidator(canonical_severity)]

# Not a metric: "no report for `threshold` missed intervals" (the Data Monitoring Tool's host_online
# check).
HOST_OFFLINE = "host_offline"

# StatusMonitor v1's metric types and other short names, and the canonical metric each one watches.
METRIC_ALIASES = {
    "cpu": m.CPU_PERCENT,
    "memory": m.MEMORY_PERCENT,
    "disk": m.DISK_PERCENT,
    "swap": m.SWAP_PERCENT,
    "load": m.LOAD_1,
    "temperature": m.TEMPERATURE_CELSIUS,
    "network_in": m.NET_RECV_BYTES_PER_S,
    "network_out": m.NET_SENT_BYTES_PER_S,
}

# Label maps on rules (which agents; which partition/interface/sensor) stay small and simple.
Labels = Annotated[
    dict[
        Annotated[str, Field(pattern=r"^[a-zA-Z_][a-zA-Z0-9_]{0,63}$")],
        Annotated[str, Field(max_length=256)],
    ],
    Field(max_length=16),
]


def _metric(value: str) -> str:
    if value not in METRIC_ALIASES and not m.METRIC_NAME_RE.match(value):
        raise ValueError(
            f"unknown metric {value!r}: use {', '.join(METRIC_ALIASES)} or a metric name"
        )
    return value


def _is_percent(metric: str) -> bool:
    return METRIC_ALIASES.get(metric, metric) in m.PERCENT_METRICS


class RuleCreate(StrictInput):
    # StatusMonitor v1 sends the agent id as a string ("4"); absent means every agent of the org.
    agent_id: Id | None = None
    metric_type: str = Field(min_length=1, max_length=200)
    condition: Condition
    threshold: float = Field(allow_inf_nan=False)
    enabled: bool = True
    severity: SeverityInput = "warning"
    for_seconds: int = Field(default=0, ge=0, le=86_400)
    renotify_seconds: int = Field(default=300, ge=60, le=7 * 86_400)
    # With no agent_id: only agents carrying all these labels.
    labels: Labels = Field(default_factory=dict)
    # Per-item metrics: only these items, e.g. {"mountpoint": "/data"} for one partition.
    match: Labels = Field(default_factory=dict)
    hysteresis: float = Field(default=0, ge=0, allow_inf_nan=False)
    # Channels to notify; empty means every enabled channel of the organization.
    channel_ids: list[Id] = Field(default_factory=list, max_length=50)

    _check_metric = field_validator("metric_type")(_metric)

    @model_validator(mode="after")
    def _percent_range(self) -> RuleCreate:
        if _is_percent(self.metric_type) and not 0 <= self.threshold <= 100:
            raise ValueError("threshold: a percentage must be between 0 and 100")
        return self


class RuleUpdate(StrictInput):
    metric_type: str | None = Field(default=None, min_length=1, max_length=200)
    condition: Condition | None = None
    threshold: float | None = Field(default=None, allow_inf_nan=False)
    enabled: bool | None = None
    severity: SeverityInput | None = None
    for_seconds: int | None = Field(default=None, ge=0, le=86_400)
    renotify_seconds: int | None = Field(default=None, ge=60, le=7 * 86_400)
    labels: Labels | None = None
    match: Labels | None = None
    hysteresis: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    channel_ids: list[Id] | None = Field(default=None, max_length=50)

    @field_validator("metric_type")
    @classmethod
    def _check_metric(cls, value: str | None) -> str | None:
        return None if value is None else _metric(value)


class RulePublic(Schema):
    id: int
    agent_id: int | None
    metric_type: str
    condition: Condition
    threshold: float
    enabled: bool
    severity: Severity
    for_seconds: int
    renotify_seconds: int
    labels: dict[str, str]
    match: dict[str, str]
    hysteresis: float
    channel_ids: list[int]
    created_at: datetime


class Recipient(StrictInput):
    # A user's numeric chat id (negative for groups) or a public channel's @name.
    chat_id: str = Field(pattern=r"^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$")


class RecipientPublic(Schema):
    chat_id: str | None
    # Whether the bot has seen the confirmation code from this chat (needed for /ack there).
    confirmed: bool = False
    # Given once, right after a new chat id is set: send "/start <code>" to the bot from it.
    confirm_code: str | None = None
    next_step: str | None = None


def percent_threshold_ok(metric: str, threshold: float) -> bool:
    return not _is_percent(metric) or 0 <= threshold <= 100


class AlertPublic(Schema):
    id: int
    rule_id: int | None
    agent_id: int | None
    metric: str
    condition: str
    severity: Severity
    value: float
    threshold: float
    started_at: datetime
    resolved_at: datetime | None
    duration_seconds: float | None  # until resolution; None while still firing
    acknowledged_at: datetime | None
    acknowledged_by: int | None
    ack_comment: str | None
    silenced: bool
    labels: dict[str, str]  # the partition/interface/sensor of a per-item metric


class AlertsPage(Schema):
    data: list[AlertPublic]
    count: int  # matching alerts in all pages
    page: int
    per_page: int


class Acknowledge(StrictInput):
    comment: str | None = Field(default=None, max_length=500)


_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class SilenceCreate(StrictInput):
    """A period (starts_at..ends_at) or a weekly window (weekdays + window_start/end)."""

    agent_id: Id | None = None
    rule_id: Id | None = None
    labels: dict[str, str] = Field(default_factory=dict, max_length=16)
    starts_at: UtcDatetime | None = None
    ends_at: UtcDatetime | None = None
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(default_factory=list, max_length=7)
    window_start: str | None = Field(default=None, pattern=_HHMM)
    window_end: str | None = Field(default=None, pattern=_HHMM)
    timezone: str = "UTC"
    comment: str = Field(default="", max_length=500)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @model_validator(mode="after")
    def _one_schedule(self) -> SilenceCreate:
        period = self.ends_at is not None
        weekly = (
            bool(self.weekdays) and self.window_start is not None and self.window_end is not None
        )
        if period == weekly:
            raise ValueError(
                "give either ends_at (and optionally starts_at) or weekdays with "
                "window_start and window_end"
            )
        if period and self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class SilencePublic(Schema):
    id: int
    agent_id: int | None
    rule_id: int | None
    labels: dict[str, str]
    starts_at: datetime | None
    ends_at: datetime | None
    weekdays: list[int]
    window_start: str | None
    window_end: str | None
    timezone: str
    comment: str
    created_at: datetime
