"""Local stand-ins for the services channels talk to: an HTTP recorder (Slack, Discord,
webhooks, Apprise), a fake Telegram Bot API, and an SMTP server; plus the send context."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from alert_service.channels.base import SendContext
from alert_service.channels.outbound import create_outbound_client
from alert_service.config import AlertSettings
from core.dev.datastores import free_port
from core.notifications import Notification


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        """The body as python-telegram-bot sends it: form fields or a JSON object."""
        if self.headers.get("content-type", "").startswith("application/json"):
            return {k: str(v) for k, v in self.json().items()}
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


Reply = tuple[int, dict[str, str], bytes]


@dataclass
class Recorder:
    """An HTTP server recording every request; answers `status`/`body`, or what `reply`
    returns, after `delay` seconds (a hanging receiver)."""

    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/plain"})
    delay: float = 0.0
    reply: Callable[[Received], Reply] | None = None
    requests: list[Received] = field(default_factory=list)
    port: int = 0
    release: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str = "/hook", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def answer(self, got: Received) -> Reply:
        if self.delay:
            self.release.wait(self.delay)
        if self.reply is not None:
            return self.reply(got)
        return self.status, self.headers, self.body


def _handler(recorder: Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            got = Received(
                self.command,
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length),
            )
            recorder.requests.append(got)
            status, headers, body = recorder.answer(got)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    rec = Recorder()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(rec))
    server.daemon_threads = True
    rec.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield rec
    rec.release.set()
    server.shutdown()
    server.server_close()


def _telegram_reply(mode: dict[str, str]) -> Callable[[Received], Reply]:
    """Answers like the Bot API: {"ok": true, "result": Message} or the error `mode` names."""
    errors: dict[str, tuple[int, dict[str, Any]]] = {
        "forbidden": (403, {"description": "Forbidden: bot was blocked by the user"}),
        "chat_not_found": (400, {"description": "Bad Request: chat not found"}),
        "server_error": (500, {"description": "Internal Server Error"}),
        "retry_after": (
            429,
            {"description": "Too Many Requests: retry after 7", "parameters": {"retry_after": 7}},
        ),
    }

    def reply(got: Received) -> Reply:
        json_type = {"Content-Type": "application/json"}
        if mode["answer"] in errors:
            status, extra = errors[mode["answer"]]
            body = {"ok": False, "error_code": status, **extra}
            return status, json_type, json.dumps(body).encode()
        form = got.form()
        message = {
            "message_id": len(form),
            "date": 1_700_000_000,
            "chat": {"id": 1, "type": "private"},
            "text": form.get("text", ""),
        }
        return 200, json_type, json.dumps({"ok": True, "result": message}).encode()

    return reply


@dataclass
class TelegramApi:
    recorder: Recorder
    mode: dict[str, str]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.recorder.port}"

    def answer(self, mode: str) -> None:
        """ "ok", "forbidden", "chat_not_found", "server_error" or "retry_after"."""
        self.mode["answer"] = mode


@pytest.fixture
def telegram_api(recorder: Recorder) -> TelegramApi:
    mode = {"answer": "ok"}
    recorder.reply = _telegram_reply(mode)
    return TelegramApi(recorder, mode)


@dataclass
class Mail:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    login: str | None  # who logged in, None without AUTH


class MailHandler:
    """Accepts mail for anyone but nobody@...; records what arrived and who logged in."""

    def __init__(self) -> None:
        self.mails: list[Mail] = []

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        auth = session.auth_data
        login = auth.login.decode() if isinstance(auth, LoginPassword) else None
        assert envelope.mail_from is not None and envelope.content is not None
        content = envelope.content
        data = content if isinstance(content, bytes) else content.encode()
        self.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), data, login))
        return "250 Message accepted"


SMTP_USER, SMTP_PASSWORD = "alerts", "smtp-pass-123"


def _authenticator(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == SMTP_USER
        and auth_data.password.decode() == SMTP_PASSWORD
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


@dataclass
class SmtpServer:
    port: int
    handler: MailHandler


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    handler = MailHandler()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticator,
        auth_require_tls=False,
    )
    controller.start()
    yield SmtpServer(port, handler)
    controller.stop()


def alert_settings(**overrides: Any) -> AlertSettings:
    values: dict[str, Any] = {
        "outbound_allow_private": True,
        "delivery_timeout_seconds": 2,
        "telegram_bot_token": None,
        "smtp_host": None,
        "smtp_username": None,
        "smtp_password": None,
        **overrides,
    }
    return AlertSettings(**values)


ContextFactory = Callable[..., SendContext]


@pytest.fixture
async def make_ctx() -> AsyncIterator[ContextFactory]:
    """SendContext(settings, guarded client) built from AlertSettings overrides."""
    clients = []

    def make(**overrides: Any) -> SendContext:
        settings = alert_settings(**overrides)
        client = create_outbound_client(settings)
        clients.append(client)
        return SendContext(settings, client)

    yield make
    for client in clients:
        await client.aclose()


def make_note(**overrides: Any) -> Notification:
    values: dict[str, Any] = {
        "key": "alert:17:firing",
        "org_id": 3,
        "channel_id": 9,
        "kind": "firing",
        "severity": "critical",
        "title": "[CRITICAL] cpu > 90 on web-1",
        "text": "cpu is 97.5 (threshold 90) on web-1 since 12:00 UTC",
        "fields": {
            "host": "web-1",
            "metric": "cpu",
            "value": "97.5",
            "threshold": "90",
            "condition": "gt",
            "started": "2025-01-01 12:00 UTC",
            "alert_id": "17",
        },
        "link": "http://localhost:8080/alerts/17",
        "alert_id": 17,
        "created": 1_735_732_800.0,
    }
    values.update(overrides)
    return Notification(**values)
