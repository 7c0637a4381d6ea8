"""E-mail (Device Monitoring Backend): a multipart/alternative message (plain text + HTML) over
SMTP.

The SMTP_* settings are the defaults; a channel may name its own server. The global SMTP
username and password are only ever sent to the global SMTP host: a channel pointing at
another server must bring its own credentials, so a user cannot harvest the admin's ones.

The operator's server (SMTP_HOST on SMTP_PORT) is the platform's own connection, so the
outbound guard does not apply to it (a relay on localhost is normal); any other host or port
a channel names is checked like every user-chosen destination.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import re
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import aiosmtplib
from pydantic import EmailStr, Field, SecretStr, field_validator

from alert_service.channels import _format
from alert_service.channels.base import (
    Channel,
    ChannelConfig,
    DeliveryError,
    SendContext,
    register,
)
from alert_service.channels.outbound import resolve_and_check
from alert_service.config import AlertSettings, SmtpSecurity
from core import outbound
from core.logging import get_logger
from core.notifications import Notification

log = get_logger(__name__)

_HOST_NAME = re.compile(
    r"(?=.*[A-Za-z])[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_-]{1,63})*\.?"
)


class EmailConfig(ChannelConfig):
    to: list[EmailStr] = Field(min_length=1, max_length=20)
    host: str | None = Field(default=None, min_length=1, max_length=253)
    port: int | None = Field(default=None, gt=0, lt=65536)
    username: str | None = Field(default=None, max_length=256)
    password: SecretStr | None = None
    security: SmtpSecurity | None = None
    from_address: str | None = Field(default=None, max_length=320)

    @field_validator("host")
    @classmethod
    def _host(cls, value: str | None) -> str | None:
        if value is None or _HOST_NAME.fullmatch(value):
            return value
        try:
            return str(ipaddress.ip_address(value.strip("[]")))
        except ValueError:
            raise ValueError(
                "host must be a host name or IP address, without scheme or port"
            ) from None

    @field_validator("from_address")
    @classmethod
    def _from(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if "\r" in value or "\n" in value or "@" not in parseaddr(value)[1]:
            raise ValueError("from_address must be an address, e.g. Alerts <alerts@example.com>")
        return value


class _Server:
    """Where and how one message is sent: the channel's settings over SMTP_*."""

    def __init__(self, config: EmailConfig, settings: AlertSettings) -> None:
        self.host = config.host or settings.smtp_host
        own_server = config.host is None or config.host == settings.smtp_host
        self.security: SmtpSecurity = config.security or settings.smtp_security
        default_port = {"tls": 465, "starttls": 587, "none": 25}[self.security]
        self.port = config.port or (settings.smtp_port if own_server else default_port)
        password = config.password or (settings.smtp_password if own_server else None)
        username = config.username or (settings.smtp_username if own_server else None)
        # Logging in needs both; half a pair means the server takes mail without a login.
        self.login = (username, password.get_secret_value()) if username and password else None
        self.sender = config.from_address or settings.smtp_from
        # Exactly where the operator pointed SMTP_*: another port on that host is the user's.
        self.platform_relay = own_server and self.port == settings.smtp_port


def build_message(note: Notification, sender: str, to: list[str]) -> EmailMessage:
    msg = EmailMessage()
    # Header values cannot carry line breaks (header injection); titles are one line anyway.
    msg["Subject"] = " ".join(note.title.split())
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="statusmonitor")
    msg["X-StatusMonitor-Event"] = note.kind
    msg.set_content(_format.plain_body(note) + "\n")
    msg.add_alternative(_format.html_body(note), subtype="html")
    return msg


def _smtp_error(exc: Exception, host: str) -> DeliveryError:
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return DeliveryError(
            f"SMTP server {host} refused the login: {exc.message}", retryable=False
        )
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [e.code for e in exc.recipients]
        refused = ", ".join(f"{e.recipient} ({e.code} {e.message})" for e in exc.recipients)
        return DeliveryError(
            f"SMTP server {host} refused the recipients: {refused}",
            retryable=all(400 <= c < 500 for c in codes),
        )
    if isinstance(exc, aiosmtplib.SMTPNotSupported) or type(exc) is aiosmtplib.SMTPException:
        # aiosmtplib's own refusals: no STARTTLS, no AUTH... the server will not change.
        return DeliveryError(
            f"SMTP server {host}: {exc} (check the channel's security and login settings)",
            retryable=False,
        )
    if isinstance(exc, aiosmtplib.SMTPResponseException) and not isinstance(
        exc, aiosmtplib.SMTPConnectError
    ):
        # 4xx is "try again later" in SMTP; 5xx is final.
        return DeliveryError(
            f"SMTP server {host} answered {exc.code} {exc.message}", retryable=exc.code < 500
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return DeliveryError(
            f"SMTP server {host} has an untrusted certificate: {exc.verify_message}",
            retryable=False,
        )
    if isinstance(exc, aiosmtplib.SMTPTimeoutError | TimeoutError):
        return DeliveryError(f"SMTP server {host} timed out", retryable=True)
    return DeliveryError(f"could not send through SMTP server {host}: {exc}", retryable=True)


@register
class EmailChannel(Channel):
    type = "email"
    label = "E-mail"
    Config = EmailConfig

    async def send(self, config: EmailConfig, note: Notification, ctx: SendContext) -> None:
        server = _Server(config, ctx.settings)
        if not server.host:
            raise DeliveryError(
                "no SMTP server: set SMTP_HOST or the channel's host", retryable=False
            )
        connect_to = server.host
        if not server.platform_relay:
            addresses = await resolve_and_check(
                server.host, server.port, ctx.settings.outbound_allow_private
            )
            # Without TLS nothing verifies the server, so connect to the address just checked
            # (DNS rebinding); with TLS the certificate must match the name, so keep it.
            connect_to = addresses[0] if server.security == "none" else server.host
        recipients = [str(a) for a in config.to]
        message = build_message(note, server.sender, recipients)
        timeout = ctx.settings.delivery_timeout_seconds
        lift = outbound.trusted() if server.platform_relay else contextlib.nullcontext()
        try:
            # aiosmtplib's timeout is per command; the whole conversation gets one budget.
            async with asyncio.timeout(timeout):
                with lift:
                    await aiosmtplib.send(
                        message,
                        hostname=connect_to,
                        port=server.port,
                        username=server.login[0] if server.login else None,
                        password=server.login[1] if server.login else None,
                        use_tls=server.security == "tls",
                        start_tls=server.security == "starttls",
                        timeout=timeout,
                    )
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise _smtp_error(exc, server.host) from exc
        log.info("e-mail sent", host=server.host, recipients=len(recipients), key=note.key)
