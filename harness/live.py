"""Services as real uvicorn processes, for end-to-end tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from pydantic import SecretStr

from core.dev.datastores import free_port
from core.settings import Settings
from harness.polling import eventually_sync


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes a child process load exactly these settings."""
    env: dict[str, str] = {}
    for key in type(settings).model_fields:
        value = getattr(settings, key)
        if value is None:
            continue
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        elif isinstance(value, list | dict):
            value = json.dumps(value, default=str)  # str: e.g. TRUSTED_PROXIES' networks
        env[key.upper()] = str(value)
    return env


@dataclass
class LiveService:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def live_service(
    module: str,
    settings: Settings,
    log_dir: Path,
    extra_env: dict[str, str] | None = None,
    uvicorn_args: Sequence[str] = (),
) -> Iterator[LiveService]:
    port = free_port()
    log_path = log_dir / f"{module}-{port}.log"
    env = {**os.environ, **settings_env(settings), **(extra_env or {})}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        f"{module}.app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *uvicorn_args,
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    service = LiveService(f"http://127.0.0.1:{port}", process, log_path)
    try:
        try:
            wait_healthy(service.url, process)
        except RuntimeError as error:
            raise RuntimeError(f"{error}:\n{service.logs()}") from None
        yield service
    finally:
        _stop(process, timeout=10)


def wait_healthy(url: str, process: subprocess.Popen[bytes], within: float = 20) -> None:
    """Until `url`/health answers 200; RuntimeError if `process` exits or time runs out."""

    def healthy() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the service exited during start-up")
        try:
            return httpx.get(f"{url}/health", timeout=1, trust_env=False).status_code == 200
        except httpx.TransportError:
            return False

    try:
        eventually_sync(healthy, within=within, what=f"{url}/health answering 200")
    except AssertionError as late:
        raise RuntimeError(str(late)) from None


@contextmanager
def module_process(
    module: str,
    settings: Settings,
    log_dir: Path,
    *,
    tag: str = "",
    extra_env: dict[str, str] | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m <module>` (a worker, the agent) as a real process with these settings."""
    env = {**os.environ, **settings_env(settings), **(extra_env or {})}
    name = f"{module}-{tag}" if tag else module
    with (log_dir / f"{name}.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", module], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
