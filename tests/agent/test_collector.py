"""The collector's reports are valid for the platform's wire schema and describe this host."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any

import msgspec
import psutil
import pytest

from agent_service import collector, partitions
from agent_service.collector import Collector
from core import bounds
from core.agent_auth import AgentIdentity
from core.schemas.agent_payload import AgentPayload, agent_payload_decoder
from ingestion_service.domain.normalize import agent_report
from ingestion_service.domain.timestamps import TimeWindow

SERVER = "http://127.0.0.1:8001"


def two_reports() -> tuple[dict[str, Any], dict[str, Any]]:
    collector = Collector(interval=1, server_url=SERVER)
    first = collector.collect()
    time.sleep(1)
    return first, collector.collect()


def test_reports_decode_with_the_core_wire_schema_and_round_trip() -> None:
    for report in two_reports():
        decoded = agent_payload_decoder.decode(json.dumps(report))
        assert msgspec.json.decode(msgspec.json.encode(decoded), type=AgentPayload) == decoded
        assert decoded.report_id == report["report_id"]


def test_report_values_describe_this_host() -> None:
    first, second = two_reports()
    cpu = second["cpu"]
    percents = [cpu["percent"], *cpu["per_core_usage"], second["memory"]["percent"]]
    percents += [p["percent"] for p in second["partitions"]]
    assert all(0 <= p <= 100 for p in percents)
    assert len(cpu["per_core_usage"]) == psutil.cpu_count()
    rates = [second["disk_io"]["read_bytes_per_s"], second["disk_io"]["write_bytes_per_s"]]
    rates += [second["network"]["sent_bytes_per_s"], second["network"]["recv_bytes_per_s"]]
    for nic in second["network"]["interfaces"].values():
        rates += [nic["sent_bytes_per_s"], nic["recv_bytes_per_s"]]
    assert all(rate >= 0 for rate in rates)
    assert "/" in [p["mountpoint"] for p in second["partitions"]]
    assert second["disk"]["total"] == psutil.disk_usage("/").total
    assert second["timestamp"] > first["timestamp"]
    assert first["report_id"] != second["report_id"]
    assert second["process_count"] > 0 and second["uptime_seconds"] > 0


def test_host_info_comes_with_the_first_report_only_while_unchanged() -> None:
    first, second = two_reports()
    info = first["host_info"]
    assert info["hostname"] == socket.gethostname()
    assert info["cpu_threads"] == psutil.cpu_count()
    assert info["memory_total"] == psutil.virtual_memory().total
    assert info["os"] and info["kernel"] and info["ip"] and info["agent_version"]
    assert "host_info" not in second


def test_host_mount_table_lists_real_filesystems_once(tmp_path: Path) -> None:
    proc = tmp_path / "proc"
    (proc / "1").mkdir(parents=True)
    (proc / "filesystems").write_text("nodev\tsysfs\nnodev\ttmpfs\n\text4\n\tsquashfs\n\tvfat\n")
    (proc / "1" / "mounts").write_text(
        "sysfs /sys sysfs rw 0 0\n"
        "/dev/sda1 / ext4 rw 0 0\n"
        "/dev/sda1 /etc/hostname ext4 rw 0 0\n"  # a bind mount of the same device
        "tmpfs /run tmpfs rw 0 0\n"
        "/dev/loop3 /snap/core/1 squashfs ro 0 0\n"
        "/dev/sdb1 /mnt/usb\\040stick vfat rw 0 0\n"
    )
    mounts = partitions.real_mounts(str(proc))
    assert [(m.device, m.mountpoint) for m in mounts] == [
        ("/dev/sda1", "/"),
        ("/dev/sdb1", "/mnt/usb stick"),
    ]


def test_in_a_container_usage_is_measured_under_the_host_root(tmp_path: Path) -> None:
    proc = tmp_path / "proc"
    (proc / "1").mkdir(parents=True)
    (proc / "filesystems").write_text("\text4\n")
    (proc / "1" / "mounts").write_text("/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /data ext4 rw 0 0\n")
    (tmp_path / "root" / "data").mkdir(parents=True)
    collector = Collector(1, SERVER, host_proc=str(proc), host_root=str(tmp_path / "root"))
    report = collector.collect()
    assert [p["mountpoint"] for p in report["partitions"]] == ["/", "/data"]
    assert report["partitions"][1]["total"] == psutil.disk_usage(tmp_path).total


def test_the_agent_keeps_to_the_wire_format_limits() -> None:
    assert (
        collector.MAX_CORES,
        collector.MAX_PARTITIONS,
        collector.MAX_INTERFACES,
        collector.MAX_SENSORS,
        collector.NAME_MAX,
        collector.PATH_MAX,
        collector.FSTYPE_MAX,
        collector.HOST_TEXT_MAX,
    ) == (
        bounds.MAX_CORES,
        bounds.MAX_PARTITIONS,
        bounds.MAX_INTERFACES,
        bounds.MAX_SENSORS,
        bounds.MAX_NAME_LENGTH,
        bounds.MAX_PATH_LENGTH,
        bounds.MAX_FSTYPE_LENGTH,
        bounds.MAX_HOST_TEXT_LENGTH,
    )


def test_a_huge_host_is_reported_within_the_limits_the_server_accepts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2,000 cores, 300 interfaces and 300 filesystems (one with a newline in its name, which
    Linux allows): the report is trimmed to what the server stores, never refused whole."""
    proc, root = tmp_path / "proc", tmp_path / "root"
    (proc / "1").mkdir(parents=True)
    (proc / "filesystems").write_text("\text4\n")
    names = ["/a\nb"] + [f"/data/{i}" for i in range(299)]  # shortest first, as listed
    escaped = [name.replace("\n", "\\012") for name in names]  # as /proc/*/mounts writes it
    lines = [f"/dev/d{i} {name} ext4 rw 0 0" for i, name in enumerate(escaped)]
    (proc / "1" / "mounts").write_text("\n".join(lines) + "\n")
    for name in names:
        (root / name.lstrip("/")).mkdir(parents=True)
    nic, percent = psutil.net_io_counters(), psutil.cpu_percent

    def nics(pernic: bool = False) -> Any:
        return {f"veth{i}": nic for i in range(300)} if pernic else nic

    def cores(interval: float | None = None, percpu: bool = False) -> Any:
        return [1.0] * 2000 if percpu else percent(interval)

    monkeypatch.setattr(psutil, "net_io_counters", nics)
    monkeypatch.setattr(psutil, "cpu_percent", cores)
    report = Collector(1, SERVER, host_proc=str(proc), host_root=str(root)).collect()

    assert len(report["cpu"]["per_core_usage"]) == bounds.MAX_CORES
    assert len(report["network"]["interfaces"]) == bounds.MAX_INTERFACES
    assert len(report["partitions"]) == bounds.MAX_PARTITIONS
    assert report["partitions"][0]["mountpoint"] == "/a?b"
    payload = agent_payload_decoder.decode(json.dumps(report))
    identity = AgentIdentity(agent_id=1, org_id=1, name="huge")
    agent_report(payload, identity, TimeWindow(300, 86_400), time.time())  # no 422
