"""The two older clients we accept as they are: the Data Monitoring Tool's `/report` and the Metrics
Collection API's `/api/metrics`. Each payload is validated while decoding and normalised to a
Report."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta, Struct

from core import bounds
from core import reports as m
from core.agent_auth import AgentIdentity
from core.errors import Unprocessable
from core.reports import MAX_LABEL_VALUE_LENGTH, METRIC_NAME_RE, Report, Sample, text_problem
from core.schemas.agent_payload import NonNegative, Percent
from ingestion_service.domain.normalize import new_report_id
from ingestion_service.domain.timestamps import TimeWindow

MIB = 1024**2
GIB = 1024**3
LabelValue = Annotated[str, Meta(max_length=MAX_LABEL_VALUE_LENGTH)]
HostText = Annotated[str, Meta(max_length=bounds.MAX_HOST_TEXT_LENGTH)]


class FlatReport(Struct, omit_defaults=True):
    """The Data Monitoring Tool's agent payload (POST /report): flat, sizes in MB and GB."""

    # the Data Monitoring Tool also sends the key here; the header is what counts
    host_key: HostText | None = None
    collected_at: Annotated[str, Meta(max_length=64)] | float | None = None
    int_ip: Annotated[str, Meta(max_length=64)] = ""
    kernel_name: Annotated[str, Meta(max_length=64)] = ""
    kernel_version: Annotated[str, Meta(max_length=128)] = ""
    cpu_pct: Percent | None = None
    mem_used_mb: NonNegative | None = None
    mem_total_mb: NonNegative | None = None
    mem_pct: Percent | None = None
    disk_used_gb: NonNegative | None = None
    disk_total_gb: NonNegative | None = None
    disk_pct: Percent | None = None


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
_FLAT_HOST_FIELDS = (("int_ip", "ip"), ("kernel_name", "os"), ("kernel_version", "kernel"))
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


def flat_report(
    payload: FlatReport, agent: AgentIdentity, window: TimeWindow, now: float
) -> Report:
    metrics = {
        name: value * factor
        for field, name, factor in _FLAT_FIELDS
        if (value := getattr(payload, field)) is not None
    }
    if not metrics:
        fields = ", ".join(field for field, _, _ in _FLAT_FIELDS)
        raise Unprocessable(f"the report carries no metric: send at least one of {fields}")
    return Report(
        id=new_report_id(),
        org_id=agent.org_id,
        target_type="agent",
        target_id=agent.agent_id,
        source="report",
        ts=window.resolve(payload.collected_at, now, "$.collected_at"),
        metrics=metrics,
        host_info=_flat_host_info(payload),
    )


def _flat_host_info(payload: FlatReport) -> dict[str, Any] | None:
    info = {}
    for field, key in _FLAT_HOST_FIELDS:
        if value := getattr(payload, field):
            _check_text(value, field)
            info[key] = value
    return info or None


def metrics_message_report(
    message: MetricsMessage, agent: AgentIdentity, window: TimeWindow, now: float
) -> Report:
    labels = {}
    if message.device_id:
        labels["device"] = _check_text(message.device_id, "device_id")
    if message.source:
        labels["origin"] = _check_text(message.source, "source")
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


def _check_text(value: str, field: str) -> str:
    """What becomes a label or host info must be storable (core.reports.text_problem)."""
    problem = text_problem(value)
    if problem is not None:
        raise Unprocessable(f"$.{field} {problem}")
    return value
