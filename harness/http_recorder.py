"""A local HTTP server that records every request: the stand-in for webhooks and chat APIs.

Runs in a thread, so it serves both sync and async tests and processes under test. Tests
choose its answers (`status`, `reply`, `delay`, or a `respond` function) and read what arrived
(`requests`, `to`, `wait_for`).
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
from urllib.parse import parse_qs

from harness.polling import eventually_sync

Reply = tuple[int, dict[str, str], bytes]  # status, headers, body


@dataclass
class Recorded:
    at: float  # time.time() when the request arrived
    method: str
    path: str  # as requested, query string included
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        """The body as python-telegram-bot sends it: form fields or a JSON object."""
        if self.headers.get("content-type", "").startswith("application/json"):
            return {k: str(v) for k, v in self.json().items()}
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


def _route(path: str) -> str:
    return path.split("?", 1)[0]


@dataclass
class Recorder:
    base: str  # http://127.0.0.1:<port>
    requests: list[Recorded] = field(default_factory=list)
    # Per path (or "*"): the status to answer, the body, and seconds to wait first (a
    # hanging receiver; `release` ends every wait at once).
    status: dict[str, int] = field(default_factory=dict)
    delay: dict[str, float] = field(default_factory=dict)
    reply: dict[str, bytes] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    # When set, decides the whole answer (a fake API answering by what was asked).
    respond: Callable[[Recorded], Reply] | None = None
    release: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    def url(self, path: str = "", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def to(self, path: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if _route(r.path) == path]

    def wait_for(
        self, predicate: Callable[[list[Recorded]], bool], timeout: float = 20
    ) -> list[Recorded]:
        """Every request so far, once they satisfy `predicate` (blocks: call it in a thread)."""

        def arrived() -> tuple[list[Recorded]] | None:  # a tuple: truthy even with no requests
            with self._lock:
                snapshot = list(self.requests)
            return (snapshot,) if predicate(snapshot) else None

        try:
            return eventually_sync(arrived, within=timeout, interval=0.05)[0]
        except AssertionError:
            with self._lock:
                seen = [(r.method, r.path, r.body[:200]) for r in self.requests]
            raise AssertionError(
                f"expected requests did not arrive within {timeout} s; got {seen}"
            ) from None

    def _answer(self, got: Recorded) -> Reply:
        route = _route(got.path)
        delay = self.delay.get(route, self.delay.get("*", 0.0))
        if delay:
            self.release.wait(delay)
        if self.respond is not None:
            return self.respond(got)
        status = self.status.get(route, self.status.get("*", 200))
        body = self.reply.get(route, self.reply.get("*", b'{"ok": true}'))
        return status, self.headers, body


def _handler(recorder: Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self._record()

        def do_GET(self) -> None:
            self._record()

        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            got = Recorded(time.time(), self.command, self.path, _lower(self.headers.items()), body)
            with recorder._lock:
                recorder.requests.append(got)
            status, headers, reply = recorder._answer(got)
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
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
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        recorder.release.set()
        server.shutdown()
        server.server_close()
