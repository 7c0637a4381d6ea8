"""Our agent's payload (StatusMonitor v1's, extended) → the canonical core.reports.Report.

Names that become label values (mountpoints, interfaces, sensors) and the host's texts are
checked against core.reports.text_problem here, so what the history writer and PostgreSQL
cannot keep is refused with a 422 naming the field instead of being accepted and dropped.
"""

from __future__ import annotations

import os
from typing import Any

import msgspec

from core import reports as m
from core.agent_auth import AgentIdentity
from core.errors import Unprocessable
from core.reports import Report, Sample, text_problem
from core.schemas.agent_payload import (
    AgentPayload,
    CpuStats,
    DiskStats,
    Interface,
    NetworkStats,
    Partition,
)
from ingestion_service.domain.timestamps import TimeWindow

# Interface counters and rates: payload attribute → canonical per-interface metric.
_INTERFACE_FIELDS = (
    ("bytes_sent", m.NET_IF_BYTES_SENT),
    ("bytes_recv", m.NET_IF_BYTES_RECV),
    ("packets_sent", m.NET_IF_PACKETS_SENT),
    ("packets_recv", m.NET_IF_PACKETS_RECV),
    ("errin", m.NET_IF_ERRORS_IN),
    ("errout", m.NET_IF_ERRORS_OUT),
    ("dropin", m.NET_IF_DROPS_IN),
    ("dropout", m.NET_IF_DROPS_OUT),
    ("sent_bytes_per_s", m.NET_IF_SENT_BYTES_PER_S),
    ("recv_bytes_per_s", m.NET_IF_RECV_BYTES_PER_S),
)
_LOAD_NAMES = (m.LOAD_1, m.LOAD_5, m.LOAD_15)
# StatusMonitor v1's agents' `disk.io` (psutil's counters) → canonical metric.
_DISK_COUNTERS = (
    ("read_bytes", m.DISK_READ_BYTES),
    ("write_bytes", m.DISK_WRITE_BYTES),
    ("read_count", m.DISK_READ_COUNT),
    ("write_count", m.DISK_WRITE_COUNT),
    ("read_merged_count", m.DISK_READ_MERGED_COUNT),
    ("write_merged_count", m.DISK_WRITE_MERGED_COUNT),
    ("read_time", m.DISK_READ_TIME_MS),
    ("write_time", m.DISK_WRITE_TIME_MS),
    ("busy_time", m.DISK_BUSY_TIME_MS),
)
# Network totals that only StatusMonitor v1's agents send.
_NETWORK_ERRORS = (
    ("errin", m.NET_ERRORS_IN),
    ("errout", m.NET_ERRORS_OUT),
    ("dropin", m.NET_DROPS_IN),
    ("dropout", m.NET_DROPS_OUT),
)


def new_report_id() -> str:
    """128 random bits as 32 hex digits, like uuid4().hex at a fraction of its cost."""
    return os.urandom(16).hex()


def agent_report(
    payload: AgentPayload,
    agent: AgentIdentity,
    window: TimeWindow,
    now: float,
    path: str = "$",
) -> Report:
    """`path` names the payload inside a batch (`$.reports[3]`) in errors."""
    metrics: dict[str, float] = {}
    series: list[Sample] = []
    _cpu(payload.cpu, metrics, series)
    _put(metrics, m.MEMORY_PERCENT, payload.memory.percent)
    _put(metrics, m.MEMORY_USED_BYTES, payload.memory.used)
    _put(metrics, m.MEMORY_TOTAL_BYTES, payload.memory.total)
    _put(metrics, m.MEMORY_AVAILABLE_BYTES, payload.memory.available)
    if payload.swap is not None:
        _put(metrics, m.SWAP_PERCENT, payload.swap.percent)
        _put(metrics, m.SWAP_USED_BYTES, payload.swap.used)
        _put(metrics, m.SWAP_TOTAL_BYTES, payload.swap.total)
    if payload.disk is not None:
        _disk(payload.disk, metrics, series, path)
    if payload.disk_io is not None:
        metrics[m.DISK_READ_BYTES_PER_S] = payload.disk_io.read_bytes_per_s
        metrics[m.DISK_WRITE_BYTES_PER_S] = payload.disk_io.write_bytes_per_s
        _put(metrics, m.DISK_READ_BYTES, payload.disk_io.read_bytes)
        _put(metrics, m.DISK_WRITE_BYTES, payload.disk_io.write_bytes)
    for index, partition in enumerate(payload.partitions):
        _partition(partition, series, f"{path}.partitions[{index}]")
    if payload.network is not None:
        _network(payload.network, metrics, series, path)
    for sensor, celsius in payload.temperatures.items():
        if (problem := text_problem(sensor)) is not None:
            raise _unstorable(f"{path}.temperatures key {sensor[:40]!r}", problem)
        series.append(Sample(m.TEMPERATURE_CELSIUS, celsius, {"sensor": sensor}))
    _put(metrics, m.UPTIME_SECONDS, payload.uptime_seconds)
    _put(metrics, m.PROCESS_COUNT, payload.process_count)
    return Report(
        id=payload.report_id or new_report_id(),
        org_id=agent.org_id,
        target_type="agent",
        target_id=agent.agent_id,
        source="agent",
        ts=window.resolve(payload.timestamp, now, f"{path}.timestamp"),
        metrics=metrics,
        series=series,
        host_info=_host_info(payload, path),
        interval=payload.interval,
    )


def _disk(disk: DiskStats, metrics: dict[str, float], series: list[Sample], path: str) -> None:
    """As documented: one disk. As StatusMonitor v1's agents send it: partitions, of which the
    root filesystem (or, without one, the first: C:\\ on Windows) is also the host's disk,
    and I/O counters."""
    whole: DiskStats | Partition = disk
    if disk.percent is None and disk.partitions:
        root = [p for p in disk.partitions if p.mountpoint == "/"]
        whole = (root or disk.partitions)[0]
    _put(metrics, m.DISK_PERCENT, whole.percent)
    _put(metrics, m.DISK_USED_BYTES, whole.used)
    _put(metrics, m.DISK_TOTAL_BYTES, whole.total)
    _put(metrics, m.DISK_FREE_BYTES, whole.free)
    for index, partition in enumerate(disk.partitions):
        _partition(partition, series, f"{path}.disk.partitions[{index}]")
    if disk.io is not None:
        for attribute, metric in _DISK_COUNTERS:
            _put(metrics, metric, getattr(disk.io, attribute))


def _unstorable(where: str, problem: str) -> Unprocessable:
    return Unprocessable(f"{where} {problem}")


def _put(metrics: dict[str, float], name: str, value: float | None) -> None:
    if value is not None:
        metrics[name] = value


def _cpu(cpu: CpuStats, metrics: dict[str, float], series: list[Sample]) -> None:
    _put(metrics, m.CPU_PERCENT, cpu.percent)  # always set: see CpuStats.__post_init__
    _put(metrics, m.CPU_FREQ_MHZ, cpu.frequency_mhz)  # StatusMonitor v1's GUI agent: = freq.current
    if cpu.freq is not None:
        _put(metrics, m.CPU_FREQ_MHZ, cpu.freq.current)
        _put(metrics, m.CPU_FREQ_MIN_MHZ, cpu.freq.min)
        _put(metrics, m.CPU_FREQ_MAX_MHZ, cpu.freq.max)
    for name, value in zip(_LOAD_NAMES, cpu.load_avg, strict=False):
        metrics[name] = value
    for core, percent in enumerate(cpu.per_core_usage):
        series.append(Sample(m.CPU_CORE_PERCENT, percent, {"core": str(core)}))
    for core, mhz in enumerate(cpu.per_core_freq):
        series.append(Sample(m.CPU_CORE_FREQ_MHZ, mhz, {"core": str(core)}))


def _partition(partition: Partition, series: list[Sample], path: str) -> None:
    for field in ("mountpoint", "device", "fstype"):
        if (problem := text_problem(getattr(partition, field))) is not None:
            raise _unstorable(f"{path}.{field}", problem)
    labels = {"mountpoint": partition.mountpoint}
    if partition.device:
        labels["device"] = partition.device
    if partition.fstype:
        labels["fstype"] = partition.fstype
    series.append(Sample(m.PARTITION_PERCENT, partition.percent, labels))
    if partition.used is not None:
        series.append(Sample(m.PARTITION_USED_BYTES, partition.used, labels))
    if partition.total is not None:
        series.append(Sample(m.PARTITION_TOTAL_BYTES, partition.total, labels))
    if partition.free is not None:
        series.append(Sample(m.PARTITION_FREE_BYTES, partition.free, labels))


def _network(net: NetworkStats, metrics: dict[str, float], series: list[Sample], path: str) -> None:
    metrics[m.NET_BYTES_SENT] = net.bytes_sent
    metrics[m.NET_BYTES_RECV] = net.bytes_recv
    metrics[m.NET_PACKETS_SENT] = net.packets_sent
    metrics[m.NET_PACKETS_RECV] = net.packets_recv
    _put(metrics, m.NET_SENT_BYTES_PER_S, net.sent_bytes_per_s)
    _put(metrics, m.NET_RECV_BYTES_PER_S, net.recv_bytes_per_s)
    for attribute, metric in _NETWORK_ERRORS:
        _put(metrics, metric, getattr(net, attribute))
    for name, interface in net.interfaces.items():
        if (problem := text_problem(name)) is not None:
            raise _unstorable(f"{path}.network.interfaces key {name[:40]!r}", problem)
        _interface(name, interface, series)


def _interface(name: str, interface: Interface, series: list[Sample]) -> None:
    labels = {"interface": name}
    for attribute, metric in _INTERFACE_FIELDS:
        value = getattr(interface, attribute)
        if value is not None:
            series.append(Sample(metric, value, labels))


def _host_info(payload: AgentPayload, path: str) -> dict[str, Any] | None:
    if payload.host_info is None:
        return _core_counts(payload.cpu)
    info: dict[str, Any] = msgspec.to_builtins(payload.host_info)
    for key, value in info.items():
        if isinstance(value, str) and (problem := text_problem(value)) is not None:
            raise _unstorable(f"{path}.host_info.{key}", problem)
    return info


def _core_counts(cpu: CpuStats) -> dict[str, Any] | None:
    """StatusMonitor v1's GUI agent sends the core counts with every report: host info."""
    counts = {"cpu_cores": cpu.count, "cpu_threads": cpu.count_logical}
    return {key: value for key, value in counts.items() if value is not None} or None
