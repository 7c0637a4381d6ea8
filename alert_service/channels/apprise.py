"""Apprise: one URL reaching any of the ~100 services Apprise supports (ntfy, Gotify,
Pushover, Matrix, Teams...). See https://github.com/caronc/apprise/wiki for URL formats.

Apprise URLs embed credentials, so the URL is a secret. Apprise is synchronous and uses its
own network code (requests, smtplib, raw TCP for IRC, UDP for rsyslog...), so it runs in a
thread with its socket timeouts set from ALERT_DELIVERY_TIMEOUT_SECONDS.

SSRF: asyncio.to_thread copies the delivery's context into that thread, so the outbound
guard (core/outbound.py) checks every socket any plugin opens or sends from, TCP or UDP. We
call the one plugin's notify() directly, which sends sequentially in that thread (the Apprise
object's parallel sending is not used). Plugins the guard cannot check are not offered
(`_UNCHECKABLE`): desktop and local-syslog ones (no network socket), and XMPP and MQTT,
which network from threads of their own. For the common self-hosted schemes
(`_SELF_HOSTED`) the host is also checked before sending, which gives the clearest error.
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
from alert_service.channels.outbound import resolve_and_check
from core import outbound
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

# Plugin modules (apprise.plugins.<name>) whose sending the outbound guard cannot see: local
# desktop notifications and syslog (no network socket), USB lights, and those that network
# from threads of their own, which do not inherit the guard (XMPP; MQTT's paho loop).
_UNCHECKABLE = {
    "blink1", "dbus", "glib", "gnome", "macosx", "windows", "syslog", "xmpp", "mqtt",
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


def _plugin_module(plugin: Any) -> str:
    return type(plugin).__module__.removeprefix("apprise.plugins.").split(".")[0]


class AppriseConfig(ChannelConfig):
    url: SecretStr

    @field_validator("url")
    @classmethod
    def _url(cls, value: SecretStr) -> SecretStr:
        url = value.get_secret_value()
        # The message must not echo the URL: it holds the service's credentials.
        plugin = _instantiate(url) if len(url) <= outbound.MAX_URL_LENGTH else None
        if plugin is None:
            raise ValueError(
                "Apprise cannot use this URL: unknown scheme or missing parts"
                " (see https://github.com/caronc/apprise/wiki)"
            )
        if _plugin_module(plugin) in _UNCHECKABLE:
            raise ValueError(
                f"Apprise {_scheme(url)}:// is not offered: its connections cannot be checked"
                " by the outbound guard"
            )
        host = getattr(plugin, "host", None)
        if isinstance(host, str) and host:
            outbound.refuse_forbidden_literal(host)
        return value


def _notify_type(note: Notification) -> apprise_lib.NotifyType:
    if note.kind == "resolved":
        return apprise_lib.NotifyType.SUCCESS
    return _NOTIFY_TYPE.get(note.severity, apprise_lib.NotifyType.INFO)


def _send_blocking(plugin: Any, note: Notification) -> bool:
    sent = plugin.notify(
        body=_format.plain_body(note) or note.title,
        title=note.title,
        notify_type=_notify_type(note),
    )
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
            # to_thread carries the outbound guard into the thread (contextvars).
            sent = await asyncio.wait_for(
                asyncio.to_thread(_send_blocking, plugin, note), timeout * 2 + 1
            )
        except TimeoutError as exc:
            raise DeliveryError(
                f"Apprise {scheme}:// gave no answer within {timeout * 2 + 1:g} s"
            ) from exc
        if not sent:
            raise DeliveryError(f"Apprise could not deliver to {scheme}:// (see its log)")
        log.info("apprise notification sent", scheme=scheme, key=note.key)
