"""One report of the host's state, in the wire format of core/schemas/agent_payload.py.

Rates (disk I/O, network) are counter deltas over the time since the previous collection.
CPU percentages come from psutil's non-blocking mode: each call measures the time since the
previous one, so a collection never sleeps for a sampling window.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import psutil

from agent_service import partitions
from agent_service.host_info import host_info

log = logging.getLogger(__name__)
T = TypeVar("T")

HOST_INFO_CHECK_S = 60.0  # how often to look for a changed host (hostname, IP, kernel...)
# The wire format's limits (core/bounds.py, which the agent ships without; a test checks they
# agree): the server refuses a whole report past any of them, so the agent stays within.
MAX_CORES = 1024
MAX_PARTITIONS = 256
MAX_INTERFACES = 256
MAX_SENSORS = 256
NAME_MAX = 64  # interface and sensor names
PATH_MAX = 256  # mountpoints and devices
FSTYPE_MAX = 64
HOST_TEXT_MAX = 256
# Control characters (a mountpoint may hold a newline) cannot be stored: shown as "?".
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
NET_FIELDS = ("bytes_sent", "bytes_recv", "packets_sent", "packets_recv")
NIC_FIELDS = (*NET_FIELDS, "errin", "errout", "dropin", "dropout")


class Collector:
    def __init__(
        self,
        interval: float,
        server_url: str,
        host_proc: str | None = None,
        host_root: str | None = None,
    ) -> None:
        self._interval = interval
        self._server_url = server_url
        self._host_proc = host_proc
        self._host_root = host_root
        # Prime psutil's CPU baselines: the first real reading measures from here.
        psutil.cpu_percent(interval=None)
        psutil.cpu_percent(interval=None, percpu=True)
        self._last_time = time.monotonic()
        self._last_disk_io = _optional(psutil.disk_io_counters)
        self._last_nics = _optional(lambda: psutil.net_io_counters(pernic=True)) or {}
        self._host_info_sent: dict[str, Any] | None = None
        self._host_info_checked = -math.inf

    def collect(self) -> dict[str, Any]:
        now = time.monotonic()
        elapsed, self._last_time = now - self._last_time, now
        payload: dict[str, Any] = {
            "report_id": uuid.uuid4().hex,
            "timestamp": round(time.time(), 3),
            "interval": self._interval,
            "cpu": _cpu(),
            "memory": _memory(),
            "swap": _swap(),
            "uptime_seconds": max(0.0, round(time.time() - psutil.boot_time(), 1)),
            "process_count": len(psutil.pids()),
            "temperatures": _optional(_temperatures) or None,
        }
        payload.update(self._disks())
        payload["disk_io"] = self._disk_io(elapsed)
        payload["network"] = self._network(elapsed)
        info = self._changed_host_info(now)
        if info is not None:
            payload["host_info"] = {
                key: _text(value, HOST_TEXT_MAX) if isinstance(value, str) else value
                for key, value in info.items()
            }
        return {key: value for key, value in payload.items() if value is not None}

    def _disks(self) -> dict[str, Any]:
        mounts = _optional(lambda: partitions.real_mounts(self._host_proc)) or []
        listed: list[dict[str, Any]] = []
        for mount in mounts:
            if len(listed) == MAX_PARTITIONS:
                break
            used = partitions.usage(mount, self._host_root)
            if used is not None and used["total"] > 0:
                listed.append(
                    {
                        "mountpoint": _text(mount.mountpoint, PATH_MAX),
                        "device": _text(mount.device, PATH_MAX),
                        "fstype": _text(mount.fstype, FSTYPE_MAX),
                        **used,
                    }
                )
        root = partitions.usage(partitions.Mount("", "/", ""), self._host_root)
        return {"disk": root, "partitions": listed}

    def _disk_io(self, elapsed: float) -> dict[str, Any] | None:
        counters, last = _optional(psutil.disk_io_counters), self._last_disk_io
        self._last_disk_io = counters
        if counters is None:
            return None
        return {
            "read_bytes": counters.read_bytes,
            "write_bytes": counters.write_bytes,
            "read_bytes_per_s": _rate(counters.read_bytes, last and last.read_bytes, elapsed),
            "write_bytes_per_s": _rate(counters.write_bytes, last and last.write_bytes, elapsed),
        }

    def _network(self, elapsed: float) -> dict[str, Any] | None:
        nics = _optional(lambda: psutil.net_io_counters(pernic=True))
        if nics is None:
            return None
        last, self._last_nics = self._last_nics, nics
        interfaces = {
            _text(name, NAME_MAX): _nic(c, last.get(name), elapsed) for name, c in nics.items()
        }
        # Loopback traffic never leaves the host, so it is listed but not in the totals, which
        # count every interface, also those past the listing limit.
        external = [c for name, c in interfaces.items() if not name.lower().startswith("lo")]
        totals: dict[str, Any] = {f: sum(c[f] for c in external) for f in NET_FIELDS}
        for rate in ("sent_bytes_per_s", "recv_bytes_per_s"):
            totals[rate] = round(sum(c[rate] for c in external), 1)
        listed = dict(itertools.islice(interfaces.items(), MAX_INTERFACES))
        return {**totals, "interfaces": listed}

    def _changed_host_info(self, now: float) -> dict[str, Any] | None:
        if now - self._host_info_checked < HOST_INFO_CHECK_S:
            return None
        self._host_info_checked = now
        info = host_info(self._server_url, self._host_proc, self._host_root)
        if info == self._host_info_sent:
            return None
        self._host_info_sent = info
        return info


def _cpu() -> dict[str, Any]:
    cpu: dict[str, Any] = {
        "percent": _percent(psutil.cpu_percent(interval=None)),
        "per_core_usage": [
            _percent(p) for p in psutil.cpu_percent(interval=None, percpu=True)[:MAX_CORES]
        ],
    }
    freq = _optional(psutil.cpu_freq)
    if freq is not None:
        cpu["freq"] = {"current": freq.current, "min": freq.min, "max": freq.max}
        per_core = _optional(lambda: psutil.cpu_freq(percpu=True)) or []
        cpu["per_core_freq"] = [max(0.0, f.current) for f in per_core[:MAX_CORES]]
    load = _optional(psutil.getloadavg)
    if load is not None:
        cpu["load_avg"] = [round(value, 2) for value in load]
    return cpu


def _memory() -> dict[str, Any]:
    vm = psutil.virtual_memory()
    return {
        "percent": _percent(vm.percent),
        "used": vm.used,
        "total": vm.total,
        "available": vm.available,
    }


def _swap() -> dict[str, Any] | None:
    swap = _optional(psutil.swap_memory)
    if swap is None:
        return None
    return {"percent": _percent(swap.percent), "used": swap.used, "total": swap.total}


def _temperatures() -> dict[str, float]:
    sensors = getattr(psutil, "sensors_temperatures", None)  # Linux and FreeBSD only
    readings: dict[str, float] = {}
    for chip, entries in (sensors() if sensors else {}).items():
        for index, entry in enumerate(entries):
            if entry.current is not None and math.isfinite(entry.current):
                name = f"{chip}_{entry.label or index}".replace(" ", "_")
                readings[_text(name, NAME_MAX)] = round(entry.current, 1)
    return dict(itertools.islice(readings.items(), MAX_SENSORS))


def _nic(counters: Any, last: Any, elapsed: float) -> dict[str, Any]:
    nic: dict[str, Any] = {field: getattr(counters, field) for field in NIC_FIELDS}
    nic["sent_bytes_per_s"] = _rate(counters.bytes_sent, last and last.bytes_sent, elapsed)
    nic["recv_bytes_per_s"] = _rate(counters.bytes_recv, last and last.bytes_recv, elapsed)
    return nic


def _rate(current: int, previous: int | None, elapsed: float) -> float:
    # No baseline yet, or a counter that went backwards (interface re-created): no rate.
    if previous is None or elapsed <= 0 or current < previous:
        return 0.0
    return round((current - previous) / elapsed, 1)


def _percent(value: float) -> float:
    return min(100.0, max(0.0, round(value, 1)))


def _optional(read: Callable[[], T]) -> T | None:
    """A reading some systems do not offer (frequencies, sensors, swap in containers...)."""
    try:
        return read()
    except (OSError, NotImplementedError, RuntimeError, AttributeError) as exc:
        log.debug("reading unavailable: %s", exc)
        return None


def _text(value: str, limit: int) -> str:
    return _CONTROL.sub("?", value[:limit])
