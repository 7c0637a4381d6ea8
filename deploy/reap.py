"""`python -m deploy.reap PIDFILE EXE -- COMMAND...`: kill a killed program's leftovers, then
exec COMMAND.

When supervisord's nginx master or PostgreSQL postmaster is killed (SIGKILL, the OOM killer),
its children live on: nginx workers keep the gateway's port and PostgreSQL backends its shared
memory, so the restarted program could not start. PIDFILE is where the program keeps its pid
(nginx.pid, postmaster.pid); its children are in the process group of that pid. Only members
running EXE are killed, in case the pid was reused by something unrelated.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Iterable
from pathlib import Path

_WAIT = 5.0


def _ids(pid: int) -> tuple[int, int] | None:
    """(process group, session) of a live process, or None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[2]), int(fields[3])


def members(*, group: int | None = None, session: int | None = None) -> list[int]:
    """Pids of the live processes in a process group or a session."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        ids = _ids(int(entry.name))
        if ids is not None and (ids[0] == group or ids[1] == session):
            found.append(int(entry.name))
    return found


def _exe(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None


def kill_all(pids: Iterable[int]) -> None:
    """SIGKILL each pid and wait (briefly) until they are gone."""
    pids = list(pids)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + _WAIT
    while any(_ids(pid) is not None for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)


def leftovers(pidfile: Path, exe: str) -> list[int]:
    try:
        pid = int(pidfile.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return []
    if pid == os.getpid():
        return []
    return [p for p in members(group=pid) if _exe(p) == exe]


def main(argv: list[str]) -> None:
    if len(argv) < 4 or argv[2] != "--":
        sys.exit("usage: python -m deploy.reap PIDFILE EXE -- COMMAND...")
    pidfile, exe, command = Path(argv[0]), argv[1], argv[3:]
    found = leftovers(pidfile, exe)
    if found:
        sys.stderr.write(f"killing {len(found)} leftover processes of {exe}: {found}\n")
        kill_all(found)
    os.execv(command[0], command)  # noqa: S606 - the supervised program itself


if __name__ == "__main__":
    main(sys.argv[1:])
