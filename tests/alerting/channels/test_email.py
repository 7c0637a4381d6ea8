"""E-mail through a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
from email.message import Message

import pytest
from pydantic import ValidationError

from alert_service.channels import deliver, get_channel
from alert_service.channels.base import DeliveryError
from alert_service.channels.email import EmailConfig
from core.dev.datastores import free_port
from tests.alerting.channels.conftest import (
    SMTP_PASSWORD,
    SMTP_USER,
    ContextFactory,
    SmtpServer,
    make_note,
)

mailer = get_channel("email")


def _parts(data: bytes) -> dict[str, str]:
    message = email.message_from_bytes(data)
    parts: dict[str, str] = {}
    for part in message.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            parts[part.get_content_type()] = payload.decode(part.get_content_charset() or "utf-8")
    return parts


def _headers(data: bytes) -> Message:
    return email.message_from_bytes(data)


async def test_sends_text_and_html_to_every_recipient(
    smtp_server: SmtpServer, make_ctx: ContextFactory
) -> None:
    ctx = make_ctx(
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        smtp_security="none",
        smtp_from="Alerts <alerts@example.com>",
    )
    note = make_note(fields={"host": "<db-1>", "value": "97.5", "threshold": "90"})
    config = EmailConfig(to=["ops@example.com", "oncall@example.org"])
    await mailer.send(config, note, ctx)
    [mail] = smtp_server.handler.mails
    assert mail.rcpt_tos == ["ops@example.com", "oncall@example.org"]
    assert mail.mail_from == "alerts@example.com"
    headers = _headers(mail.data)
    assert headers["Subject"] == "[CRITICAL] cpu > 90 on web-1"
    assert headers["To"] == "ops@example.com, oncall@example.org"
    assert headers.get_content_type() == "multipart/alternative"
    parts = _parts(mail.data)
    assert "Host: <db-1>" in parts["text/plain"] and "Value: 97.5" in parts["text/plain"]
    assert "http://localhost:8080/alerts/17" in parts["text/plain"]
    # The HTML part escapes what the user controls.
    assert "&lt;db-1&gt;" in parts["text/html"] and "<db-1>" not in parts["text/html"]
    assert "97.5" in parts["text/html"]


async def test_logs_in_with_the_global_credentials(
    smtp_server: SmtpServer, make_ctx: ContextFactory
) -> None:
    ctx = make_ctx(
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        smtp_security="none",
        smtp_username=SMTP_USER,
        smtp_password=SMTP_PASSWORD,
    )
    await mailer.send(EmailConfig(to=["ops@example.com"]), make_note(), ctx)
    assert [m.login for m in smtp_server.handler.mails] == [SMTP_USER]


async def test_global_credentials_never_go_to_a_channels_own_server(
    smtp_server: SmtpServer, make_ctx: ContextFactory
) -> None:
    # The admin's relay is elsewhere; a user's channel names its own server.
    ctx = make_ctx(
        smtp_host="relay.internal.example", smtp_username=SMTP_USER, smtp_password=SMTP_PASSWORD
    )
    config = EmailConfig(
        to=["ops@example.com"], host="127.0.0.1", port=smtp_server.port, security="none"
    )
    await mailer.send(config, make_note(), ctx)
    assert [m.login for m in smtp_server.handler.mails] == [None]


async def test_wrong_password_is_not_retryable_and_not_revealed(
    smtp_server: SmtpServer, make_ctx: ContextFactory
) -> None:
    config = EmailConfig(
        to=["ops@example.com"],
        host="127.0.0.1",
        port=smtp_server.port,
        security="none",
        username=SMTP_USER,
        password="wrong-pass-456",
    )
    with pytest.raises(DeliveryError) as failed:
        await mailer.send(config, make_note(), make_ctx())
    assert not failed.value.retryable and "refused the login" in failed.value.reason
    assert "wrong-pass-456" not in failed.value.reason
    assert smtp_server.handler.mails == []


async def test_refused_recipient_is_not_retryable(
    smtp_server: SmtpServer, make_ctx: ContextFactory
) -> None:
    config = EmailConfig(
        to=["nobody@example.com"], host="127.0.0.1", port=smtp_server.port, security="none"
    )
    with pytest.raises(DeliveryError) as failed:
        await mailer.send(config, make_note(), make_ctx())
    assert not failed.value.retryable and "nobody@example.com" in failed.value.reason


async def test_starttls_required_but_not_offered_is_a_configuration_error(
    smtp_server: SmtpServer, make_ctx: ContextFactory
) -> None:
    config = EmailConfig(
        to=["ops@example.com"], host="127.0.0.1", port=smtp_server.port, security="starttls"
    )
    with pytest.raises(DeliveryError) as failed:
        await mailer.send(config, make_note(), make_ctx())
    assert not failed.value.retryable and "security" in failed.value.reason
    assert smtp_server.handler.mails == []


async def test_server_down_is_retryable(make_ctx: ContextFactory) -> None:
    config = EmailConfig(
        to=["ops@example.com"], host="127.0.0.1", port=free_port(), security="none"
    )
    with pytest.raises(DeliveryError) as failed:
        await mailer.send(config, make_note(), make_ctx())
    assert failed.value.retryable


async def test_no_smtp_server_anywhere(make_ctx: ContextFactory) -> None:
    with pytest.raises(DeliveryError) as failed:
        await mailer.send(EmailConfig(to=["ops@example.com"]), make_note(), make_ctx())
    assert not failed.value.retryable and "SMTP_HOST" in failed.value.reason


async def test_internal_server_needs_the_admin_switch(
    smtp_server: SmtpServer, make_ctx: ContextFactory
) -> None:
    config = EmailConfig(
        to=["ops@example.com"], host="localhost", port=smtp_server.port, security="none"
    )
    with pytest.raises(DeliveryError) as failed:
        await mailer.send(config, make_note(), make_ctx(outbound_allow_private=False))
    assert not failed.value.retryable and "loopback" in failed.value.reason
    assert smtp_server.handler.mails == []
    meta = EmailConfig(to=["ops@example.com"], host="169.254.169.254", security="none")
    with pytest.raises(DeliveryError, match="link-local"):
        await mailer.send(meta, make_note(), make_ctx(outbound_allow_private=True))


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"to": []}, "to"),
        ({"to": ["not-an-address"]}, "to"),
        ({"to": [f"u{i}@example.com" for i in range(21)]}, "to"),
        ({"to": ["a@example.com"], "host": "smtp://mail.example.com"}, "host"),
        ({"to": ["a@example.com"], "security": "ssl"}, "security"),
        ({"to": ["a@example.com"], "from_address": "x\r\nBcc: evil@example.com"}, "from_address"),
        ({"to": ["a@example.com"], "cc": ["b@example.com"]}, "cc"),
    ],
)
def test_bad_config_names_the_field(config: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as invalid:
        EmailConfig.model_validate(config)
    assert field in {str(e["loc"][0]) for e in invalid.value.errors()}


async def test_the_operators_relay_is_not_guarded_but_its_other_ports_are(
    smtp_server: SmtpServer, make_ctx: ContextFactory
) -> None:
    """SMTP_HOST on SMTP_PORT is the platform's own connection: a relay on localhost works with
    private targets refused. Another port on that host is the user's choice, and checked."""
    ctx = make_ctx(
        outbound_allow_private=False,
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        smtp_security="none",
    )
    await deliver(mailer, EmailConfig(to=["ops@example.com"]), make_note(), ctx)
    assert len(smtp_server.handler.mails) == 1
    elsewhere = EmailConfig(to=["ops@example.com"], port=free_port())
    with pytest.raises(DeliveryError, match="loopback"):
        await deliver(mailer, elsewhere, make_note(), ctx)
