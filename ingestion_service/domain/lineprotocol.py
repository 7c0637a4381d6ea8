"""InfluxDB line protocol → Reports, so Telegraf and influxdb-client can push custom metrics.

    measurement[,tag=value...] field=value[,field=value...] [timestamp]

Escaping follows InfluxDB: `\\,` and `\\ ` in measurements; `\\,`, `\\=` and `\\ ` in tag
keys, tag values and field keys; `\\"` and `\\\\` inside string field values. String fields
are not numbers and are skipped; `i`/`u` integers and booleans (1/0) are kept. Every field
becomes a Sample named `<measurement>_<field>` (just `<measurement>` for a field called
`value`), as VictoriaMetrics names line-protocol data; names and label keys are sanitised
to what PromQL accepts, so no crafted name can change the meaning of a query.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator

from core.agent_auth import AgentIdentity
from core.inputs import NUL_REFUSED
from core.reports import LABEL_NAME_RE, MAX_LABEL_VALUE_LENGTH, RESERVED_LABELS, Report, Sample
from ingestion_service.domain.normalize import new_report_id

# Nanoseconds per unit, for both the v2 (`ns`, `us`) and v1 (`n`, `u`) spellings.
PRECISIONS = {"ns": 1, "n": 1, "us": 1_000, "u": 1_000, "ms": 1_000_000, "s": 1_000_000_000}
MAX_NAME_LENGTH = 200
MAX_LABEL_KEY_LENGTH = 64

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
    """A line that does not parse; the message starts with its line number."""


def parse(text: str, precision: str, now_ns: int) -> Iterator[tuple[int, int, list[Sample]]]:
    """(line number, timestamp in ns, samples) for every line that carries a number."""
    unit = PRECISIONS[precision]
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            raise LineProtocolError(f"line {number}: not line protocol: {line[:80]!r}")
        try:
            if "\x00" in line:
                raise ValueError(NUL_REFUSED)
            samples = _samples(match)
            ts_ns = _timestamp(match["ts"], unit) if match["ts"] else now_ns
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
    samples = []
    for key, raw in _FIELD.findall(match["fields"]):
        value = _number(raw)
        if value is None:
            continue  # a string field: not a metric
        field = _unescape(key)
        name = measurement if field == "value" else f"{measurement}_{field}"
        samples.append(Sample(sanitise_name(name, MAX_NAME_LENGTH), value, labels))
    return samples


def _labels(tags: str) -> dict[str, str]:
    labels = {}
    for raw_key, raw_value in _TAG.findall(tags):
        key = sanitise_name(_unescape(raw_key), MAX_LABEL_KEY_LENGTH)
        if key in RESERVED_LABELS:
            key = f"tag_{key}"  # the platform's own labels (org_id, agent_id...) are not theirs
        value = _unescape(raw_value)
        if len(value) > MAX_LABEL_VALUE_LENGTH:
            raise ValueError(f"tag {key} is longer than {MAX_LABEL_VALUE_LENGTH} characters")
        labels[key] = value
    return labels


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
    """One Report per timestamp, oldest first, with the first line number of each."""
    groups: dict[int, list[Sample]] = defaultdict(list)
    first_line: dict[int, int] = {}
    for number, ts_ns, samples in points:
        groups[ts_ns].extend(samples)
        first_line.setdefault(ts_ns, number)
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
                series=samples,
            ),
        )
        for ts_ns, samples in sorted(groups.items())
    ]
