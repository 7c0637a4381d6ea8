"""Servers for the monitor types, started once per session, and the contexts checks run in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta

import pytest

from probe_service.checks import CheckContext
from probe_service.checks._context import check_context
from tests.probe.check_servers import CertificateAuthority, Recorder, build_app, dnsmasq, serve


@dataclass(frozen=True)
class WebServers:
    recorder: Recorder
    http: str  # http://127.0.0.1:port
    # https://localhost:port for each certificate: valid (60 days), expiring (in 5 days),
    # expired (a day ago), wrong_host (made for wrong.example)
    https: dict[str, str]
    ca_file: str

    def port(self, name: str) -> int:
        return int(self.https[name].rsplit(":", 1)[1])

    @property
    def http_port(self) -> int:
        return int(self.http.rsplit(":", 1)[1])


# An hour more keeps "5 days left" 5 (and "expired a day ago" -1) however long the session
# runs: days left are whole days rounded down.
CERTIFICATES = {
    "valid": (["localhost", "127.0.0.1"], timedelta(days=60)),
    "expiring": (["localhost", "127.0.0.1"], timedelta(days=5, hours=1)),
    "expired": (["localhost", "127.0.0.1"], timedelta(days=-1, hours=1)),
    "wrong_host": (["wrong.example"], timedelta(days=60)),
}


@pytest.fixture(scope="session")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServers]:
    ca = CertificateAuthority(tmp_path_factory.mktemp("certs"))
    recorder = Recorder()
    app = build_app(recorder)
    with ExitStack() as servers:
        http_port = servers.enter_context(serve(app))
        https = {}
        for name, (hosts, lifetime) in CERTIFICATES.items():
            leaf = ca.leaf(name, hosts, lifetime)
            https[name] = f"https://localhost:{servers.enter_context(serve(app, *leaf))}"
        yield WebServers(recorder, f"http://127.0.0.1:{http_port}", https, str(ca.pem))


@pytest.fixture(scope="session")
def dns_port() -> Iterator[int]:
    with dnsmasq() as port:
        yield port


@pytest.fixture
async def ctx(web: WebServers) -> AsyncIterator[CheckContext]:
    """Private targets allowed (the default of a self-hosted install), the test CA trusted."""
    async with check_context(allow_private=True, extra_ca_file=web.ca_file) as context:
        yield context


@pytest.fixture
async def strict_ctx(web: WebServers) -> AsyncIterator[CheckContext]:
    """A shared instance's setting: private and loopback targets refused."""
    async with check_context(allow_private=False, extra_ca_file=web.ca_file) as context:
        yield context
