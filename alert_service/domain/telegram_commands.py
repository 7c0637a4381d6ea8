"""What the Telegram bot answers: /start (the chat id, StatusMonitor v1's setup step), /start <code>
(confirms this chat as its owner's, see domain/recipient.py) and /ack <id> (acknowledge from
the phone, as the user whose confirmed personal Telegram channel is this chat).

No Bot API here: alert_service/telegram_bot.py polls and sends; this decides the replies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update

from alert_service.domain import alerts
from alert_service.domain.recipient import confirm_chat, personal_channels_of_chat
from core.audit import Auditor
from core.errors import Conflict, NotFound
from core.logging import get_logger
from core.models import Alert, Membership, NotificationChannel, Role, User

log = get_logger(__name__)

ACK_USAGE = "Usage: /ack <alert id> [comment], e.g. /ack 17 looking into it"
DEFAULT_ACK_COMMENT = "acknowledged from Telegram"
HELP = (
    "StatusMonitor bot commands:\n"
    "/start - show this chat's id, to set as your Telegram recipient\n"
    "/start <code> - confirm this chat with the code StatusMonitor gave you\n"
    f"{ACK_USAGE.removeprefix('Usage: ')} - acknowledge an alert: its reminders stop"
)
UNKNOWN_CHAT = (
    "This chat is not linked to a StatusMonitor user. Send /start to get its chat id and set "
    "it as your Telegram recipient in StatusMonitor first."
)
UNCONFIRMED_CHAT = (
    "This chat is set as a Telegram recipient but not confirmed yet. Send /start <code> with "
    "the code StatusMonitor showed when the chat id was set (set it again for a new code)."
)
INTERNAL_ERROR = "Sorry, something went wrong on our side. Please try again in a minute."
# Alert.ack_comment's column size.
MAX_COMMENT = 500
ACK_ROLES = (Role.operator, Role.admin)


# --- Commands -------------------------------------------------------------------------------


def start_text(chat_id: int, public_url: str | None = None) -> str:
    where = f"In StatusMonitor ({public_url})" if public_url else "In StatusMonitor"
    return (
        f"Your chat id is {chat_id}.\n"
        f"{where}, set it as your Telegram recipient (Settings → Notifications, or "
        f'POST /api/alerts/recipient {{"chat_id": "{chat_id}"}}). Alerts then come to this chat. '
        "Send /start <code> with the code it shows, and you can acknowledge them here too "
        "with /ack <alert id> [comment]."
    )


# --- /start <code> --------------------------------------------------------------------------


async def confirm_from_chat(
    sessionmaker: async_sessionmaker[AsyncSession], chat_id: int, code: str
) -> str:
    async with sessionmaker() as session, session.begin():
        confirmed = await confirm_chat(session, chat_id, code)
        if not confirmed:
            return (
                f"That code does not belong to this chat (id {chat_id}). Set {chat_id} as your "
                "Telegram recipient in StatusMonitor and send the code it shows, from this chat."
            )
        channel_ids = [c.id for c in confirmed]
        emails = list(
            await session.scalars(
                select(User.email).where(User.id.in_({c.user_id for c in confirmed}))
            )
        )
    log.info("telegram chat confirmed", channels=channel_ids)
    return (
        f"Confirmed: this chat is the Telegram recipient of {', '.join(sorted(emails))}. "
        "Acknowledge alerts here with /ack <alert id> [comment]."
    )


def _split_command(text: str) -> tuple[str, list[str]]:
    """'/ack@MyBot 17 on it' → ('/ack', ['17', 'on', 'it']): groups append the bot's name."""
    words = text.strip().split()
    if not words:
        return "", []
    return words[0].split("@", 1)[0].lower(), words[1:]


def _as_update(update: Update | Mapping[str, Any]) -> Update | None:
    if isinstance(update, Update):
        return update
    return Update.de_json(dict(update), None)


async def handle_update(
    update: Update | Mapping[str, Any],
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    public_url: str | None = None,
) -> str | None:
    """The reply to one update, or None when there is nothing to answer (not a message)."""
    parsed = _as_update(update)
    message = parsed.effective_message if parsed else None
    if message is None or message.chat is None:
        return None
    chat_id = message.chat.id
    command, args = _split_command(message.text or "")
    if command == "/start" and args:
        return await confirm_from_chat(sessionmaker, chat_id, args[0])
    if command in ("/start", "/id"):
        return start_text(chat_id, public_url)
    if command == "/ack":
        return await acknowledge_from_chat(sessionmaker, chat_id, args)
    # In a group the bot may see every message: only commands get the help there.
    if message.chat.type == "private" or command.startswith("/"):
        return HELP
    return None


# --- /ack -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Linked:
    """A user this chat is the Telegram recipient of, in one organization, with their role."""

    user_id: int
    email: str
    org_id: int
    role: Role


def _parse_ack(args: list[str]) -> tuple[int, str] | None:
    if not args:
        return None
    raw = args[0].removeprefix("#")
    if not raw.isdecimal() or not 0 < int(raw) < 2**31:
        return None
    comment = " ".join(args[1:]).strip()[:MAX_COMMENT]
    return int(raw), comment or DEFAULT_ACK_COMMENT


async def _linked_users(session: AsyncSession, chat_id: int) -> list[_Linked]:
    """Who this chat belongs to: active members whose confirmed personal Telegram channel names it.

    Only the organizations where the chat was set as recipient count: the link is per
    (organization, user), as /recipient stores it. Admins first, so a shared group chat acts
    with the strongest role present.
    """
    rows = await session.execute(
        select(User.id, User.email, Membership.org_id, Membership.role)
        .join(NotificationChannel, NotificationChannel.user_id == User.id)
        .join(
            Membership,
            (Membership.user_id == User.id) & (Membership.org_id == NotificationChannel.org_id),
        )
        .where(
            personal_channels_of_chat(chat_id),
            NotificationChannel.confirmed_at.is_not(None),
            User.is_active.is_(True),
        )
        .order_by(User.id)
    )
    linked = [_Linked(row[0], row[1], row[2], Role(row[3])) for row in rows]
    return sorted(linked, key=lambda link: -link.role.rank)


async def _set_but_unconfirmed(session: AsyncSession, chat_id: int) -> bool:
    found = await session.scalar(
        select(NotificationChannel.id).where(personal_channels_of_chat(chat_id)).limit(1)
    )
    return found is not None


async def _alert_org(session: AsyncSession, alert_id: int) -> int | None:
    org_id: int | None = await session.scalar(select(Alert.org_id).where(Alert.id == alert_id))
    return org_id


async def acknowledge_from_chat(
    sessionmaker: async_sessionmaker[AsyncSession], chat_id: int, args: list[str]
) -> str:
    parsed = _parse_ack(args)
    if parsed is None:
        return ACK_USAGE
    alert_id, comment = parsed
    async with sessionmaker() as session, session.begin():
        linked = await _linked_users(session, chat_id)
        if not linked:
            return (
                UNCONFIRMED_CHAT if await _set_but_unconfirmed(session, chat_id) else UNKNOWN_CHAT
            )
        org_id = await _alert_org(session, alert_id)
        members = [link for link in linked if link.org_id == org_id]
        # Another organization's alert reads like a missing one: ids must not leak.
        if not members:
            return f"There is no alert #{alert_id} for you."
        actor = members[0]
        if actor.role not in ACK_ROLES:
            return f"Viewers cannot acknowledge alerts: ask an operator to acknowledge #{alert_id}."
        return await _acknowledge(session, actor, alert_id, comment)


async def _acknowledge(session: AsyncSession, actor: _Linked, alert_id: int, comment: str) -> str:
    try:
        alert = await alerts.acknowledge(session, actor.org_id, alert_id, actor.user_id, comment)
    except NotFound:
        return f"There is no alert #{alert_id} for you."
    except Conflict as exc:
        return f"Alert #{alert_id}: {exc.detail}."
    Auditor(session, None).record(
        "alert.acknowledge",
        user_id=actor.user_id,
        org_id=actor.org_id,
        target=("alert", alert_id),
        details={"via": "telegram"},
    )
    log.info("alert acknowledged from telegram", alert_id=alert_id, user_id=actor.user_id)
    return (
        f"Alert #{alert_id} ({alert.severity} {alert.metric}) acknowledged as {actor.email}: "
        f"reminders stop; you will still hear when it resolves.\nComment: {comment}"
    )
