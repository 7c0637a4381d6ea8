"""A real HTTP server standing in for the ingestion service: records what agents send.

It answers with whatever status the test sets (per path if needed), so tests can play an
outage, a rate limit or a revoked token. Bodies are stored gunzipped.
"""

from __future__ import annotations

import gzip
import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Recorded:
    path: str
    headers: dict[str, str]
    raw: bytes  # as received
    body: bytes  # gunzipped
    status: int  # what the server answered
    at: float  # time.monotonic() on arrival

    def reports(self) -> list[dict[str, Any]]:
        data = json.loads(self.body)
        return data["reports"] if self.path == "/ingest/batch" else [data]


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b'{"status":"accepted"}'


class RecordingServer:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.requests: list[Recorded] = []
        self._replies: dict[str, Reply] = {}
        self._once: list[tuple[str, Reply]] = []
        self._default = Reply()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self._httpd.server_port}"

    def reply(self, status: int, headers: dict[str, str] | None = None, path: str = "") -> None:
        """Answer `status` from now on, on `path` only when given."""
        reply = _reply(status, headers)
        with self._lock:
            if path:
                self._replies[path] = reply
            else:
                self._replies.clear()
                self._default = reply

    def reply_once(
        self, status: int, headers: dict[str, str] | None = None, path: str = ""
    ) -> None:
        """Answer `status` to the next request (on `path` when given), then as before."""
        with self._lock:
            self._once.append((path, _reply(status, headers)))

    def accepted_reports(self) -> list[dict[str, Any]]:
        """Every report the server accepted (2xx), in arrival order."""
        with self._lock:
            done = [r for r in self.requests if 200 <= r.status < 300]
        return [report for request in done for report in request.reports()]

    def summary(self) -> list[tuple[str, int, int]]:
        with self._lock:
            return [(r.path, r.status, len(r.reports())) for r in self.requests]

    def _answer(self, path: str, headers: dict[str, str], raw: bytes) -> Reply:
        body = gzip.decompress(raw) if headers.get("content-encoding") == "gzip" else raw
        with self._lock:
            reply = self._next_reply(path)
            self.requests.append(Recorded(path, headers, raw, body, reply.status, time.monotonic()))
        return reply

    def _next_reply(self, path: str) -> Reply:
        for index, (once_path, reply) in enumerate(self._once):
            if once_path in ("", path):
                del self._once[index]
                return reply
        return self._replies.get(path, self._default)

    @contextmanager
    def running(self) -> Iterator[RecordingServer]:
        thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._httpd.shutdown()
            self._httpd.server_close()
            thread.join()


def _reply(status: int, headers: dict[str, str] | None) -> Reply:
    return Reply(status, headers or {}, json.dumps({"detail": f"status {status}"}).encode())


def _handler_for(server: RecordingServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the agent's client expects

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {key.lower(): value for key, value in self.headers.items()}
            reply = server._answer(self.path, headers, raw)
            self.send_response(reply.status)
            for key, value in {**reply.headers, "Content-Type": "application/json"}.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the test output stays readable

    return Handler
