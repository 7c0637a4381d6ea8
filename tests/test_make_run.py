"""`make run` end to end: `python -m deploy.run` with its own datastores, services and gateway.

Runs the supervisor as a user would (in a temporary data dir, on free ports), logs in
through the gateway with the password it printed, then stops it with SIGINT and checks
that it exits 0 and leaves no port or process behind.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import httpx
import pytest

from core.dev.datastores import free_port
from deploy.services import SERVICES

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.e2e

START_TIMEOUT = 120.0
STOP_TIMEOUT = 60.0
ADMIN_EMAIL = "e2e-admin@example.com"
BANNER = "StatusMonitor is running"
PASSWORD_LINE = re.compile(r"^Generated password[^:]*:\s*(\S+)\s*$", re.MULTILINE)
# Inherited settings that would make the supervisor skip its own datastores or admin password.
SCRUBBED = {"DATABASE_URL", "REDIS_URL", "TSDB_URL", "SECRET_KEY", "ADMIN_PASSWORD", "ADMIN_EMAIL"}


class Output:
    """Collects a process's merged stdout/stderr on a thread, so its pipe never fills."""

    def __init__(self, stream: IO[str]) -> None:
        self._lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self._lines)

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)


def _distinct_free_ports(count: int) -> list[int]:
    ports: set[int] = set()
    while len(ports) < count:
        ports.add(free_port())
    return list(ports)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _processes_mentioning(text: str) -> list[str]:
    """Command lines of live processes that contain `text` (e.g. the data dir)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # exited meanwhile
        if text in command:
            found.append(command)
    return found


def _port_variables() -> list[str]:
    names = ["RUN_PG_PORT", "RUN_REDIS_PORT", "RUN_TSDB_PORT", "GATEWAY_PORT"]
    return names + [f"RUN_{service.env_key}_PORT" for service in SERVICES]


@pytest.fixture
def run_env(tmp_path: Path) -> dict[str, str]:
    port_vars = _port_variables()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in SCRUBBED and not key.startswith("RUN_")
    }
    env.update(zip(port_vars, map(str, _distinct_free_ports(len(port_vars))), strict=True))
    env.update(
        RUN_DATA_DIR=str(tmp_path / "data"),
        GATEWAY_HOST="127.0.0.1",
        ADMIN_EMAIL=ADMIN_EMAIL,
        RUN_START_TIMEOUT=str(START_TIMEOUT),
    )
    return env


@pytest.fixture
def supervisor(run_env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], Output]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "deploy.run"],
        cwd=ROOT,
        env=run_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a Ctrl-C on pytest must not reach it twice
    )
    assert proc.stdout is not None
    output = Output(proc.stdout)
    try:
        yield proc, output
    finally:
        if proc.poll() is None:  # the test failed half-way: still stop everything cleanly
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        output.join(5)


def _wait_until_up(proc: subprocess.Popen[str], output: Output, health_url: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    with httpx.Client(timeout=2.0, trust_env=False) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"deploy.run exited with {proc.returncode}:\n{output.text}")
            try:
                healthy = client.get(health_url).status_code == 200
            except httpx.HTTPError:
                healthy = False
            if healthy and BANNER in output.text:
                return
            time.sleep(0.25)
    pytest.fail(f"not up within {START_TIMEOUT:g}s:\n{output.text}")


def test_make_run_serves_through_the_gateway_and_stops_cleanly(
    supervisor: tuple[subprocess.Popen[str], Output], run_env: dict[str, str], tmp_path: Path
) -> None:
    proc, output = supervisor
    gateway = f"http://127.0.0.1:{run_env['GATEWAY_PORT']}"

    _wait_until_up(proc, output, f"{gateway}/api/auth/health")

    assert f"Login       {ADMIN_EMAIL}" in output.text, output.text
    password = PASSWORD_LINE.search(output.text)
    assert password is not None, output.text
    login = httpx.post(
        f"{gateway}/api/auth/token",
        data={"username": ADMIN_EMAIL, "password": password.group(1)},
        trust_env=False,
    )
    assert login.status_code == 200, login.text

    proc.send_signal(signal.SIGINT)
    assert proc.wait(STOP_TIMEOUT) == 0, output.text

    ports = [int(run_env[name]) for name in _port_variables()]
    assert [port for port in ports if not _port_free(port)] == [], output.text
    assert _processes_mentioning(str(tmp_path)) == []
