"""The two older clients we accept as they are: the Data Monitoring Tool's `/report` and the Metrics
Collection API's `/api/metrics`. Each payload is validated while decoding and normalised to a
Report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta, timezone
from typing import Annotated, Any

import msgspec
from msgspec import Meta, Struct

from core import bounds
from core import reports as m
from core.agent_auth import AgentIdentity
from core.errors import Unprocessable
from core.reports import MAX_LABEL_VALUE_LENGTH, METRIC_NAME_RE, Report, Sample, text_problem
from core.schemas.agent_payload import NonNegative, Percent
from ingestion_service.domain.local_time import ZoneMemories, ZoneMemory, resolve
from ingestion_service.domain.normalize import new_report_id
from ingestion_service.domain.timestamps import TimeWindow, parse_datetime

MIB = 1024**2
GIB = 1024**3
LabelValue = Annotated[str, Meta(max_length=MAX_LABEL_VALUE_LENGTH)]
HostText = Annotated[str, Meta(max_length=bounds.MAX_HOST_TEXT_LENGTH)]
Moment = Annotated[str, Meta(max_length=64)] | float  # ISO 8601 (a zone optional) or unix seconds


class FlatReport(Struct, omit_defaults=True):
    """The Data Monitoring Tool's agent payload (POST /report): flat, sizes in MB and GB.

    As its README documents it and as its agents send it: any field may be null, as its server
    allowed; its first agent also sent `public_ip`, the data-pipeline fields and `extra`."""

    # the Data Monitoring Tool also sends the key here; it is used when no header carries it
    host_key: HostText | None = None
    collected_at: Moment | None = None  # the host's local time, usually without a zone
    int_ip: HostText | None = None
    public_ip: HostText | None = None
    kernel_name: HostText | None = None
    kernel_version: HostText | None = None  # platform.version(): long on macOS
    cpu_pct: Percent | None = None
    mem_used_mb: NonNegative | None = None
    mem_total_mb: NonNegative | None = None
    mem_pct: Percent | None = None
    disk_used_gb: NonNegative | None = None
    disk_total_gb: NonNegative | None = None
    disk_pct: Percent | None = None
    # Its server's data-pipeline fields: a dataset's (partition's) files, size, event times.
    dataset_name: LabelValue | None = None
    partition_key: LabelValue | None = None
    files_count: NonNegative | None = None
    size_bytes: NonNegative | None = None
    min_event_ts: Moment | None = None
    max_event_ts: Moment | None = None
    extra: Any = None  # anything; its agent sends {"agent_version", "hostname"}


class MetricItem(Struct):
    metric_name: Annotated[str, Meta(min_length=1, max_length=200)]
    metric_value: float


class MetricsMessage(Struct):
    """The Metrics Collection API's collector message (POST /api/metrics)."""

    message_id: Annotated[str, Meta(min_length=1, max_length=128)]
    timestamp: float
    metrics: Annotated[list[MetricItem], Meta(min_length=1, max_length=bounds.MAX_CUSTOM_METRICS)]
    device_id: LabelValue = ""
    source: LabelValue = ""


flat_report_decoder = msgspec.json.Decoder(FlatReport)
metrics_message_decoder = msgspec.json.Decoder(MetricsMessage)

# Data Monitoring Tool field → host info key.
_FLAT_HOST_FIELDS = (
    ("int_ip", "ip"),
    ("public_ip", "public_ip"),
    ("kernel_name", "os"),
    ("kernel_version", "kernel"),
)
_EXTRA_HOST_FIELDS = ("hostname", "agent_version")
# Data Monitoring Tool field → (canonical metric, factor to bytes or 1).
_FLAT_FIELDS = (
    ("cpu_pct", m.CPU_PERCENT, 1),
    ("mem_pct", m.MEMORY_PERCENT, 1),
    ("mem_used_mb", m.MEMORY_USED_BYTES, MIB),
    ("mem_total_mb", m.MEMORY_TOTAL_BYTES, MIB),
    ("disk_pct", m.DISK_PERCENT, 1),
    ("disk_used_gb", m.DISK_USED_BYTES, GIB),
    ("disk_total_gb", m.DISK_TOTAL_BYTES, GIB),
)
_DATASET_FIELDS = (
    ("files_count", m.DATASET_FILES_COUNT),
    ("size_bytes", m.DATASET_SIZE_BYTES),
    ("min_event_ts", m.DATASET_MIN_EVENT_TS),
    ("max_event_ts", m.DATASET_MAX_EVENT_TS),
)


@dataclass(frozen=True, slots=True)
class CollectionTime:
    ts: float  # unix seconds
    offset: int  # the host's UTC offset in seconds, for the report's other local times
    memory: ZoneMemory | None = None  # to remember once the report is stored


async def collection_time(
    value: str | float | None,
    agent_id: int,
    memories: ZoneMemories,
    window: TimeWindow,
    now: float,
) -> CollectionTime:
    """When the report was collected: unix seconds and ISO 8601 with an offset are instants;
    a local time without one is placed by ingestion_service.domain.local_time."""
    field = "$.collected_at"
    if value is None or value == "":  # its server took both as "now"
        return CollectionTime(now, 0)
    if not isinstance(value, str):
        return CollectionTime(window.check(value, now, field), 0)
    moment = parse_datetime(value, field)
    offset = moment.utcoffset()
    if offset is not None:
        return CollectionTime(window.check(moment.timestamp(), now, field), _seconds(offset))
    wall = moment.replace(tzinfo=UTC).timestamp()
    memory = await memories.get(agent_id)
    resolved = resolve(wall, now, memory, f"{field} {value[:40]!r}")
    return CollectionTime(window.check(resolved.ts, now, field), resolved.offset, resolved.memory)


def flat_report(payload: FlatReport, agent: AgentIdentity, collected: CollectionTime) -> Report:
    metrics = {
        name: value * factor
        for field, name, factor in _FLAT_FIELDS
        if (value := getattr(payload, field)) is not None
    }
    series = _dataset_series(payload, collected.offset)
    if not metrics and not series:
        fields = ", ".join(field for field, _, _ in _FLAT_FIELDS)
        raise Unprocessable(f"the report carries no metric: send at least one of {fields}")
    return Report(
        id=new_report_id(),
        org_id=agent.org_id,
        target_type="agent",
        target_id=agent.agent_id,
        source="report",
        ts=collected.ts,
        metrics=metrics,
        series=series,
        host_info=_flat_host_info(payload),
    )


def _dataset_series(payload: FlatReport, offset: int) -> list[Sample]:
    labels = _labels(
        ("dataset", payload.dataset_name, "dataset_name"),
        ("partition", payload.partition_key, "partition_key"),
    )
    series = []
    for field, name in _DATASET_FIELDS:
        value = getattr(payload, field)
        if isinstance(value, str):  # an event time, local like collected_at when without zone
            value = _instant(value, offset, f"$.{field}")
        if value is not None:
            series.append(Sample(name, value, labels))
    return series


def _instant(value: str, offset: int, field: str) -> float:
    moment = parse_datetime(value, field)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone(timedelta(seconds=offset)))
    return moment.timestamp()


def _seconds(offset: timedelta) -> int:
    return int(offset.total_seconds())


def _flat_host_info(payload: FlatReport) -> dict[str, Any] | None:
    info = {}
    for field, key in _FLAT_HOST_FIELDS:
        if value := getattr(payload, field):
            info[key] = _check_text(value, field)
    if isinstance(payload.extra, dict):
        for key in _EXTRA_HOST_FIELDS:
            value = payload.extra.get(key)
            if isinstance(value, str) and value:
                info[key] = _check_text(value, f"extra.{key}", bounds.MAX_HOST_TEXT_LENGTH)
    return info or None


def metrics_message_report(
    message: MetricsMessage, agent: AgentIdentity, window: TimeWindow, now: float
) -> Report:
    labels = _labels(
        ("device", message.device_id, "device_id"), ("origin", message.source, "source")
    )
    series = []
    for index, item in enumerate(message.metrics):
        if not METRIC_NAME_RE.match(item.metric_name):
            raise Unprocessable(
                f"$.metrics[{index}].metric_name {item.metric_name[:60]!r} is not a valid "
                "metric name: use letters, digits and _, not starting with a digit"
            )
        series.append(Sample(item.metric_name, item.metric_value, labels))
    return Report(
        id=message.message_id,
        org_id=agent.org_id,
        target_type="agent",
        target_id=agent.agent_id,
        source="api_metrics",
        ts=window.check(message.timestamp, now, "$.timestamp"),
        metrics={},
        series=series,
    )


def _labels(*labels: tuple[str, str | None, str]) -> dict[str, str]:
    """(label, value, field) → the labels whose value was sent, checked as storable."""
    return {label: _check_text(value, field) for label, value, field in labels if value}


def _check_text(value: str, field: str, max_length: int = MAX_LABEL_VALUE_LENGTH) -> str:
    """What becomes a label or host info must be storable (core.reports.text_problem)."""
    problem = text_problem(value, max_length)
    if problem is not None:
        raise Unprocessable(f"$.{field} {problem}")
    return value
