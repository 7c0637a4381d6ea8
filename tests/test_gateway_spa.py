"""The gateway serving the dashboard: strict security headers, caching by kind of file,
precompressed assets, deep links to index.html, and API paths that never become the SPA.

Both gateway configurations run in a real nginx (harness/gateway.py) in front of a
recording upstream and a small stand-in for the Vite build (index.html and one hashed bundle
with its .gz beside it).
"""

from __future__ import annotations

import gzip
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.gateway import GATEWAYS, gateway, recorder

pytestmark = pytest.mark.e2e

INDEX = b'<!doctype html><script type="module" src="/assets/app-abc123.js"></script>'
BUNDLE = b"console.log('the dashboard');\n" * 200
# A different text in the .gz proves nginx sends the file from disk, not its own compression.
PRECOMPRESSED = BUNDLE + b"// precompressed\n"
ASSET = "/assets/app-abc123.js"
SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def _csp(host: str) -> str:
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self'; "
        f"connect-src 'self' ws://{host} wss://{host}; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_bytes(INDEX)
    (root / "assets" / "app-abc123.js").write_bytes(BUNDLE)
    (root / "assets" / "app-abc123.js.gz").write_bytes(gzip.compress(PRECOMPRESSED))
    return root


@pytest.fixture(params=GATEWAYS)
def site(request: pytest.FixtureRequest, tmp_path: Path, dist: Path) -> Iterator[httpx.Client]:
    with (
        recorder() as upstream,
        gateway(request.param, upstream, tmp_path, dist) as port,
        httpx.Client(base_url=f"http://127.0.0.1:{port}", trust_env=False) as client,
    ):
        yield client


def _host(client: httpx.Client) -> str:
    return f"127.0.0.1:{client.base_url.port}"


def _assert_page_policy(response: httpx.Response, host: str) -> None:
    for name, value in SECURITY.items():
        assert response.headers.get_list(name) == [value], (name, response.url)
    assert response.headers.get_list("content-security-policy") == [_csp(host)]


@pytest.mark.parametrize("path", ["/", "/index.html", "/hosts/12", "/alerts/rules?tab=edit"])
def test_pages_and_deep_links_get_index_html_never_cached_with_the_policy(
    site: httpx.Client, path: str
) -> None:
    response = site.get(path)
    assert response.status_code == 200 and response.content == INDEX
    assert response.headers["content-type"].startswith("text/html")
    _assert_page_policy(response, _host(site))
    assert response.headers.get_list("cache-control") == ["no-cache"]


def test_hashed_assets_are_cached_for_a_year_and_sent_precompressed(site: httpx.Client) -> None:
    compressed = site.get(ASSET, headers={"Accept-Encoding": "gzip"})
    assert compressed.status_code == 200
    assert compressed.headers["content-encoding"] == "gzip"
    assert compressed.content == PRECOMPRESSED  # httpx decoded the .gz file nginx sent
    assert compressed.headers["content-type"] == "application/javascript"
    assert "Accept-Encoding" in compressed.headers["vary"]
    _assert_page_policy(compressed, _host(site))
    cache = compressed.headers.get_list("cache-control")
    assert cache == ["public, max-age=31536000, immutable"]

    plain = site.get(ASSET, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == BUNDLE


def test_a_missing_asset_is_a_404_not_the_page_and_not_cached(site: httpx.Client) -> None:
    missing = site.get("/assets/app-000000.js")
    assert missing.status_code == 404 and missing.content != INDEX
    assert "immutable" not in missing.headers.get("cache-control", "")
    assert missing.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/api/nothing/here", "/api/", "/api/hosts/12"])
def test_api_paths_never_fall_back_to_the_page(site: httpx.Client, path: str) -> None:
    response = site.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": "Not Found"}
    assert response.headers["x-content-type-options"] == "nosniff"


def test_api_answers_get_nosniff_but_not_the_pages_policy(site: httpx.Client) -> None:
    """Swagger UI at /api/*/docs runs an inline script: the SPA's policy would break it."""
    response = site.get("/api/auth/health")
    assert response.text.startswith("# HELP")  # reached the upstream
    for name, value in SECURITY.items():
        assert response.headers.get_list(name) == [value], name
    assert "content-security-policy" not in response.headers


def test_a_forged_host_header_cannot_write_into_the_policy(site: httpx.Client) -> None:
    """The Host header names the WebSocket sources: anything but host[:port] is left out."""
    port = site.base_url.port
    assert port is not None
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        forged = "evil.example;script-src"  # nginx refuses a Host with spaces
        conn.sendall(f"GET / HTTP/1.1\r\nHost: {forged}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head = answer.partition(b"\r\n\r\n")[0].decode()
    policies = [line for line in head.splitlines() if line.lower().startswith("content-security")]
    assert policies, head
    assert all("evil" not in line and line.count("script-src") == 1 for line in policies)
