"""Seed 001's Telegram recipient: the user's chat id, kept as their personal Telegram channel."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import NotificationChannel

TELEGRAM = "telegram"


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


async def get_chat_id(session: AsyncSession, org_id: int, user_id: int) -> str | None:
    channel = await _personal_channel(session, org_id, user_id)
    return None if channel is None else str(channel.config.get("chat_id"))


async def set_chat_id(
    session: AsyncSession, org_id: int, user_id: int, username: str, chat_id: str
) -> str:
    channel = await _personal_channel(session, org_id, user_id)
    if channel is None:
        channel = NotificationChannel(
            org_id=org_id, user_id=user_id, type=TELEGRAM, name=f"Telegram ({username})"
        )
        session.add(channel)
    channel.config = {"chat_id": chat_id}
    await session.flush()
    return chat_id
