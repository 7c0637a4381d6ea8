"""The canonical Report: what every producer appends to the `reports` stream.

Agent reports, the older tools' payloads, InfluxDB lines and (later) probe results are all
normalised to this one shape by the ingestion service; history, alerting and the live view consume
only this. msgspec keeps encoding and decoding cheap on the hot path.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

# Re-exported: the label rules are read from here.
from core.bounds import MAX_LABEL_VALUE_LENGTH as MAX_LABEL_VALUE_LENGTH

# Prometheus-compatible names and label keys; anything else is refused before it can reach
# line protocol or PromQL, so a crafted name can never change the meaning of a query.
METRIC_NAME_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]{0,199}\Z")  # \Z: no trailing newline
LABEL_NAME_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]{0,63}\Z")
# Control characters (C0 but tab, DEL, C1) in a label value or host text: line protocol cannot
# carry a line break at all, PostgreSQL (alert labels, host info) refuses NUL, and none of the
# others is something a person could read or type in a filter. Everything else, tab included,
# round-trips through VictoriaMetrics (tests/history/test_line_protocol.py).
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")

# Labels the platform sets on every stored series; producers cannot supply them.
RESERVED_LABELS = frozenset(
    {"org_id", "target_type", "target_id", "agent_id", "source", "__name__"}
)


def text_problem(value: str, max_length: int = MAX_LABEL_VALUE_LENGTH) -> str | None:
    """Why a label value (or other text the platform stores) cannot be kept, or None.

    The one rule of ingestion, which refuses such values with a 422, and of the history
    writer, which therefore never has to drop one."""
    if len(value) > max_length:
        return f"is longer than {max_length} characters"
    if value.isprintable():  # the common case, in C: no control character in it
        return None
    control = _CONTROL_CHARACTER.search(value)
    if control is not None:
        return (
            f"contains the control character U+{ord(control.group()):04X}: line breaks, NUL "
            "and other control characters but tab cannot be stored"
        )
    return None


class Sample(msgspec.Struct, frozen=True, array_like=True):
    """One labelled value: a CPU core, a disk partition, a network interface, a custom series."""

    name: str
    value: float
    labels: dict[str, str] = {}


class Report(msgspec.Struct, frozen=True, kw_only=True):
    id: str  # unique per observation: a replayed or repeated report carries the same id
    org_id: int
    target_type: str  # "agent" today; "device" and "monitor" with probes
    target_id: int
    source: str  # which door it came through: "agent", "report", "api_metrics", "influx", ...
    ts: float  # unix seconds, UTC
    metrics: dict[str, float]  # unlabelled values under canonical names (see below)
    series: list[Sample] = []
    host_info: dict[str, Any] | None = None  # present when the agent (re)sent it
    interval: float | None = None  # seconds between reports, for "offline after N missed"


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(Report)


def encode_report(report: Report) -> bytes:
    return _encoder.encode(report)


def decode_report(data: bytes | str) -> Report:
    return _decoder.decode(data)


# Canonical metric names. Host-level values live in Report.metrics; per-item values are
# Samples carrying the label named in the comment.
CPU_PERCENT = "cpu_percent"
CPU_CORE_PERCENT = "cpu_core_percent"  # label core
CPU_FREQ_MHZ = "cpu_freq_mhz"
CPU_FREQ_MIN_MHZ = "cpu_freq_min_mhz"
CPU_FREQ_MAX_MHZ = "cpu_freq_max_mhz"
CPU_CORE_FREQ_MHZ = "cpu_core_freq_mhz"  # label core
LOAD_1 = "load_1"
LOAD_5 = "load_5"
LOAD_15 = "load_15"
MEMORY_PERCENT = "memory_percent"
MEMORY_USED_BYTES = "memory_used_bytes"
MEMORY_TOTAL_BYTES = "memory_total_bytes"
MEMORY_AVAILABLE_BYTES = "memory_available_bytes"
SWAP_PERCENT = "swap_percent"
SWAP_USED_BYTES = "swap_used_bytes"
SWAP_TOTAL_BYTES = "swap_total_bytes"
DISK_PERCENT = "disk_percent"  # StatusMonitor v1's single disk: the root filesystem
DISK_USED_BYTES = "disk_used_bytes"
DISK_TOTAL_BYTES = "disk_total_bytes"
DISK_FREE_BYTES = "disk_free_bytes"
PARTITION_PERCENT = "partition_percent"  # label mountpoint (and device, fstype)
PARTITION_USED_BYTES = "partition_used_bytes"
PARTITION_TOTAL_BYTES = "partition_total_bytes"
PARTITION_FREE_BYTES = "partition_free_bytes"
DISK_READ_BYTES_PER_S = "disk_read_bytes_per_s"
DISK_WRITE_BYTES_PER_S = "disk_write_bytes_per_s"
# Disk I/O counters since boot over all disks, as psutil reports them (StatusMonitor v1's
# `disk.io`); the times are milliseconds spent.
DISK_READ_BYTES = "disk_read_bytes"
DISK_WRITE_BYTES = "disk_write_bytes"
DISK_READ_COUNT = "disk_read_count"
DISK_WRITE_COUNT = "disk_write_count"
DISK_READ_MERGED_COUNT = "disk_read_merged_count"
DISK_WRITE_MERGED_COUNT = "disk_write_merged_count"
DISK_READ_TIME_MS = "disk_read_time_ms"
DISK_WRITE_TIME_MS = "disk_write_time_ms"
DISK_BUSY_TIME_MS = "disk_busy_time_ms"
NET_BYTES_SENT = "net_bytes_sent"  # counters since boot, as psutil reports them
NET_BYTES_RECV = "net_bytes_recv"
NET_PACKETS_SENT = "net_packets_sent"
NET_PACKETS_RECV = "net_packets_recv"
NET_ERRORS_IN = "net_errors_in"  # totals over all interfaces, counters since boot
NET_ERRORS_OUT = "net_errors_out"
NET_DROPS_IN = "net_drops_in"
NET_DROPS_OUT = "net_drops_out"
NET_SENT_BYTES_PER_S = "net_sent_bytes_per_s"
NET_RECV_BYTES_PER_S = "net_recv_bytes_per_s"
NET_IF_SENT_BYTES_PER_S = "net_if_sent_bytes_per_s"  # label interface
NET_IF_RECV_BYTES_PER_S = "net_if_recv_bytes_per_s"  # label interface
NET_IF_BYTES_SENT = "net_if_bytes_sent"  # label interface
NET_IF_BYTES_RECV = "net_if_bytes_recv"  # label interface
NET_IF_PACKETS_SENT = "net_if_packets_sent"  # label interface
NET_IF_PACKETS_RECV = "net_if_packets_recv"  # label interface
NET_IF_ERRORS_IN = "net_if_errors_in"  # label interface
NET_IF_ERRORS_OUT = "net_if_errors_out"  # label interface
NET_IF_DROPS_IN = "net_if_drops_in"  # label interface
NET_IF_DROPS_OUT = "net_if_drops_out"  # label interface
TEMPERATURE_CELSIUS = "temperature_celsius"  # label sensor
UPTIME_SECONDS = "uptime_seconds"
PROCESS_COUNT = "process_count"
# The Data Monitoring Tool's data-pipeline fields; labels dataset and partition when sent.
DATASET_FILES_COUNT = "dataset_files_count"
DATASET_SIZE_BYTES = "dataset_size_bytes"
DATASET_MIN_EVENT_TS = "dataset_min_event_ts_seconds"  # unix seconds
DATASET_MAX_EVENT_TS = "dataset_max_event_ts_seconds"

PERCENT_METRICS = frozenset(
    {CPU_PERCENT, CPU_CORE_PERCENT, MEMORY_PERCENT, SWAP_PERCENT, DISK_PERCENT, PARTITION_PERCENT}
)

# Uptime monitors (probe_service): every check is a Report with target type "monitor".
TARGET_MONITOR = "monitor"
MONITOR_UP = "monitor_up"  # 1 when up or degraded, else 0
MONITOR_DOWN = "monitor_down"  # 1 when down (after its retries); unreachable is not down
MONITOR_DEGRADED = "monitor_degraded"  # 1 when up but slower than its threshold
MONITOR_UNREACHABLE = "monitor_unreachable"  # 1 while its parent is down
RESPONSE_TIME_MS = "response_time_ms"
CERT_DAYS_LEFT = "cert_days_left"  # https and tls monitors
HTTP_STATUS_CODE = "http_status_code"
PING_PACKET_LOSS_PERCENT = "ping_packet_loss_percent"
PING_RTT_MIN_MS = "ping_rtt_min_ms"
PING_RTT_AVG_MS = "ping_rtt_avg_ms"
PING_RTT_MAX_MS = "ping_rtt_max_ms"
PUSH_RUN_SECONDS = "push_run_seconds"  # a push monitor's run, from /start to success
MONITOR_METRICS = frozenset(
    {
        MONITOR_UP,
        MONITOR_DOWN,
        MONITOR_DEGRADED,
        MONITOR_UNREACHABLE,
        RESPONSE_TIME_MS,
        CERT_DAYS_LEFT,
        HTTP_STATUS_CODE,
        PING_PACKET_LOSS_PERCENT,
        PING_RTT_MIN_MS,
        PING_RTT_AVG_MS,
        PING_RTT_MAX_MS,
        PUSH_RUN_SECONDS,
    }
)
