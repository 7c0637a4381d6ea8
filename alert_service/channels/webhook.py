"""Generic webhook: the notification as JSON, POSTed to a URL of the user's choice.

The body is the notification itself (key, org_id, channel_id, kind, severity, title, text,
fields, link, alert_id, created). Headers sent with it:

* ``Content-Type: application/json``
* ``X-StatusMonitor-Event``: the kind (firing, reminder, resolved, test, summary)
* ``X-StatusMonitor-Delivery``: the event key; the same key may arrive again after a retry,
  so receivers should treat it as an idempotency key
* with a secret: ``X-StatusMonitor-Timestamp`` (unix seconds) and
  ``X-StatusMonitor-Signature: sha256=<hex>``

Verifying the signature (receivers should also refuse timestamps older than ~5 minutes, so a
captured request cannot be replayed later)::

    signed = timestamp.encode() + b"." + raw_body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    ok = hmac.compare_digest(expected, request.headers["X-StatusMonitor-Signature"])

Custom headers are sent as configured; they cannot replace Host, Content-Length or the
X-StatusMonitor-* headers. `headers` are shown by the API; credentials the receiver wants
(``Authorization: Bearer …``, an API key) belong in `secret_headers`, one ``Name: value`` per
line, which is stored encrypted and never shown, like `secret`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from typing import Any, ClassVar
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

from pydantic import Field, SecretStr, field_validator

from alert_service.channels.base import (
    Channel,
    ChannelConfig,
    SendContext,
    register,
)
from alert_service.channels.outbound import post
from core import outbound
from core.notifications import Notification, encode_notification

# RFC 9110 token characters: anything else in a header name is refused by the server anyway.
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}")
_RESERVED = {"host", "content-length", "content-type", "transfer-encoding", "connection"}
_OURS = "x-statusmonitor-"
_MAX_VALUE = 1000
MASK = "***"


class WebhookConfig(ChannelConfig):
    url: str = Field(max_length=2048)
    headers: dict[str, str] = Field(default_factory=dict, max_length=20)
    secret: SecretStr | None = Field(default=None, min_length=8, max_length=256)
    secret_headers: SecretStr | None = Field(default=None, max_length=20_000)
    multiline_fields: ClassVar[frozenset[str]] = frozenset({"secret_headers"})

    @classmethod
    def redacted(cls, public: dict[str, Any]) -> dict[str, Any]:
        headers = public.get("headers") or {}
        return {
            **public,
            "url": mask_url(str(public.get("url", ""))),
            "headers": dict.fromkeys(headers, MASK),
        }

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return outbound.validate_http_url(value)

    @field_validator("headers")
    @classmethod
    def _headers(cls, value: dict[str, str]) -> dict[str, str]:
        for name, header_value in value.items():
            _check_header(name, header_value)
        return value

    @field_validator("secret_headers")
    @classmethod
    def _secret_headers(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            parse_header_lines(value.get_secret_value())
        return value


def mask_url(url: str) -> str:
    """`url` with its password, query values and fragment masked; scheme, host and path
    kept, so a reader still sees where notifications go."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        netloc = f"{parts.username or ''}:{MASK}@{netloc.rpartition('@')[2]}"
    query = "&".join(
        f"{quote(name)}={MASK}" for name, _ in parse_qsl(parts.query, keep_blank_values=True)
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, MASK if parts.fragment else ""))


def parse_header_lines(text: str) -> dict[str, str]:
    """`Name: value` lines (blank lines ignored); errors name the header, never its value."""
    headers = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon:
            raise ValueError("secret_headers: write one 'Name: value' per line")
        _check_header(name.strip(), value.strip())
        headers[name.strip()] = value.strip()
    if len(headers) > 20:
        raise ValueError("secret_headers: at most 20 headers")
    return headers


def _check_header(name: str, value: str) -> None:
    if not _HEADER_NAME.fullmatch(name):
        raise ValueError(f"header name {name[:100]!r} is not a valid HTTP header name")
    if name.lower() in _RESERVED or name.lower().startswith(_OURS):
        raise ValueError(f"header {name} is set by StatusMonitor and cannot be configured")
    if len(value) > _MAX_VALUE or any(c in value for c in "\r\n\0"):
        raise ValueError(f"header {name} value must be one line of at most {_MAX_VALUE} characters")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    signed = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def build_headers(config: WebhookConfig, note: Notification, body: bytes) -> dict[str, str]:
    hidden = config.secret_headers.get_secret_value() if config.secret_headers else ""
    headers = {
        **config.headers,
        **parse_header_lines(hidden),
        "Content-Type": "application/json",
        "X-StatusMonitor-Event": note.kind,
        "X-StatusMonitor-Delivery": note.key,
    }
    if config.secret is not None:
        timestamp = str(int(time.time()))
        headers["X-StatusMonitor-Timestamp"] = timestamp
        headers["X-StatusMonitor-Signature"] = sign(
            config.secret.get_secret_value(), timestamp, body
        )
    return headers


@register
class WebhookChannel(Channel):
    type = "webhook"
    label = "Webhook"
    Config = WebhookConfig

    async def send(self, config: WebhookConfig, note: Notification, ctx: SendContext) -> None:
        body = encode_notification(note)
        await post(
            ctx,
            config.url,
            target=f"webhook {urlsplit(config.url).hostname}",
            content=body,
            headers=build_headers(config, note, body),
            secrets=[
                config.secret.get_secret_value() if config.secret else None,
                *parse_header_lines(
                    config.secret_headers.get_secret_value() if config.secret_headers else ""
                ).values(),
            ],
        )
