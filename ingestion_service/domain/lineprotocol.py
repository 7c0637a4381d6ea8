"""InfluxDB line protocol → Reports, so Telegraf and influxdb-client can push custom metrics.

    measurement[,tag=value...] field=value[,field=value...] [timestamp]

Escaping follows InfluxDB: `\\,` and `\\ ` in measurements; `\\,`, `\\=` and `\\ ` in tag
keys, tag values and field keys; `\\"` and `\\\\` inside string field values. String fields
are not numbers and are skipped; `i`/`u` integers and booleans (1/0) are kept. Every field
becomes a Sample named `<measurement>_<field>` (just `<measurement>` for a field called
`value`), as VictoriaMetrics names line-protocol data; names and label keys are sanitised
to what PromQL accepts, so no crafted name can change the meaning of a query.

Sizes are bounded (core/bounds.py): lines per write (413), fields and tags per line, name
and tag lengths, and tag values the history store cannot keep (422), each error naming its
line and the limit.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator

from core import bounds
from core.agent_auth import AgentIdentity
from core.reports import LABEL_NAME_RE, RESERVED_LABELS, Report, Sample, text_problem
from ingestion_service.domain.normalize import new_report_id

# Nanoseconds per unit, for both the v2 (`ns`, `us`) and v1 (`n`, `u`) spellings.
PRECISIONS = {"ns": 1, "n": 1, "us": 1_000, "u": 1_000, "ms": 1_000_000, "s": 1_000_000_000}
MAX_NAME_LENGTH = 200

_MEASUREMENT = r"(?:[^ ,\\]|\\.)+"
_KEY = r"(?:[^ ,=\\]|\\.)+"
_VALUE = r'"(?:[^"\\]|\\.)*"|[^ ,"]+'
_LINE = re.compile(
    rf"(?P<measurement>{_MEASUREMENT})(?P<tags>(?:,{_KEY}={_KEY})*)"
    rf" +(?P<fields>{_KEY}=(?:{_VALUE})(?:,{_KEY}=(?:{_VALUE}))*)"
    r"(?: +(?P<ts>-?\d+))? *"
)
_TAG = re.compile(rf",({_KEY})=({_KEY})")
_FIELD = re.compile(rf"({_KEY})=({_VALUE})(?:,|$)")
_UNESCAPE = re.compile(r'\\([,= "\\])')
_INVALID_NAME_CHARS = re.compile(r"[^a-zA-Z0-9_]")
_INTEGER = re.compile(r"-?\d+[iu]")
_FLOAT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
# InfluxDB's integers and timestamps are 64-bit; longer digit strings are not even parsed.
_INT64 = 2**63
_MAX_DIGITS = 20
_TRUE = frozenset({"t", "T", "true", "True", "TRUE"})
_FALSE = frozenset({"f", "F", "false", "False", "FALSE"})


class LineProtocolError(ValueError):
    """A line that does not parse (400), or a write over a limit (413 for the number of
    lines, 422 for a line's contents); the message starts with the line number."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class _OverLimit(ValueError):
    """A line that parses but carries more, or other, than can be stored."""


def parse(text: str, precision: str, now_ns: int) -> Iterator[tuple[int, int, list[Sample]]]:
    """(line number, timestamp in ns, samples) for every line that carries a number."""
    unit = PRECISIONS[precision]
    lines = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        lines += 1
        if lines > bounds.MAX_LINES:
            raise LineProtocolError(
                f"line {number}: too many lines: the limit is {bounds.MAX_LINES} per write", 413
            )
        match = _LINE.fullmatch(line)
        if match is None:
            raise LineProtocolError(f"line {number}: not line protocol: {line[:80]!r}")
        try:
            samples = _samples(match)
            ts_ns = _timestamp(match["ts"], unit) if match["ts"] else now_ns
        except _OverLimit as exc:
            raise LineProtocolError(f"line {number}: {exc}", 422) from None
        except ValueError as exc:
            raise LineProtocolError(f"line {number}: {exc}") from None
        if samples:
            yield number, ts_ns, samples


def _timestamp(raw: str, unit: int) -> int:
    if len(raw.lstrip("-")) > _MAX_DIGITS or not -_INT64 <= (ts := int(raw) * unit) < _INT64:
        raise ValueError(f"timestamp {raw[:40]} is out of range (64-bit nanoseconds)")
    return ts


def _samples(match: re.Match[str]) -> list[Sample]:
    measurement = _unescape(match["measurement"])
    labels = _labels(match["tags"])
    fields = _FIELD.findall(match["fields"])
    if len(fields) > bounds.MAX_FIELDS_PER_LINE:
        raise _OverLimit(
            f"{len(fields)} fields: the limit is {bounds.MAX_FIELDS_PER_LINE} per line"
        )
    samples = []
    for key, raw in fields:
        value = _number(raw)
        if value is None:
            continue  # a string field: not a metric
        field = _unescape(key)
        name = measurement if field == "value" else f"{measurement}_{field}"
        name = _within(_safe_name(name), MAX_NAME_LENGTH, "metric name")
        samples.append(Sample(name, value, labels))
    return samples


def _labels(tags: str) -> dict[str, str]:
    found = _TAG.findall(tags)
    if len(found) > bounds.MAX_LABELS:
        raise _OverLimit(f"{len(found)} tags: the limit is {bounds.MAX_LABELS} per line")
    labels = {}
    for raw_key, raw_value in found:
        key = _safe_name(_unescape(raw_key))
        if key in RESERVED_LABELS or key.startswith("__"):
            # The platform's own labels (org_id, agent_id...) and PromQL's reserved __ names
            # are not the sender's: kept under another name rather than dropped.
            key = f"tag_{key}"
        _within(key, bounds.MAX_LABEL_KEY_LENGTH, "tag key")
        value = _unescape(raw_value)
        problem = text_problem(value)
        if problem is not None:
            raise _OverLimit(f"the value of tag {key} {problem}")
        labels[key] = value
    return labels


def _safe_name(name: str) -> str:
    return sanitise_name(name, len(name) + 1)  # +1: a leading digit gains a "_"


def _within(name: str, max_length: int, what: str) -> str:
    """Refused, not cut, when too long: two names cut alike would become one series."""
    if len(name) > max_length:
        raise _OverLimit(f"{what} {name[:40]!r}... is longer than {max_length} characters")
    return name


def _number(raw: str) -> float | None:
    if raw.startswith('"'):
        return None
    if raw in _TRUE:
        return 1.0
    if raw in _FALSE:
        return 0.0
    if _INTEGER.fullmatch(raw):
        return _integer(raw)
    if not _FLOAT.fullmatch(raw):  # also refuses NaN and Infinity, which float() would take
        raise ValueError(f"field value {raw[:40]!r} is not a number")
    value = float(raw)
    if not math.isfinite(value):  # 1e999
        raise ValueError(f"field value {raw[:40]!r} is not a finite number")
    return value


def _integer(raw: str) -> float:
    """`12i` (signed) or `12u` (unsigned), 64-bit as in InfluxDB."""
    digits, unsigned = raw[:-1], raw.endswith("u")
    if unsigned and digits.startswith("-"):
        raise ValueError(f"unsigned field value {raw[:40]} is negative")
    low, high = (0, 2 * _INT64) if unsigned else (-_INT64, _INT64)
    if len(digits.lstrip("-")) > _MAX_DIGITS or not low <= int(digits) < high:
        raise ValueError(f"integer field value {raw[:40]} is out of the 64-bit range")
    return float(digits)


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(r"\1", text) if "\\" in text else text


def sanitise_name(name: str, max_length: int) -> str:
    """What PromQL accepts: [a-zA-Z_][a-zA-Z0-9_]*; anything else becomes `_`."""
    if LABEL_NAME_RE.match(name) and len(name) <= max_length:
        return name
    name = _INVALID_NAME_CHARS.sub("_", name)
    if not name or name[0].isdigit():
        name = f"_{name}"
    return name[:max_length]


def to_reports(
    points: Iterator[tuple[int, int, list[Sample]]], agent: AgentIdentity
) -> list[tuple[int, Report]]:
    """One Report per timestamp (or several, of at most bounds.MAX_SAMPLES_PER_REPORT samples
    each), oldest first, with the first line number of each timestamp."""
    groups: dict[int, list[Sample]] = defaultdict(list)
    first_line: dict[int, int] = {}
    for number, ts_ns, samples in points:
        groups[ts_ns].extend(samples)
        first_line.setdefault(ts_ns, number)
    size = bounds.MAX_SAMPLES_PER_REPORT
    return [
        (
            first_line[ts_ns],
            Report(
                id=new_report_id(),
                org_id=agent.org_id,
                target_type="agent",
                target_id=agent.agent_id,
                source="influx",
                ts=ts_ns / 1e9,
                metrics={},
                series=samples[start : start + size],
            ),
        )
        for ts_ns, samples in sorted(groups.items())
        for start in range(0, len(samples), size)
    ]
