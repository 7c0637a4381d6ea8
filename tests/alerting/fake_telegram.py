"""A small Telegram Bot API on a local port: getMe, long-polled getUpdates, sendMessage.

It answers only under `/bot<token>/`, as Telegram does, so a test also proves the URLs the bot
builds. Updates stay queued until a getUpdates call confirms them with a higher offset.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from core.dev.datastores import free_port


class FakeBotApi:
    def __init__(self, token: str) -> None:
        self.token = token
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.sent: list[dict[str, Any]] = []  # sendMessage parameters, in order
        self.paths: list[str] = []  # every request path, to check what the bot called
        self.fail_get_updates = 0  # answer this many getUpdates with a 502 first
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 1000
        self._next_message_id = 1
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeBotApi:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def send_text(self, chat_id: int, text: str, chat_type: str = "private") -> int:
        """A user writes `text` to the bot from chat `chat_id`."""
        with self._changed:
            self._next_update_id += 1
            self._updates.append(
                {
                    "update_id": self._next_update_id,
                    "message": {
                        "message_id": self._next_update_id,
                        "date": int(time.time()),
                        "chat": {"id": chat_id, "type": chat_type},
                        "from": {"id": abs(chat_id), "is_bot": False, "first_name": "Ann"},
                        "text": text,
                    },
                }
            )
            self._changed.notify_all()
            return self._next_update_id

    def wait_sent(self, count: int, timeout: float = 10) -> list[dict[str, Any]]:
        """The first `count` replies, once that many arrived (fails after `timeout`)."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.sent) >= count, timeout):
                raise AssertionError(f"expected {count} sendMessage calls, got {self.sent}")
            return list(self.sent[:count])

    def pending(self) -> int:
        """Updates not yet confirmed by the bot."""
        with self._changed:
            return len(self._updates)

    # --- Bot API methods ------------------------------------------------------------------

    def _get_updates(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), 5.0)
        with self._changed:
            if self.fail_get_updates > 0:
                self.fail_get_updates -= 1
                return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._changed.wait_for(lambda: bool(self._updates), wait)
            return 200, {"ok": True, "result": list(self._updates)}

    def _send_message(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._changed:
            self.sent.append(params)
            self._next_message_id += 1
            self._changed.notify_all()
            message = {
                "message_id": self._next_message_id,
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "text": params["text"],
            }
            return 200, {"ok": True, "result": message}

    def _dispatch(self, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.paths.append(path)
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        method = path.removeprefix(prefix)
        if method == "getMe":
            me = {"id": 42, "is_bot": True, "first_name": "StatusMonitor", "username": "sm_bot"}
            return 200, {"ok": True, "result": me}
        if method == "getUpdates":
            return self._get_updates(params)
        if method == "sendMessage":
            return self._send_message(params)
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                status, body = api._dispatch(self.path, _params(self, self.rfile.read(length)))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

            def log_message(self, *_: Any) -> None:
                pass

        return Handler


def _params(handler: BaseHTTPRequestHandler, raw: bytes) -> dict[str, Any]:
    """PTB posts url-encoded forms; accept JSON bodies as well."""
    if "json" in (handler.headers.get("Content-Type") or ""):
        parsed: dict[str, Any] = json.loads(raw or b"{}")
        return parsed
    return {k: v[-1] for k, v in urllib.parse.parse_qs(raw.decode()).items()}
