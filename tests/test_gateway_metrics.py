"""The services' Prometheus /metrics never answer through the gateway, whatever the spelling.

Both gateway configurations (make run's, rendered from deploy/services.py, and compose's
deploy/nginx.compose.conf) run in a real nginx whose every upstream is one recording HTTP
server; an outsider then tries the spellings that could reach a service's /metrics.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

from deploy.gateway import PLACEHOLDER_SITE
from harness.gateway import GATEWAYS, Recorder, gateway, raw_get, recorder

pytestmark = pytest.mark.e2e

# Each a way an attacker might spell a path that ends at a service's /metrics.
SPELLINGS = (
    "{p}metrics",
    "{p}metrics/",
    "{p}metrics?format=text",
    "{p}/metrics",
    "{p}./metrics",
    "{p}x/../metrics",
    "{p}%6detrics",
    "{p}%2e/metrics",
    "{p}metrics%2f",
    "{p}metrics%3Fx",
    "/api/history/../..{p}metrics",
    "/metrics",
    "/ws/../metrics",
)
# The gateway prefixes that forward to a service's root (where its /metrics lives).
ROOT_PREFIXES = ("/api/auth/", "/api/alerts/")


@pytest.fixture(params=GATEWAYS)
def gateway_port(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[int]:
    with (
        recorder() as upstream,
        gateway(request.param, upstream, tmp_path, PLACEHOLDER_SITE) as port,
    ):
        yield port


def _reached_metrics(seen: list[str]) -> list[str]:
    def target(path: str) -> str:
        return unquote(path.split("?", 1)[0]).rstrip("/")

    return [path for path in seen if target(path).endswith("/metrics")]


def _probe(port: int) -> list[tuple[str, int]]:
    """Every spelling for every root prefix; returns those answered with upstream data."""
    leaked = []
    for prefix in ROOT_PREFIXES:
        for spelling in SPELLINGS:
            path = spelling.format(p=prefix)
            status, body = raw_get(port, path)
            if b"# HELP" in body:
                leaked.append((path, status))
    return leaked


def test_no_spelling_reaches_a_services_metrics_through_the_gateway(gateway_port: int) -> None:
    port = gateway_port
    status, _ = raw_get(port, "/api/auth/health")
    assert status == 200 and Recorder.seen == ["/health"]  # the recorder stands behind it

    assert _probe(port) == []
    assert _reached_metrics(Recorder.seen) == []
    assert raw_get(port, "/api/auth/metrics")[0] == 404
