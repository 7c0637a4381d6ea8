"""`python -m deploy.run` as a user runs it, in a temporary data dir on free ports: started,
watched through its output and its supervisord, stopped with SIGINT. Used by the make run
tests and bench/crash_recovery.py."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx

from core.dev.datastores import free_port
from deploy.services import SERVICES
from deploy.supervisor import Supervisor
from harness.polling import eventually_sync

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 120.0
STOP_TIMEOUT = 90.0
ADMIN_EMAIL = "e2e-admin@example.com"
BANNER = "StatusMonitor is running"
PASSWORD_LINE = re.compile(r"^Generated password[^:]*:\s*(\S+)\s*$", re.MULTILINE)
# Inherited settings that would make the supervisor skip its own datastores or admin password
# (or start a Telegram bot that would talk to the real Telegram).
SCRUBBED = {
    "DATABASE_URL",
    "REDIS_URL",
    "TSDB_URL",
    "SECRET_KEY",
    "ADMIN_PASSWORD",
    "ADMIN_EMAIL",
    "TELEGRAM_BOT_TOKEN",
}


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


def port_variables() -> list[str]:
    names = ["RUN_PG_PORT", "RUN_REDIS_PORT", "RUN_TSDB_PORT", "GATEWAY_PORT"]
    return names + [f"RUN_{service.env_key}_PORT" for service in SERVICES]


def run_env(data_dir: Path, **extra: str) -> dict[str, str]:
    port_vars = port_variables()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in SCRUBBED and not key.startswith("RUN_")
    }
    env.update(zip(port_vars, map(str, _distinct_free_ports(len(port_vars))), strict=True))
    env.update(
        RUN_DATA_DIR=str(data_dir),
        GATEWAY_HOST="127.0.0.1",
        ADMIN_EMAIL=ADMIN_EMAIL,
        RUN_START_TIMEOUT=str(START_TIMEOUT),
        **extra,
    )
    return env


@dataclass
class MakeRun:
    process: subprocess.Popen[str]
    output: Output
    env: dict[str, str]

    @property
    def data_dir(self) -> Path:
        return Path(self.env["RUN_DATA_DIR"])

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.env['GATEWAY_PORT']}"

    def port(self, variable: str) -> int:
        return int(self.env[variable])

    def secret(self, name: str) -> str:
        return (self.data_dir / name).read_text().strip()

    def supervisor(self) -> Supervisor:
        """A client of make run's supervisord (its per-start password is in its config)."""
        run_dir = self.data_dir / "supervisor"
        config = (run_dir / "supervisord.conf").read_text()
        password = re.search(r"^password=(\S+)$", config, re.MULTILINE)
        assert password is not None
        return Supervisor(run_dir / "supervisord.conf", run_dir, password.group(1))

    def processes(self) -> dict[str, dict[str, Any]]:
        return {info["name"]: info for info in self.supervisor().processes()}

    def admin_password(self) -> str:
        found = PASSWORD_LINE.search(self.output.text)
        assert found is not None, self.output.text
        return found.group(1)

    def wait_until_up(self) -> None:
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            try:
                eventually_sync(lambda: self._up(client), within=START_TIMEOUT, interval=0.25)
            except AssertionError:
                raise AssertionError(
                    f"not up within {START_TIMEOUT:g}s:\n{self.output.text}"
                ) from None

    def _up(self, client: httpx.Client) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(
                f"deploy.run exited with {self.process.returncode}:\n{self.output.text}"
            )
        return BANNER in self.output.text and healthy(client, f"{self.gateway}/api/auth/health")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(STOP_TIMEOUT)
        finally:
            self.output.join(5)


@contextmanager
def make_run(env: dict[str, str]) -> Iterator[MakeRun]:
    process = subprocess.Popen(
        [sys.executable, "-m", "deploy.run"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a Ctrl-C on pytest must not reach it twice
    )
    assert process.stdout is not None
    run = MakeRun(process, Output(process.stdout), env)
    try:
        yield run
    finally:
        if process.poll() is None:  # the test failed half-way: still stop everything cleanly
            process.send_signal(signal.SIGINT)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        run.output.join(5)


def healthy(client: httpx.Client, url: str) -> bool:
    try:
        return client.get(url).status_code == 200
    except httpx.HTTPError:
        return False


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def processes_mentioning(text: str) -> list[str]:
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
