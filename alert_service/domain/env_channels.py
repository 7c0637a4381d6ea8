"""The Device Monitoring Backend's environment-configured notifications (ALERT_EMAIL_TO,
SLACK_WEBHOOK_URL) as ordinary channels of every organization, so they are listed, tested and logged
like others.

A channel is created once per organization under a recognisable name; later edits by users
are kept. The worker calls `provision` periodically, so new organizations get them too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from alert_service.config import AlertSettings
from alert_service.domain.channels import create_channel
from core.crypto import SecretBox
from core.errors import DomainError
from core.logging import get_logger
from core.models import NotificationChannel, Organization
from core.schemas.channels import ChannelCreate

log = get_logger(__name__)

EMAIL_NAME = "E-mail (ALERT_EMAIL_TO)"
SLACK_NAME = "Slack (SLACK_WEBHOOK_URL)"


def wanted(config: AlertSettings) -> list[ChannelCreate]:
    found = []
    addresses = [a.strip() for a in (config.email_to or "").split(",") if a.strip()]
    if addresses:
        found.append(_create("email", EMAIL_NAME, {"to": addresses}))
    if config.slack_webhook_url is not None:
        secret = config.slack_webhook_url.get_secret_value()
        found.append(_create("slack", SLACK_NAME, {"webhook_url": secret}))
    return found


def _create(type_: str, name: str, values: dict[str, Any]) -> ChannelCreate:
    return ChannelCreate(type=type_, name=name, config=values, daily_summary=True)


async def provision(session: AsyncSession, config: AlertSettings, box: SecretBox) -> int:
    """Creates the missing environment channels; returns how many were created."""
    channels = wanted(config)
    if not channels:
        return 0
    existing = set(
        (
            await session.execute(
                select(NotificationChannel.org_id, NotificationChannel.name).where(
                    NotificationChannel.name.in_([c.name for c in channels])
                )
            )
        ).all()
    )
    created = 0
    for org_id in await session.scalars(select(Organization.id)):
        for channel in channels:
            if (org_id, channel.name) in existing:
                continue
            try:
                await create_channel(session, org_id, channel, box)
            except DomainError as exc:  # e.g. a malformed address: say so, once per start
                log.error(
                    "cannot create channel from the environment", name=channel.name, error=str(exc)
                )
                return created
            created += 1
    return created
