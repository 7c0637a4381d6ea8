"""Local stand-ins for the services channels talk to: an HTTP recorder (Slack, Discord,
webhooks, Apprise), a fake Telegram Bot API, and an SMTP server; plus the send context."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from alert_service.channels.base import SendContext
from alert_service.channels.outbound import create_outbound_client
from alert_service.config import AlertSettings
from core.dev.datastores import free_port
from core.notifications import Notification
from core.outbound import platform_stores
from core.settings import Settings
from harness.http_recorder import Recorded, Recorder, Reply, http_recorder


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    with http_recorder() as rec:
        yield rec


def _telegram_reply(mode: dict[str, str]) -> Callable[[Recorded], Reply]:
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

    def reply(got: Recorded) -> Reply:
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
        return self.recorder.url()

    def answer(self, mode: str) -> None:
        """ "ok", "forbidden", "chat_not_found", "server_error" or "retry_after"."""
        self.mode["answer"] = mode


@pytest.fixture
def telegram_api(recorder: Recorder) -> TelegramApi:
    mode = {"answer": "ok"}
    recorder.respond = _telegram_reply(mode)
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
async def make_ctx(base_settings: Settings) -> AsyncIterator[ContextFactory]:
    """SendContext(settings, guarded client, the test's stores) built from AlertSettings
    overrides."""
    clients = []

    def make(**overrides: Any) -> SendContext:
        settings = alert_settings(**overrides)
        client = create_outbound_client(settings)
        clients.append(client)
        return SendContext(settings, client, platform_stores(base_settings))

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
