"""Telegram (StatusMonitor v1): a message from the bot to a user, a group or a channel.

The bot token comes from TELEGRAM_BOT_TOKEN unless the channel sets its own. Requests go to
`{TELEGRAM_API_URL}/bot{token}/sendMessage`; that URL is the administrator's choice (a local
Bot API server, a test double), so the outbound guard is lifted for it (outbound.trusted).

Rate limits (Bot API FAQ): about one message a second to one chat, 20 a minute to one group
or channel. Past them Telegram answers 429 with `parameters.retry_after`, which becomes
RateLimited: the delivery layer waits that long and does not count it as a failed attempt.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import timedelta
from typing import Any

from pydantic import SecretStr, field_validator
from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from alert_service.channels import _format
from alert_service.channels.base import (
    Channel,
    ChannelConfig,
    DeliveryError,
    RateLimited,
    SendContext,
    register,
)
from alert_service.channels.outbound import redact
from core import outbound
from core.logging import get_logger
from core.notifications import Notification

log = get_logger(__name__)

# python-telegram-bot logs the API URL, token included, at DEBUG.
logging.getLogger("telegram").setLevel(max(logging.INFO, logging.getLogger("telegram").level))

# The same rule as StatusMonitor v1's /recipient (core/schemas/alerting.py).
_CHAT_ID = re.compile(r"-?\d{1,20}|@[A-Za-z0-9_]{5,32}")
_MAX_MESSAGE = 4096
_MAX_FIELD = 300


class TelegramConfig(ChannelConfig):
    # A user id, a negative group id, or @channelname.
    chat_id: str
    bot_token: SecretStr | None = None

    @field_validator("chat_id")
    @classmethod
    def _chat_id(cls, value: str) -> str:
        if not _CHAT_ID.fullmatch(value):
            raise ValueError("chat_id must be a numeric chat id (negative for groups) or @channel")
        return value

    @field_validator("bot_token")
    @classmethod
    def _token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(r"\d+:[\w-]+", value.get_secret_value()):
            raise ValueError("bot_token must look like 123456789:ABCdef... (from @BotFather)")
        return value


def render(note: Notification) -> str:
    """The message in Telegram's HTML subset, every user-supplied value escaped."""
    lines = [f"{_format.emoji(note)} <b>{html.escape(note.title)}</b>", ""]
    rows = _format.details(note)
    if rows:
        # Capped so a huge value cannot push the message past Telegram's 4096 characters.
        lines += [
            f"<b>{html.escape(k)}:</b> {html.escape(_format.truncate(v, _MAX_FIELD))}"
            for k, v in rows
        ]
    else:
        lines.append(html.escape(_format.truncate(note.text, _MAX_MESSAGE - 500)))
    if note.link:
        lines += ["", f'<a href="{html.escape(note.link, quote=True)}">Open in StatusMonitor</a>']
    return "\n".join(lines)


def retry_after_seconds(exc: RetryAfter) -> float:
    """RetryAfter.retry_after is seconds (int) or a timedelta, depending on PTB's settings."""
    delay: Any = exc.retry_after
    return delay.total_seconds() if isinstance(delay, timedelta) else float(delay)


def _delivery_error(exc: TelegramError, token: str) -> DeliveryError:
    reason = redact(f"Telegram: {exc.message}", [token])
    if isinstance(exc, RetryAfter):
        return RateLimited(reason, retry_after_seconds(exc))
    if isinstance(exc, TimedOut):
        return DeliveryError(reason, retryable=True)
    if isinstance(exc, Forbidden | BadRequest | InvalidToken | ChatMigrated):
        # Blocked bot, unknown chat, wrong token, group moved: a retry cannot fix these.
        return DeliveryError(reason, retryable=False)
    if isinstance(exc, NetworkError):
        return DeliveryError(reason, retryable=True)
    return DeliveryError(reason, retryable=False)


@register
class TelegramChannel(Channel):
    type = "telegram"
    label = "Telegram"
    Config = TelegramConfig
    min_interval = 1.0
    GROUP_INTERVAL = 3.0  # 20 messages a minute to one group or channel

    def pace(self, config: TelegramConfig) -> float:
        # Groups have negative ids; channels are addressed as @name.
        group = config.chat_id.startswith(("-", "@"))
        return self.GROUP_INTERVAL if group else self.min_interval

    async def send(self, config: TelegramConfig, note: Notification, ctx: SendContext) -> None:
        secret = config.bot_token or ctx.settings.telegram_bot_token
        token = secret.get_secret_value() if secret else ""
        if not token:
            raise DeliveryError("no Telegram bot token: set TELEGRAM_BOT_TOKEN", retryable=False)
        timeout = ctx.settings.delivery_timeout_seconds
        # One short-lived HTTP client per message, always closed: nothing leaks when tokens
        # change, and alert volumes are far below what would make connection reuse matter.
        request = HTTPXRequest(
            connection_pool_size=1,
            connect_timeout=timeout,
            read_timeout=timeout,
            write_timeout=timeout,
            pool_timeout=timeout,
        )
        base_url = ctx.settings.telegram_bot_base_url
        bot = Bot(token, base_url=base_url, request=request, get_updates_request=request)
        try:
            with outbound.trusted():
                await bot.send_message(
                    chat_id=config.chat_id,
                    text=render(note),
                    parse_mode=ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )
        except TelegramError as exc:
            raise _delivery_error(exc, token) from exc
        finally:
            await request.shutdown()
        log.info("telegram message sent", chat_id=config.chat_id, key=note.key)
