"""The wire format of POST /ingest: seed 001's metrics payload, extended by our agent.

Seed 001's payload (cpu, memory, disk, network) is a valid AgentPayload as it stands;
our agent adds the optional sections below. Unknown fields are ignored, so older and newer
agents keep working. msgspec validates types and ranges while decoding, which keeps the
ingestion hot path cheap; error paths look like `$.cpu.percent`.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta, Struct

Percent = Annotated[float, Meta(ge=0, le=100)]
NonNegative = Annotated[float, Meta(ge=0)]
Counter = Annotated[float, Meta(ge=0)]  # byte and packet counters can exceed 2**63 in JSON
# Bounded: host info is written to PostgreSQL through orjson, which cannot encode past 64 bits.
Count = Annotated[int, Meta(ge=0, le=2**31 - 1)]


class CpuFreq(Struct, omit_defaults=True):
    current: NonNegative | None = None  # MHz
    min: NonNegative | None = None
    max: NonNegative | None = None


class CpuStats(Struct, omit_defaults=True):
    percent: Percent
    per_core_usage: list[Percent] = []
    freq: CpuFreq | None = None
    per_core_freq: list[NonNegative] = []  # MHz, where the OS reports it
    load_avg: list[NonNegative] = []  # 1, 5 and 15 minutes


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
    """Seed 001's single disk; our agent sends the root filesystem here."""

    percent: Percent
    used: Counter | None = None
    total: Counter | None = None
    free: Counter | None = None


class Partition(Struct, omit_defaults=True):
    mountpoint: Annotated[str, Meta(min_length=1, max_length=256)]
    percent: Percent
    device: Annotated[str, Meta(max_length=256)] = ""
    fstype: Annotated[str, Meta(max_length=64)] = ""
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
    bytes_sent: Counter = 0  # totals over all interfaces, since boot (seed 001)
    bytes_recv: Counter = 0
    packets_sent: Counter = 0
    packets_recv: Counter = 0
    sent_bytes_per_s: NonNegative | None = None
    recv_bytes_per_s: NonNegative | None = None
    interfaces: dict[Annotated[str, Meta(max_length=64)], Interface] = {}


class HostInfo(Struct, omit_defaults=True):
    hostname: str = ""
    os: str = ""  # e.g. "Linux"
    os_version: str = ""  # e.g. "Debian GNU/Linux 12 (bookworm)"
    kernel: str = ""
    ip: str = ""  # the internal address
    cpu_model: str = ""
    cpu_cores: Count = 0  # physical
    cpu_threads: Count = 0  # logical
    memory_total: Counter = 0
    boot_time: float = 0
    agent_version: str = ""


class AgentPayload(Struct, omit_defaults=True):
    cpu: CpuStats
    memory: MemoryStats
    disk: DiskStats | None = None
    network: NetworkStats | None = None
    swap: SwapStats | None = None
    partitions: list[Partition] = []
    disk_io: DiskIO | None = None
    temperatures: dict[Annotated[str, Meta(max_length=64)], float] = {}  # sensor -> Celsius
    uptime_seconds: NonNegative | None = None
    process_count: Count | None = None
    host_info: HostInfo | None = None  # sent once per start and whenever it changes
    timestamp: float | str | None = None  # unix seconds or ISO 8601; absent = time received
    interval: Annotated[float, Meta(gt=0, le=86400)] | None = None  # seconds between reports
    report_id: Annotated[str, Meta(min_length=1, max_length=64)] | None = None  # stable on replay


class AgentBatch(Struct):
    """POST /ingest/batch: a backlog replayed in order, oldest first."""

    reports: Annotated[list[AgentPayload], Meta(min_length=1, max_length=1000)]


agent_payload_decoder = msgspec.json.Decoder(AgentPayload)
agent_batch_decoder = msgspec.json.Decoder(AgentBatch)
