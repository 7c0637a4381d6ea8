"""The wire format of POST /ingest: StatusMonitor v1's metrics payload, extended by our agent.

StatusMonitor v1's payload (cpu, memory, disk, network) is a valid AgentPayload as it stands;
our agent adds the optional sections below. Unknown fields are ignored, so older and newer
agents keep working. msgspec validates types, ranges and sizes (core/bounds.py) while
decoding, which keeps the ingestion hot path cheap; error paths look like `$.cpu.percent`,
and a list over its limit is answered like `Expected `array` of length <= 1024 - at
`$.cpu.per_core_usage``.
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


class CpuStats(Struct, omit_defaults=True):
    percent: Percent
    per_core_usage: Annotated[list[Percent], Meta(max_length=bounds.MAX_CORES)] = []
    freq: CpuFreq | None = None
    # MHz, where the OS reports it
    per_core_freq: Annotated[list[NonNegative], Meta(max_length=bounds.MAX_CORES)] = []
    # 1, 5 and 15 minutes
    load_avg: Annotated[list[NonNegative], Meta(max_length=bounds.MAX_LOAD_AVERAGES)] = []


class MemoryStats(Struct, omit_defaults=True):
    percent: Percent
    used: Counter | None = None  # bytes
    total: Counter | None = None
    available: Counter | None = None


class SwapStats(Struct, omit_defaults=True):
    percent: Percent
    used: Counter | None = None
    total: Counter | None = None


class DiskStats(Struct, omit_defaults=True):
    """StatusMonitor v1's single disk; our agent sends the root filesystem here."""

    percent: Percent
    used: Counter | None = None
    total: Counter | None = None
    free: Counter | None = None


class Partition(Struct, omit_defaults=True):
    mountpoint: Annotated[str, Meta(min_length=1, max_length=bounds.MAX_PATH_LENGTH)]
    percent: Percent
    device: Annotated[str, Meta(max_length=bounds.MAX_PATH_LENGTH)] = ""
    fstype: Annotated[str, Meta(max_length=bounds.MAX_FSTYPE_LENGTH)] = ""
    used: Counter | None = None
    total: Counter | None = None
    free: Counter | None = None


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
