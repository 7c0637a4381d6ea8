"""A local HTTP server that records every request: the stand-in for webhooks and chat APIs.

Runs in a thread, so it serves both sync and async tests and processes under test. Tests
choose its answers (`status`, `delay`) and read what arrived (`requests`, `wait_for`).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    at: float  # time.time() when the request arrived
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Recorder:
    url: str
    requests: list[Recorded] = field(default_factory=list)
    # Per path (or "*"): the status to answer and seconds to wait first.
    status: dict[str, int] = field(default_factory=dict)
    delay: dict[str, float] = field(default_factory=dict)
    reply: dict[str, bytes] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, path: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def wait_for(
        self, predicate: Callable[[list[Recorded]], bool], timeout: float = 20
    ) -> list[Recorded]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                snapshot = list(self.requests)
            if predicate(snapshot):
                return snapshot
            time.sleep(0.05)
        with self._lock:
            seen = [(r.method, r.path, r.body[:200]) for r in self.requests]
        raise AssertionError(f"expected requests did not arrive within {timeout} s; got {seen}")

    def _answer(self, path: str) -> tuple[int, float, bytes]:
        status = self.status.get(path, self.status.get("*", 200))
        delay = self.delay.get(path, self.delay.get("*", 0.0))
        body = self.reply.get(path, self.reply.get("*", b'{"ok": true}'))
        return status, delay, body


def _handler(recorder: Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self._record()

        def do_GET(self) -> None:
            self._record()

        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = self.path.split("?", 1)[0]
            with recorder._lock:
                recorder.requests.append(
                    Recorded(time.time(), self.command, path, _lower(self.headers.items()), body)
                )
            status, delay, reply = recorder._answer(path)
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout under test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _lower(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}


@contextmanager
def http_recorder() -> Iterator[Recorder]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Recorder("")))
    recorder = Recorder(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(recorder)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
