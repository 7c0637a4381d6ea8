"""What the host is: sent with the first report after start and again whenever it changes."""

from __future__ import annotations

import os
import platform
import socket
from typing import Any
from urllib.parse import urlsplit

import psutil

from agent_service import __version__


def host_info(server_url: str, host_proc: str | None, host_root: str | None) -> dict[str, Any]:
    return {
        "hostname": socket.gethostname(),
        "os": platform.system(),
        "os_version": _os_version(host_root),
        "kernel": platform.release(),
        "ip": internal_ip(server_url),
        "cpu_model": _cpu_model(host_proc),
        "cpu_cores": psutil.cpu_count(logical=False) or 0,
        "cpu_threads": psutil.cpu_count() or 0,
        "memory_total": psutil.virtual_memory().total,
        "boot_time": psutil.boot_time(),
        "agent_version": __version__,
    }


def internal_ip(server_url: str) -> str:
    """The address this host uses to reach the server, else its first non-loopback IPv4.

    Connecting a UDP socket only selects a route; no packet is sent.
    """
    host = urlsplit(server_url).hostname or ""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect((host, 9))
            address: str = probe.getsockname()[0]
        if not address.startswith("127."):
            return address
    except OSError:
        pass
    return _first_interface_ip()


def _first_interface_ip() -> str:
    stats = psutil.net_if_stats()
    for name, addresses in psutil.net_if_addrs().items():
        if name in stats and not stats[name].isup:
            continue
        for address in addresses:
            if address.family == socket.AF_INET and not address.address.startswith("127."):
                return str(address.address)
    return "127.0.0.1"


def _os_version(host_root: str | None) -> str:
    """PRETTY_NAME from os-release on Linux; what platform knows elsewhere."""
    if platform.system() != "Linux":
        return platform.platform(terse=True)
    root = host_root or "/"
    for path in ("etc/os-release", "usr/lib/os-release"):
        try:
            with open(os.path.join(root, path), encoding="utf-8") as lines:
                for line in lines:
                    key, _, value = line.strip().partition("=")
                    if key == "PRETTY_NAME":
                        return value.strip().strip("\"'")
        except OSError:
            continue
    return "Linux"


def _cpu_model(host_proc: str | None) -> str:
    try:
        with open(os.path.join(host_proc or "/proc", "cpuinfo"), encoding="utf-8") as lines:
            for line in lines:
                key, _, value = line.partition(":")
                # x86 says "model name"; several ARM kernels only give "Hardware" or "Model".
                if key.strip() in ("model name", "Hardware", "Model", "cpu model"):
                    return value.strip()
    except OSError:
        pass
    return platform.processor()
