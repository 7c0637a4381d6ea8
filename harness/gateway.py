"""Both gateway configurations in a real nginx: make run's (rendered from deploy/services.py)
and compose's deploy/nginx.compose.conf, every upstream pointed at one recording HTTP server."""

from __future__ import annotations

import dataclasses
import os
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from core.dev.datastores import free_port
from deploy.gateway import Gateway, nginx_binary, nginx_command, write_nginx_conf
from deploy.services import SERVICES

ROOT = Path(__file__).resolve().parents[1]
GATEWAYS = ("make_run", "compose")


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


@contextmanager
def recorder() -> Iterator[int]:
    """The recording upstream's port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    Recorder.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()


@contextmanager
def _serve(command: list[str], port: int) -> Iterator[int]:
    process = subprocess.Popen(command, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(10)


@contextmanager
def make_run_gateway(upstream: int, work_dir: Path, static_root: Path) -> Iterator[int]:
    services = [dataclasses.replace(s, port=upstream) for s in SERVICES]
    gateway = Gateway("127.0.0.1", free_port(), work_dir / "nginx", static_root)
    write_nginx_conf(gateway, services)
    with _serve(nginx_command(gateway), gateway.port) as port:
        yield port


@contextmanager
def compose_gateway(upstream: int, work_dir: Path, static_root: Path) -> Iterator[int]:
    """deploy/nginx.compose.conf as the nginx image includes it, pointed at the recorder."""
    port = free_port()
    site = (ROOT / "deploy" / "nginx.compose.conf").read_text()
    site = re.sub(r"server [a-z-]+:\d+;", f"server 127.0.0.1:{upstream};", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    site = site.replace("/var/log/nginx/access.log", str(work_dir / "access.log"))
    site = site.replace("/usr/share/nginx/html", str(static_root))
    temp = "".join(
        f"{kind}_temp_path {work_dir / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    user = "user root root;" if os.geteuid() == 0 else ""
    conf = work_dir / "nginx.conf"
    # The image's /etc/nginx/nginx.conf includes its mime.types: so does this one.
    conf.write_text(
        f"{user} daemon off; worker_processes 1; pid {work_dir / 'nginx.pid'};"
        f"error_log stderr; events {{}} http {{ include /etc/nginx/mime.types; {temp}"
        f"uwsgi_temp_path {work_dir / 'u'}; scgi_temp_path {work_dir / 's'}; {site} }}"
    )
    command = [nginx_binary(), "-e", "stderr", "-p", f"{work_dir}/", "-c", str(conf)]
    with _serve(command, port) as served:
        yield served


@contextmanager
def gateway(kind: str, upstream: int, work_dir: Path, static_root: Path) -> Iterator[int]:
    """The gateway's port: kind is one of GATEWAYS."""
    serve = make_run_gateway if kind == "make_run" else compose_gateway
    with serve(upstream, work_dir, static_root) as port:
        yield port


def raw_get(port: int, path: str) -> tuple[int, bytes]:
    """GET `path` exactly as written (HTTP clients would normalise the dots away)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body
