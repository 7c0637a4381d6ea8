"""The wire format of POST /ingest: StatusMonitor v1's metrics payload, extended by our agent.

StatusMonitor v1's payload is a valid AgentPayload in both of its shapes: the one its README
documents (cpu/memory/disk `percent`, one disk) and the one its agents really send
(`usage_percent`, `used_percent`, per-partition `disk.partitions`, `disk.io` counters, network
errors and drops, core counts); our agent adds the optional sections below. Unknown fields are
ignored, so older and newer agents keep working. msgspec validates types, ranges and sizes
(core/bounds.py) while decoding, which keeps the ingestion hot path cheap; error paths look
like `$.cpu.percent`, and a list over its limit is answered like `Expected `array` of length
<= 1024 - at `$.cpu.per_core_usage``.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta, Struct

from core import bounds

Percent = Annotated[float, Meta(ge=0, le=100)]
NonNegative = Annotated[float, Meta(ge=0)]
Counter = Annotated[float, Meta(ge=0)]  # byte and packet counters can exceed 2**63 in JSON
Name = Annotated[str, Meta(max_length=bounds.MAX_NAME_LENGTH)]  # an interface or a sensor
HostText = Annotated[str, Meta(max_length=bounds.MAX_HOST_TEXT_LENGTH)]
# Bounded: host info is written to PostgreSQL through orjson, which cannot encode past 64 bits.
Count = Annotated[int, Meta(ge=0, le=2**31 - 1)]


class CpuFreq(Struct, omit_defaults=True):
    current: NonNegative | None = None  # MHz
    min: NonNegative | None = None
    max: NonNegative | None = None


def _either(value: float | None, alternative: float | None, name: str, other: str) -> float:
    """A field StatusMonitor v1's agents send under another name: one of the two is required."""
    if value is not None:
        return value
    if alternative is None:
        # Raised while decoding, so msgspec answers it like its own errors, with the path.
        raise ValueError(f"Object missing required field `{name}` (or `{other}`)")
    return alternative


class CpuStats(Struct, omit_defaults=True):
    """`percent` is required: StatusMonitor v1's agents send it as `usage_percent`."""

    percent: Percent | None = None
    per_core_usage: Annotated[list[Percent], Meta(max_length=bounds.MAX_CORES)] = []
    freq: CpuFreq | None = None
    # MHz, where the OS reports it
    per_core_freq: Annotated[list[NonNegative], Meta(max_length=bounds.MAX_CORES)] = []
    # 1, 5 and 15 minutes
    load_avg: Annotated[list[NonNegative], Meta(max_length=bounds.MAX_LOAD_AVERAGES)] = []
    # StatusMonitor v1's agents: `percent` as they name it, the GUI agent's current frequency
    # once more, and its core counts (physical, logical).
    usage_percent: Percent | None = None
    frequency_mhz: NonNegative | None = None
    count: Count | None = None
    count_logical: Count | None = None

    def __post_init__(self) -> None:
        self.percent = _either(self.percent, self.usage_percent, "percent", "usage_percent")


class MemoryStats(Struct, omit_defaults=True):
    """`percent` is required: StatusMonitor v1's agents send it as `used_percent`."""

    percent: Percent | None = None
    used: Counter | None = None  # bytes
    total: Counter | None = None
    available: Counter | None = None
    used_percent: Percent | None = None  # StatusMonitor v1's agents' name for `percent`

    def __post_init__(self) -> None:
        self.percent = _either(self.percent, self.used_percent, "percent", "used_percent")


class SwapStats(Struct, omit_defaults=True):
    percent: Percent
    used: Counter | None = None
    total: Counter | None = None


class Partition(Struct, omit_defaults=True):
    mountpoint: Annotated[str, Meta(min_length=1, max_length=bounds.MAX_PATH_LENGTH)]
    percent: Percent
    device: Annotated[str, Meta(max_length=bounds.MAX_PATH_LENGTH)] = ""
    fstype: Annotated[str, Meta(max_length=bounds.MAX_FSTYPE_LENGTH)] = ""
    used: Counter | None = None
    total: Counter | None = None
    free: Counter | None = None


class DiskCounters(Struct, omit_defaults=True):
    """StatusMonitor v1's agents' `disk.io`: psutil's disk I/O counters since boot, as the OS
    has them (Linux adds the merged counts and busy time); times in milliseconds."""

    read_count: Counter | None = None
    write_count: Counter | None = None
    read_bytes: Counter | None = None
    write_bytes: Counter | None = None
    read_time: Counter | None = None
    write_time: Counter | None = None
    read_merged_count: Counter | None = None
    write_merged_count: Counter | None = None
    busy_time: Counter | None = None


class DiskStats(Struct, omit_defaults=True):
    """StatusMonitor v1's disk: as documented, one disk (our agent sends the root filesystem
    here); as its agents really send it, every partition and the I/O counters."""

    percent: Percent | None = None
    used: Counter | None = None
    total: Counter | None = None
    free: Counter | None = None
    partitions: Annotated[list[Partition], Meta(max_length=bounds.MAX_PARTITIONS)] = []
    io: DiskCounters | None = None


class DiskIO(Struct, omit_defaults=True):
    read_bytes_per_s: NonNegative
    write_bytes_per_s: NonNegative
    read_bytes: Counter | None = None  # counters since boot
    write_bytes: Counter | None = None


class Interface(Struct, omit_defaults=True):
    bytes_sent: Counter = 0
    bytes_recv: Counter = 0
    packets_sent: Counter = 0
    packets_recv: Counter = 0
    errin: Counter = 0
    errout: Counter = 0
    dropin: Counter = 0
    dropout: Counter = 0
    sent_bytes_per_s: NonNegative | None = None
    recv_bytes_per_s: NonNegative | None = None


class NetworkStats(Struct, omit_defaults=True):
    bytes_sent: Counter = 0  # totals over all interfaces, since boot (StatusMonitor v1)
    bytes_recv: Counter = 0
    packets_sent: Counter = 0
    packets_recv: Counter = 0
    # totals over all interfaces, since boot (StatusMonitor v1's agents)
    errin: Counter | None = None
    errout: Counter | None = None
    dropin: Counter | None = None
    dropout: Counter | None = None
    sent_bytes_per_s: NonNegative | None = None
    recv_bytes_per_s: NonNegative | None = None
    interfaces: Annotated[dict[Name, Interface], Meta(max_length=bounds.MAX_INTERFACES)] = {}


class HostInfo(Struct, omit_defaults=True):
    hostname: HostText = ""
    os: HostText = ""  # e.g. "Linux"
    os_version: HostText = ""  # e.g. "Debian GNU/Linux 12 (bookworm)"
    kernel: HostText = ""
    ip: HostText = ""  # the internal address
    cpu_model: HostText = ""
    cpu_cores: Count = 0  # physical
    cpu_threads: Count = 0  # logical
    memory_total: Counter = 0
    boot_time: float = 0
    agent_version: HostText = ""


class AgentPayload(Struct, omit_defaults=True):
    cpu: CpuStats
    memory: MemoryStats
    disk: DiskStats | None = None
    network: NetworkStats | None = None
    swap: SwapStats | None = None
    partitions: Annotated[list[Partition], Meta(max_length=bounds.MAX_PARTITIONS)] = []
    disk_io: DiskIO | None = None
    # sensor -> Celsius
    temperatures: Annotated[dict[Name, float], Meta(max_length=bounds.MAX_SENSORS)] = {}
    uptime_seconds: NonNegative | None = None
    process_count: Count | None = None
    host_info: HostInfo | None = None  # sent once per start and whenever it changes
    # unix seconds or ISO 8601; absent = time received
    timestamp: float | Annotated[str, Meta(max_length=64)] | None = None
    interval: Annotated[float, Meta(gt=0, le=86400)] | None = None  # seconds between reports
    report_id: Annotated[str, Meta(min_length=1, max_length=64)] | None = None  # stable on replay


class AgentBatch(Struct):
    """POST /ingest/batch: a backlog replayed in order, oldest first."""

    reports: Annotated[list[AgentPayload], Meta(min_length=1, max_length=bounds.MAX_BATCH_REPORTS)]


agent_payload_decoder = msgspec.json.Decoder(AgentPayload)
agent_batch_decoder = msgspec.json.Decoder(AgentBatch)
