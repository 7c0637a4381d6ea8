"""Apprise: one URL reaching any of the ~100 services Apprise supports (ntfy, Gotify,
Pushover, Matrix, Teams...). See https://github.com/caronc/apprise/wiki for URL formats.

Apprise URLs embed credentials, so the URL is a secret. Apprise is synchronous and uses its
own HTTP stack (requests), so it runs in a thread with its socket timeouts set from
ALERT_DELIVERY_TIMEOUT_SECONDS.

SSRF: Apprise's thread runs under outbound.guard_this_thread, so every address any plugin
connects to (HTTP, SMTP, MQTT...) passes the same check as webhooks, at connection time. For
the common self-hosted schemes (`_SELF_HOSTED`) the host is also checked before sending, which
gives the clearest error.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import apprise as apprise_lib
from pydantic import SecretStr, field_validator

from alert_service.channels import _format
from alert_service.channels.base import (
    Channel,
    ChannelConfig,
    DeliveryError,
    SendContext,
    register,
)
from alert_service.channels.outbound import guard_this_thread, resolve_and_check
from core.logging import get_logger
from core.notifications import Notification

log = get_logger(__name__)


class _NoUrlEcho(logging.Filter):
    """Drops Apprise's "Unparseable URL <url>" lines: its masking leaves passwords and tokens
    readable in some URLs, and the API already tells the user what is wrong."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(("Unparseable", "Unsupported URL"))


logging.getLogger("apprise").addFilter(_NoUrlEcho())

# Schemes whose host is the server notifications are sent to, chosen by the user.
_SELF_HOSTED = {
    "json", "jsons", "xml", "xmls", "form", "forms",
    "apprise", "apprises", "gotify", "gotifys", "mmost", "mmosts", "rocket", "rockets",
    "ncloud", "nclouds", "nctalk", "nctalks", "ntfy", "ntfys",
}  # fmt: skip

_NOTIFY_TYPE = {
    "critical": apprise_lib.NotifyType.FAILURE,
    "warning": apprise_lib.NotifyType.WARNING,
    "info": apprise_lib.NotifyType.INFO,
}


def _instantiate(url: str) -> Any:
    """The Apprise plugin for `url`, or None when Apprise cannot parse it."""
    return apprise_lib.Apprise.instantiate(url, suppress_exceptions=True)


def _scheme(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else ""


class AppriseConfig(ChannelConfig):
    url: SecretStr

    @field_validator("url")
    @classmethod
    def _url(cls, value: SecretStr) -> SecretStr:
        url = value.get_secret_value()
        # The message must not echo the URL: it holds the service's credentials.
        if len(url) > 2048 or _instantiate(url) is None:
            raise ValueError(
                "Apprise cannot use this URL: unknown scheme or missing parts"
                " (see https://github.com/caronc/apprise/wiki)"
            )
        return value


def _notify_type(note: Notification) -> apprise_lib.NotifyType:
    if note.kind == "resolved":
        return apprise_lib.NotifyType.SUCCESS
    return _NOTIFY_TYPE.get(note.severity, apprise_lib.NotifyType.INFO)


def _send_blocking(plugin: Any, note: Notification, allow_private: bool) -> bool:
    with guard_this_thread(allow_private) as refused:
        sent = plugin.notify(
            body=_format.plain_body(note) or note.title,
            title=note.title,
            notify_type=_notify_type(note),
        )
    if refused():
        raise DeliveryError(str(refused()), retryable=False)
    return bool(sent)


async def _check_host(plugin: Any, url: str, allow_private: bool) -> None:
    host = getattr(plugin, "host", None)
    if _scheme(url) not in _SELF_HOSTED or not isinstance(host, str) or not host:
        return
    secure = bool(getattr(plugin, "secure", False))
    port = getattr(plugin, "port", None) or (443 if secure else 80)
    await resolve_and_check(host, int(port), allow_private)


@register
class AppriseChannel(Channel):
    type = "apprise"
    label = "Apprise"
    Config = AppriseConfig

    async def send(self, config: AppriseConfig, note: Notification, ctx: SendContext) -> None:
        url = config.url.get_secret_value()
        scheme = _scheme(url)
        plugin = _instantiate(url)
        if plugin is None:
            raise DeliveryError(f"Apprise cannot parse the {scheme}:// URL", retryable=False)
        await _check_host(plugin, url, ctx.settings.outbound_allow_private)
        timeout = ctx.settings.delivery_timeout_seconds
        # Bounds the thread itself: wait_for alone would leave it running after giving up.
        plugin.socket_connect_timeout = timeout
        plugin.socket_read_timeout = timeout
        try:
            # Connect + read may each take `timeout`; allow both before giving up on it.
            sent = await asyncio.wait_for(
                asyncio.to_thread(
                    _send_blocking, plugin, note, ctx.settings.outbound_allow_private
                ),
                timeout * 2 + 1,
            )
        except TimeoutError as exc:
            raise DeliveryError(
                f"Apprise {scheme}:// gave no answer within {timeout * 2 + 1:g} s"
            ) from exc
        if not sent:
            raise DeliveryError(f"Apprise could not deliver to {scheme}:// (see its log)")
        log.info("apprise notification sent", scheme=scheme, key=note.key)
