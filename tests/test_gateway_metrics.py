"""The services' Prometheus /metrics never answer through the gateway, whatever the spelling.

Both gateway configurations (make run's, rendered from deploy/services.py, and compose's
deploy/nginx.compose.conf) run in a real nginx whose every upstream is one recording HTTP
server; an outsider then tries the spellings that could reach a service's /metrics.
"""

from __future__ import annotations

import dataclasses
import os
import re
import socket
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

from core.dev.datastores import free_port
from deploy.gateway import PLACEHOLDER_SITE, Gateway, nginx_binary, nginx_command, write_nginx_conf
from deploy.services import SERVICES
from harness.polling import eventually_sync

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
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


class Recorder(BaseHTTPRequestHandler):
    """Every upstream at once: answers like Prometheus and remembers each path it was sent."""

    seen: list[str] = []

    def do_GET(self) -> None:
        Recorder.seen.append(self.path)
        body = b"# HELP up upstream reached\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    Recorder.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()


def _raw_get(port: int, path: str) -> tuple[int, bytes]:
    """GET `path` exactly as written (HTTP clients would normalise the dots away)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def _serve(command: list[str], port: int) -> Iterator[int]:
    process = subprocess.Popen(command, stderr=subprocess.PIPE)

    def listening() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read() if process.stderr else "") from None
            return False
        return True

    try:
        eventually_sync(listening, within=15, interval=0.05, what="nginx starting")
        yield port
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def make_run_gateway(upstream: int, tmp_path: Path) -> Iterator[int]:
    services = [dataclasses.replace(s, port=upstream) for s in SERVICES]
    gateway = Gateway("127.0.0.1", free_port(), tmp_path / "nginx", PLACEHOLDER_SITE)
    write_nginx_conf(gateway, services)
    yield from _serve(nginx_command(gateway), gateway.port)


@pytest.fixture
def compose_gateway(upstream: int, tmp_path: Path) -> Iterator[int]:
    """deploy/nginx.compose.conf as the nginx image includes it, pointed at the recorder."""
    port = free_port()
    site = (ROOT / "deploy" / "nginx.compose.conf").read_text()
    site = re.sub(r"server [a-z-]+:\d+;", f"server 127.0.0.1:{upstream};", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    site = site.replace("/var/log/nginx/access.log", str(tmp_path / "access.log"))
    site = site.replace("/usr/share/nginx/html", str(PLACEHOLDER_SITE))
    temp = "".join(
        f"{kind}_temp_path {tmp_path / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    user = "user root root;" if os.geteuid() == 0 else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"{user} daemon off; worker_processes 1; pid {tmp_path / 'nginx.pid'};"
        f"error_log stderr; events {{}} http {{ {temp} uwsgi_temp_path {tmp_path / 'u'};"
        f"scgi_temp_path {tmp_path / 's'}; {site} }}"
    )
    command = [nginx_binary(), "-e", "stderr", "-p", f"{tmp_path}/", "-c", str(conf)]
    yield from _serve(command, port)


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
            status, body = _raw_get(port, path)
            if b"# HELP" in body:
                leaked.append((path, status))
    return leaked


@pytest.mark.parametrize("config", ["make_run_gateway", "compose_gateway"])
def test_no_spelling_reaches_a_services_metrics_through_the_gateway(
    config: str, request: pytest.FixtureRequest
) -> None:
    port: int = request.getfixturevalue(config)
    status, _ = _raw_get(port, "/api/auth/health")
    assert status == 200 and Recorder.seen == ["/health"]  # the recorder stands behind it

    assert _probe(port) == []
    assert _reached_metrics(Recorder.seen) == []
    assert _raw_get(port, "/api/auth/metrics")[0] == 404
