"""StatusMonitor v1's Telegram recipient: the user's chat id, kept as their personal Telegram
channel.

Alerts go to the chat as soon as it is set (StatusMonitor v1's flow). Acting as the user from that
chat (/ack) needs proof that the chat is theirs: POST /recipient hands out a one-time code,
and the bot confirms the chat when the code arrives from it (`/start <code>`). Without that,
whoever's chat id was typed in (by mistake or on purpose) could acknowledge alerts.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import NotificationChannel, utcnow

TELEGRAM = "telegram"
# No 0/O or 1/I: the code is read off a screen and typed on a phone.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


@dataclass(frozen=True)
class RecipientState:
    chat_id: str | None
    confirmed: bool
    # Only right after it is issued: stored as a hash, it cannot be shown again.
    confirm_code: str | None = None


def personal_channels_of_chat(chat_id: int) -> ColumnElement[bool]:
    """The users' Telegram recipients (not shared channels) that name this chat."""
    return and_(
        NotificationChannel.type == TELEGRAM,
        NotificationChannel.user_id.is_not(None),
        NotificationChannel.config["chat_id"].astext == str(chat_id),
    )


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


async def _personal_channel(
    session: AsyncSession, org_id: int, user_id: int
) -> NotificationChannel | None:
    channel: NotificationChannel | None = await session.scalar(
        select(NotificationChannel).where(
            NotificationChannel.org_id == org_id,
            NotificationChannel.user_id == user_id,
            NotificationChannel.type == TELEGRAM,
        )
    )
    return channel


async def get_recipient(session: AsyncSession, org_id: int, user_id: int) -> RecipientState:
    channel = await _personal_channel(session, org_id, user_id)
    if channel is None:
        return RecipientState(None, False)
    return RecipientState(str(channel.config.get("chat_id")), channel.confirmed_at is not None)


async def set_chat_id(
    session: AsyncSession, org_id: int, user_id: int, username: str, chat_id: str
) -> RecipientState:
    """Stores the chat; a new or changed chat starts unconfirmed with a fresh code."""
    channel = await _personal_channel(session, org_id, user_id)
    if channel is None:
        channel = NotificationChannel(
            org_id=org_id, user_id=user_id, type=TELEGRAM, name=f"Telegram ({username})"
        )
        session.add(channel)
    elif channel.config.get("chat_id") == chat_id and channel.confirmed_at is not None:
        return RecipientState(chat_id, True)
    channel.config = {"chat_id": chat_id}
    channel.confirmed_at = None
    code = _new_code()
    channel.confirm_code_hash = code_hash(code)
    await session.flush()
    return RecipientState(chat_id, False, code)


async def confirm_chat(session: AsyncSession, chat_id: int, code: str) -> list[NotificationChannel]:
    """Confirms the personal channels of this chat that are waiting for this code."""
    channels = list(
        await session.scalars(
            select(NotificationChannel).where(
                personal_channels_of_chat(chat_id),
                NotificationChannel.confirm_code_hash == code_hash(code),
            )
        )
    )
    for channel in channels:
        channel.confirmed_at = utcnow()
        channel.confirm_code_hash = None
    await session.flush()
    return channels
