"""What `make run` tells the user: waiting for the services' health, then the banner."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from deploy.gateway import GATEWAY_PROCESS
from deploy.services import Service

_RULE = "=" * 78
_INDENT = " " * 14


def _healthy(client: httpx.Client, url: str) -> bool:
    try:
        return client.get(url).status_code == 200
    except httpx.HTTPError:
        return False


def wait_until_healthy(
    urls: Mapping[str, str], timeout: float, keep_waiting: Callable[[], bool]
) -> list[str]:
    """Poll each URL until it answers 200; returns the names still down at the deadline."""
    pending = dict(urls)
    deadline = time.monotonic() + timeout
    # trust_env=False: an HTTP(S)_PROXY in the environment must not capture localhost.
    with httpx.Client(timeout=1.0, trust_env=False) as client:
        while pending and time.monotonic() < deadline and keep_waiting():
            pending = {name: url for name, url in pending.items() if not _healthy(client, url)}
            if pending:
                time.sleep(0.2)
    return list(pending)


@dataclass(frozen=True)
class Banner:
    public_url: str  # the gateway as a browser on this machine reaches it
    admin_email: str
    admin_output: str  # what `core.admin ensure-admin` printed: the password on a first start
    services: Sequence[Service]
    stores: Sequence[str]
    data_dir: Path
    down: Sequence[str] = ()

    def _state(self, name: str) -> str:
        return "  (NOT RESPONDING: see its log above)" if name in self.down else ""

    def _login(self) -> list[str]:
        printed = [line for line in self.admin_output.splitlines() if line.strip()]
        lines = printed or ["password: the one printed on the first start (or ADMIN_PASSWORD)"]
        return [f"  Login       {self.admin_email}", *(_INDENT + line for line in lines)]

    def _docs(self) -> list[str]:
        lines = ["  API docs"]
        for s in self.services:
            url = (
                self.public_url + s.docs_path if s.docs_path else f"http://127.0.0.1:{s.port}/docs"
            )
            lines.append(f"    {s.name:<14}{url}{self._state(s.name)}")
        return lines

    def render(self) -> str:
        lines = [
            "",
            _RULE,
            "  StatusMonitor is running. Press Ctrl-C to stop everything.",
            "",
            f"  Dashboard   {self.public_url}/{self._state(GATEWAY_PROCESS)}",
            *self._login(),
            *self._docs(),
            f"  Datastores  {', '.join(self.stores)}",
            f"  Data dir    {self.data_dir}",
            _RULE,
            "",
        ]
        return "\n".join(lines)
