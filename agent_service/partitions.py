"""The host's real filesystems: what a user means by "disks", without pseudo or duplicate mounts.

Inside the agent container the host's `/` is mounted at HOST_ROOT and its /proc at HOST_PROC;
the mount table is then read from the host's init process (PID 1, thanks to `--pid host`) and
usage is measured under HOST_ROOT while the host's own mountpoints are reported.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

import psutil

# Filesystems that hold no user data or mirror another one (snaps are read-only squashfs images).
SKIPPED_FSTYPES = frozenset(
    {"squashfs", "overlay", "tmpfs", "devtmpfs", "ramfs", "iso9660", "autofs", "nsfs", "fuse.lxcfs"}
)
SKIPPED_MOUNT_PREFIXES = ("/snap/", "/var/snap/", "/var/lib/docker/")
_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")


@dataclass(frozen=True)
class Mount:
    device: str
    mountpoint: str
    fstype: str


def real_mounts(host_proc: str | None) -> list[Mount]:
    mounts = _host_mounts(host_proc) if host_proc else _local_mounts()
    seen_devices: set[str] = set()
    kept: list[Mount] = []
    # Shortest mountpoint first, so a bind mount of a device already listed is the one dropped.
    for mount in sorted(mounts, key=lambda m: (len(m.mountpoint), m.mountpoint)):
        if _is_pseudo(mount) or mount.device in seen_devices:
            continue
        seen_devices.add(mount.device)
        kept.append(mount)
    return kept


def usage(mount: Mount, host_root: str | None) -> dict[str, Any] | None:
    """Usage of one filesystem in the wire format's shape; None when it cannot be read."""
    path = host_root.rstrip("/") + mount.mountpoint if host_root else mount.mountpoint
    try:
        du = psutil.disk_usage(path)
    except OSError:  # unmounted meanwhile, no permission, a stale network mount
        return None
    return {"percent": min(100.0, du.percent), "used": du.used, "total": du.total, "free": du.free}


def _is_pseudo(mount: Mount) -> bool:
    return (
        mount.fstype in SKIPPED_FSTYPES
        or mount.device.startswith("/dev/loop")
        or mount.mountpoint.startswith(SKIPPED_MOUNT_PREFIXES)
    )


def _local_mounts() -> list[Mount]:
    # all=False already limits the list to filesystems backed by a device.
    return [Mount(p.device, p.mountpoint, p.fstype) for p in psutil.disk_partitions(all=False)]


def _host_mounts(host_proc: str) -> list[Mount]:
    device_backed = _device_backed_fstypes(host_proc)
    mounts = []
    with open(os.path.join(host_proc, "1", "mounts"), encoding="utf-8") as lines:
        for line in lines:
            fields = line.split()
            if len(fields) < 3 or fields[2] not in device_backed:
                continue
            mounts.append(Mount(_unescape(fields[0]), _unescape(fields[1]), fields[2]))
    return mounts


def _device_backed_fstypes(host_proc: str) -> set[str]:
    """The rule psutil applies for all=False: every type not flagged `nodev`, plus ZFS."""
    with open(os.path.join(host_proc, "filesystems"), encoding="utf-8") as lines:
        types = {
            line.split()[-1] for line in lines if line.strip() and not line.startswith("nodev")
        }
    return types | {"zfs"}


def _unescape(field: str) -> str:
    """The mount table writes spaces and tabs in paths as octal escapes (`\\040`)."""
    return _OCTAL_ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), field)
