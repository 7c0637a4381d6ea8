"""Canonical Reports → InfluxDB line protocol, as VictoriaMetrics ingests it.

Every value becomes a field of the measurement `sm`, so VictoriaMetrics names the series
`sm_<metric>`; the platform labels (organization, target, source) come from the report, which
ingestion built from the authenticated agent, and the sample labels follow. Names are checked
against the Prometheus rules and tags are escaped, so no label can be forged or smuggled in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

from core.logging import get_logger
from core.reports import (
    LABEL_NAME_RE,
    METRIC_NAME_RE,
    RESERVED_LABELS,
    Report,
    Sample,
    text_problem,
)

log = get_logger(__name__)

MEASUREMENT = "sm"
SERIES_PREFIX = f"{MEASUREMENT}_"  # VictoriaMetrics joins measurement and field with "_"

# Line protocol escapes: tag keys, tag values and field keys escape commas, equals signs and
# spaces; VictoriaMetrics also unescapes backslashes, so those are doubled first.
_TAG_ESCAPES = str.maketrans({"\\": "\\\\", ",": "\\,", "=": "\\=", " ": "\\ "})


def escape_tag(text: str) -> str:
    return text.translate(_TAG_ESCAPES)


def report_lines(report: Report) -> list[str]:
    """The report's lines: host-level values on one line, then one line per label set."""
    tags = _platform_tags(report)
    timestamp = round(report.ts * 1000)  # written with precision=ms
    lines = []
    fields = _fields(report.metrics.items(), report)
    if fields:
        lines.append(f"{MEASUREMENT},{tags} {fields} {timestamp}")
    for labels, samples in _by_labels(report.series, report).items():
        fields = _fields(((s.name, s.value) for s in samples), report)
        if fields:
            lines.append(f"{MEASUREMENT},{tags}{labels} {fields} {timestamp}")
    return lines


def _platform_tags(report: Report) -> str:
    tags = {
        "org_id": str(report.org_id),
        "target_type": report.target_type,
        "target_id": str(report.target_id),
    }
    if report.target_type == "agent":
        tags["agent_id"] = str(report.target_id)
    tags["source"] = report.source
    return ",".join(f"{key}={escape_tag(value)}" for key, value in tags.items() if value)


def _fields(values: Iterable[tuple[str, float]], report: Report) -> str:
    parts = []
    for name, value in values:
        if not _valid_name(name):
            _dropped(report, "invalid metric name", name)
        elif not math.isfinite(value):
            _dropped(report, "non-finite value", name)
        else:
            parts.append(f"{name}={float(value)!r}")
    return ",".join(parts)


def _by_labels(series: Iterable[Sample], report: Report) -> dict[str, list[Sample]]:
    """Samples grouped by their escaped tag suffix (",core=0"), so one line carries each group."""
    groups: dict[str, list[Sample]] = {}
    for sample in series:
        try:
            suffix = _tag_suffix(tuple(sample.labels.items()))
        except InvalidLabel as exc:
            _dropped(report, exc.reason, sample.name, label=exc.key)
            continue
        groups.setdefault(suffix, []).append(sample)
    return groups


class InvalidLabel(ValueError):
    def __init__(self, reason: str, key: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.key = key


# Agents send the same names and label sets in every report: validating and escaping each
# distinct one once keeps the worker's line building several times cheaper.
@lru_cache(maxsize=16_384)
def _valid_name(name: str) -> bool:
    return METRIC_NAME_RE.fullmatch(name) is not None


@lru_cache(maxsize=65_536)
def _tag_suffix(labels: tuple[tuple[str, str], ...]) -> str:
    parts = []
    for key, value in sorted(labels):
        if not LABEL_NAME_RE.fullmatch(key) or key in RESERVED_LABELS or key.startswith("__"):
            raise InvalidLabel("invalid label name", key)
        # Ingestion refuses such values (the same rule), so this only guards old entries.
        problem = text_problem(value)
        if problem is not None:
            raise InvalidLabel(f"label value {problem}", key)
        if value:  # an empty value means "no such label" to PromQL, and line protocol refuses it
            parts.append(f",{key}={escape_tag(value)}")
    return "".join(parts)


def _dropped(report: Report, reason: str, metric: str, **context: str) -> None:
    log.warning(
        "sample dropped",
        reason=reason,
        metric=metric[:100],
        report_id=report.id,
        org_id=report.org_id,
        target_id=report.target_id,
        **{k: v[:100] for k, v in context.items()},
    )
