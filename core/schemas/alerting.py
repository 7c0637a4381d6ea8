"""Alert rules (StatusMonitor v1's payload works as written) and the Telegram recipient.

A rule watches agents (hosts, the default) or uptime monitors (`target_type` "monitor"); each
kind has its own metrics, and a rule names at most one target of its own kind."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from core import reports as m
from core.schemas.common import Id, Schema, StrictInput, TimeZoneName, UtcDatetime

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


TargetType = Literal["agent", "monitor"]

# Short names of monitor metrics, and the canonical metric each one watches. Monitor rules
# store the canonical name.
MONITOR_METRIC_ALIASES = {
    "down": m.MONITOR_DOWN,
    "degraded": m.MONITOR_DEGRADED,
    "unreachable": m.MONITOR_UNREACHABLE,
    "response_time": m.RESPONSE_TIME_MS,
    "cert_expiry": m.CERT_DAYS_LEFT,
    "certificate": m.CERT_DAYS_LEFT,
}
# What a monitor rule on these means when it gives no condition or threshold: "is down",
# "certificate expires within 14 days".
MONITOR_RULE_DEFAULTS: dict[str, tuple[Condition, float]] = {
    m.MONITOR_DOWN: ("ge", 1.0),
    m.MONITOR_DEGRADED: ("ge", 1.0),
    m.MONITOR_UNREACHABLE: ("ge", 1.0),
    m.MONITOR_UP: ("lt", 1.0),
    m.CERT_DAYS_LEFT: ("le", 14.0),
}
# Monitor states: meaningless on a host (other monitor metrics may be an agent's custom ones).
_MONITOR_ONLY = frozenset({m.MONITOR_UP, m.MONITOR_DOWN, m.MONITOR_DEGRADED, m.MONITOR_UNREACHABLE})


def _metric(value: str) -> str:
    if value not in METRIC_ALIASES and not m.METRIC_NAME_RE.match(value):
        raise ValueError(
            f"unknown metric {value!r}: use {', '.join(METRIC_ALIASES)} or a metric name"
        )
    return value


def rule_metric(target_type: str, metric: str) -> str:
    """The metric a rule of this target type stores for `metric` as given; ValueError (its
    message names the fix) for one the target type does not have."""
    if target_type == m.TARGET_MONITOR:
        canonical = MONITOR_METRIC_ALIASES.get(metric, metric)
        if canonical not in m.MONITOR_METRICS:
            known = ", ".join([*MONITOR_METRIC_ALIASES, *sorted(m.MONITOR_METRICS)])
            raise ValueError(f"{metric!r} is not a monitor metric: use one of {known}")
        return canonical
    if metric in _MONITOR_ONLY:
        raise ValueError(f'{metric} is a monitor metric: set target_type to "monitor"')
    return _metric(metric)


def _is_percent(metric: str) -> bool:
    return METRIC_ALIASES.get(metric, metric) in m.PERCENT_METRICS


def _target_type(info: ValidationInfo) -> str | None:
    """The rule's target type as validated so far (None when it was itself refused)."""
    value = info.data.get("target_type")
    return value if isinstance(value, str) else None


def target_problem(
    target_type: str, agent_id: int | None, monitor_id: int | None
) -> tuple[str, str] | None:
    """(field, why) when a rule names a target of the other kind: a rule names at most one
    target, of its own kind."""
    if target_type == m.TARGET_MONITOR and agent_id is not None:
        return "agent_id", (
            "a monitor rule watches monitors: give monitor_id (or none for every monitor), "
            'or set target_type to "agent"'
        )
    if target_type != m.TARGET_MONITOR and monitor_id is not None:
        return "monitor_id", 'only a monitor rule names a monitor: set target_type to "monitor"'
    return None


class RuleCreate(StrictInput):
    # Declared first: the fields below are checked against it.
    target_type: TargetType = "agent"
    # StatusMonitor v1 sends the agent id as a string ("4"); absent means every agent of the org.
    agent_id: Id | None = None
    # With target_type "monitor": this monitor; absent means every monitor (with `labels`).
    monitor_id: Id | None = None
    metric_type: str = Field(min_length=1, max_length=200)
    # Required, except on monitor states and certificates (MONITOR_RULE_DEFAULTS).
    condition: Condition | None = Field(default=None, validate_default=True)
    threshold: float | None = Field(default=None, allow_inf_nan=False, validate_default=True)
    enabled: bool = True
    severity: SeverityInput = "warning"
    for_seconds: int = Field(default=0, ge=0, le=86_400)
    renotify_seconds: int = Field(default=300, ge=60, le=7 * 86_400)
    # With no agent_id (monitor_id): only agents (monitors) carrying all these labels.
    labels: Labels = Field(default_factory=dict)
    # Per-item metrics: only these items, e.g. {"mountpoint": "/data"} for one partition.
    match: Labels = Field(default_factory=dict)
    hysteresis: float = Field(default=0, ge=0, allow_inf_nan=False)
    # Channels to notify; empty means every enabled channel of the organization.
    channel_ids: list[Id] = Field(default_factory=list, max_length=50)

    @field_validator("agent_id", "monitor_id")
    @classmethod
    def _own_kind(cls, value: int | None, info: ValidationInfo) -> int | None:
        target_type = _target_type(info)
        if target_type is not None and value is not None:
            ids = {info.field_name: value}
            problem = target_problem(target_type, ids.get("agent_id"), ids.get("monitor_id"))
            if problem is not None:
                raise ValueError(problem[1])
        return value

    @field_validator("metric_type")
    @classmethod
    def _check_metric(cls, value: str, info: ValidationInfo) -> str:
        return rule_metric(_target_type(info) or "agent", value)

    @field_validator("match")
    @classmethod
    def _no_items_on_monitors(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        if value and _target_type(info) == m.TARGET_MONITOR:
            raise ValueError("a monitor has no per-item metrics: leave match empty")
        return value

    @field_validator("condition", "threshold")
    @classmethod
    def _default(cls, value: object, info: ValidationInfo) -> object:
        if value is not None:
            return value
        metric = info.data.get("metric_type")
        default = MONITOR_RULE_DEFAULTS.get(metric) if isinstance(metric, str) else None
        if default is None or _target_type(info) != m.TARGET_MONITOR:
            raise ValueError("required (optional only for monitor states and certificates)")
        return default[0] if info.field_name == "condition" else default[1]

    @model_validator(mode="after")
    def _percent_range(self) -> RuleCreate:
        threshold = self.threshold or 0
        if _is_percent(self.metric_type) and not 0 <= threshold <= 100:
            raise ValueError("threshold: a percentage must be between 0 and 100")
        return self


class RuleUpdate(StrictInput):
    # Changing the target type drops the other kind's target (agent_id or monitor_id).
    target_type: TargetType | None = None
    # null: every monitor of the organization (with `labels`).
    monitor_id: Id | None = None
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
        # Which metrics the rule's target type has is checked with the stored rule.
        if value is None or value in MONITOR_METRIC_ALIASES or value in m.MONITOR_METRICS:
            return value
        return _metric(value)


class RulePublic(Schema):
    id: int
    target_type: TargetType
    agent_id: int | None
    monitor_id: int | None
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
    agent_id: int | None  # a host's alert
    monitor_id: int | None  # an uptime monitor's alert
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
    monitor_id: Id | None = None  # one monitor's alerts
    rule_id: Id | None = None
    labels: dict[str, str] = Field(default_factory=dict, max_length=16)
    starts_at: UtcDatetime | None = None
    ends_at: UtcDatetime | None = None
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(default_factory=list, max_length=7)
    window_start: str | None = Field(default=None, pattern=_HHMM)
    window_end: str | None = Field(default=None, pattern=_HHMM)
    timezone: TimeZoneName = "UTC"
    comment: str = Field(default="", max_length=500)

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
    monitor_id: int | None
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
