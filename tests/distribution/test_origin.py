"""The Origin rule on its own: our own host or a configured origin; everything else refused."""

from __future__ import annotations

import pytest

from core.security.origins import origin_allowed

ALLOWED = ["https://status.example.com", "http://localhost:5173/"]


@pytest.mark.parametrize(
    ("origin", "host"),
    [
        (None, "anything:8002"),  # agents, scripts: browsers always send an Origin
        ("http://localhost:8080", "localhost:8080"),  # the page the gateway served
        ("https://Monitor.Example.org", "monitor.example.org"),  # default port, any case
        ("https://status.example.com", "10.0.0.5:8002"),  # configured CORS origin
        ("http://localhost:5173", "127.0.0.1:8002"),  # configured with a trailing slash
    ],
)
def test_allowed_origins(origin: str | None, host: str) -> None:
    assert origin_allowed(origin, host, ALLOWED)


@pytest.mark.parametrize(
    ("origin", "host"),
    [
        ("https://evil.example", "localhost:8080"),
        ("http://localhost:8081", "localhost:8080"),  # another port is another origin
        ("null", "localhost:8080"),  # sandboxed frames and files
        ("http://localhost:8080", None),
        ("https://status.example.com.evil.example", "localhost:8080"),
    ],
)
def test_refused_origins(origin: str, host: str | None) -> None:
    assert not origin_allowed(origin, host, ALLOWED)
