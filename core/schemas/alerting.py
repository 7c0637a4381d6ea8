"""Alert rules (seed 001's payload works as written) and the Telegram recipient."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, field_validator, model_validator

from core import reports as m
from core.schemas.common import Schema, StrictInput

Condition = Literal["gt", "ge", "lt", "le", "eq", "ne"]
Severity = Literal["info", "warning", "critical"]

# Not a metric: "no report for `threshold` missed intervals" (seed 000's host_online check).
HOST_OFFLINE = "host_offline"

# Seed 001's metric types and other short names, and the canonical metric each one watches.
METRIC_ALIASES = {
    "cpu": m.CPU_PERCENT,
    "memory": m.MEMORY_PERCENT,
    "disk": m.DISK_PERCENT,
    "swap": m.SWAP_PERCENT,
    "load": m.LOAD_1,
}


def _metric(value: str) -> str:
    if value not in METRIC_ALIASES and not m.METRIC_NAME_RE.match(value):
        raise ValueError(
            f"unknown metric {value!r}: use {', '.join(METRIC_ALIASES)} or a metric name"
        )
    return value


def _is_percent(metric: str) -> bool:
    return METRIC_ALIASES.get(metric, metric) in m.PERCENT_METRICS


class RuleCreate(StrictInput):
    # Seed 001 sends the agent id as a string ("4"); absent means every agent of the org.
    agent_id: int | None = None
    metric_type: str = Field(min_length=1, max_length=200)
    condition: Condition
    threshold: float = Field(allow_inf_nan=False)
    enabled: bool = True
    severity: Severity = "warning"
    for_seconds: int = Field(default=0, ge=0, le=86_400)
    renotify_seconds: int = Field(default=300, ge=60, le=7 * 86_400)

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
    severity: Severity | None = None
    for_seconds: int | None = Field(default=None, ge=0, le=86_400)
    renotify_seconds: int | None = Field(default=None, ge=60, le=7 * 86_400)

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
    created_at: datetime


class Recipient(StrictInput):
    # A user's numeric chat id (negative for groups) or a public channel's @name.
    chat_id: str = Field(pattern=r"^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$")


class RecipientPublic(Schema):
    chat_id: str | None


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


class AlertsPage(Schema):
    data: list[AlertPublic]
    count: int  # matching alerts in all pages
    page: int
    per_page: int


class Acknowledge(StrictInput):
    comment: str | None = Field(default=None, max_length=500)
