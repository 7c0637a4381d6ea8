"""The one small interface every notification channel implements, and their registry.

A channel is one file in this package: a `Channel` subclass with a `type`, a pydantic
`Config` (fields typed `SecretStr` are secrets: stored encrypted, never returned by the API)
and `send()`, decorated with `@register`. The package imports every module in it, so adding a
channel touches no other file.

Rate limits: `min_interval` (or `pace()` when it depends on the config) is the least time
between two messages to one channel, which the delivery layer keeps for every channel type;
`send()` raises RateLimited when the service answers "too many requests, retry after N s"
(that wait is honoured and is not a failed attempt), and may return how long the service
asked to be left alone after a success (e.g. Discord's X-RateLimit-Reset-After).
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict

from alert_service.config import AlertSettings
from core import outbound
from core.notifications import Notification
from core.typed_config import secret_fields as secret_fields


class DeliveryError(Exception):
    """The channel could not deliver. `retryable=False` for errors a retry cannot fix
    (bad configuration, the receiver refused the request for good)."""

    def __init__(self, reason: str, *, retryable: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class RateLimited(DeliveryError):
    """The service refused for now and said when to come back: the delivery layer waits
    `retry_after` seconds before sending anything more to the channel, and the attempt does
    not count against the retry limit."""

    def __init__(self, reason: str, retry_after: float) -> None:
        super().__init__(reason, retryable=True)
        self.retry_after = retry_after


class ChannelConfig(BaseModel):
    """Base of every channel's Config: unknown keys are refused with their name.

    No value may hold CR, LF or NUL (raw or percent-encoded; checked by the API for every
    type, see domain.channels), except between the lines of a field named here."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    multiline_fields: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def redacted(cls, public: dict[str, Any]) -> dict[str, Any]:
        """The stored non-secret settings as members who only read see them: a type masks
        values that often carry credentials (a webhook's query string and header values)."""
        return public


@dataclass(frozen=True)
class SendContext:
    settings: AlertSettings
    # Refuses link-local/metadata targets, and private/loopback ones unless the admin
    # allowed them, before connecting (core/outbound.py); use it for every HTTP request.
    http: httpx.AsyncClient
    # The platform's own stores, refused to every channel (core.outbound.platform_stores).
    own_stores: outbound.OwnStores


class Channel(ABC):
    type: ClassVar[str]  # "telegram", "email", ... stored in notification_channels.type
    label: ClassVar[str]  # shown to users, e.g. "Telegram"
    Config: ClassVar[builtins.type[ChannelConfig]]
    # Seconds between two messages to one channel of this type (its service's rate limit).
    min_interval: ClassVar[float] = 0.0

    def pace(self, config: Any) -> float:
        """Seconds to leave between two messages to this destination (see min_interval)."""
        return self.min_interval

    @abstractmethod
    async def send(self, config: Any, note: Notification, ctx: SendContext) -> float | None:
        """Delivers `note` (config is an instance of `Config`); raises DeliveryError, or
        RateLimited. May return seconds the service wants before the next message."""


async def deliver(
    channel: Channel, config: ChannelConfig, note: Notification, ctx: SendContext
) -> float | None:
    """channel.send under the outbound guard (core.outbound.guarded): whatever library the
    channel uses, every connection it makes is checked at the socket. A refused connection
    is the reason the delivery failed, whatever the library made of it (Apprise plugins
    swallow errors, or retry another address and succeed). Returns what send returned: the
    pause the service asked for."""
    try:
        with outbound.guarded(ctx.settings.outbound_allow_private, ctx.own_stores) as guard:
            try:
                pause = await channel.send(config, note, ctx)
            except Exception as exc:
                if guard.refused:
                    raise DeliveryError(guard.refused, retryable=False) from exc
                raise
    except outbound.OutboundRefused as exc:  # the guard cannot run here (uvloop)
        raise DeliveryError(exc.reason, retryable=False) from exc
    if guard.refused:
        raise DeliveryError(guard.refused, retryable=False)
    return pause


CHANNELS: dict[str, Channel] = {}

C = TypeVar("C", bound=type[Channel])


def register(cls: C) -> C:
    if cls.type in CHANNELS:
        raise RuntimeError(f"two channels register the type {cls.type!r}")
    CHANNELS[cls.type] = cls()
    return cls


def get_channel(type_: str) -> Channel:
    """The channel implementing `type_`; KeyError when none does."""
    return CHANNELS[type_]
