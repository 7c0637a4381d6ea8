"""Notification channels of an organization: CRUD with encrypted secrets, test sends, the log.

A channel row keeps its type's non-secret settings in `config` (JSONB) and the secret ones
(fields typed SecretStr in the type's Config) sealed together in `secrets` (core.crypto), so
a database dump or backup does not leak bot tokens or webhook URLs. The API never returns a
secret value, only which secrets are set.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from alert_service.channels import (
    CHANNELS,
    Channel,
    ChannelConfig,
    DeliveryError,
    RateLimited,
    SendContext,
    deliver,
    get_channel,
    secret_fields,
)
from alert_service.channels.outbound import create_outbound_client
from alert_service.config import AlertSettings
from core import typed_config
from core.crypto import SecretBox, SecretsUnreadable
from core.errors import Forbidden, Unprocessable
from core.logging import get_logger
from core.models import Membership, NotificationChannel, NotificationDelivery, User
from core.notifications import Notification
from core.outbound import OwnStores
from core.schemas.channels import (
    ChannelCreate,
    ChannelPublic,
    ChannelTestResult,
    ChannelType,
    ChannelUpdate,
    DeliveryPublic,
)
from core.tenancy import get_owned

log = get_logger(__name__)

TEST_TITLE = "StatusMonitor test notification"
# A channel that hangs past its own timeout still answers the test request in bounded time.
_TEST_GRACE_SECONDS = 2.0
_MAX_ERROR_LENGTH = 1000  # notification_deliveries.error


# --- validation -----------------------------------------------------------------------------


def _config_model(type_: str) -> type[ChannelConfig]:
    try:
        return get_channel(type_).Config
    except KeyError:
        known = ", ".join(sorted(CHANNELS)) or "none"
        raise Unprocessable(f"type: unknown channel type {type_!r}; known types: {known}") from None


def _plain_secrets(model: type[ChannelConfig], values: dict[str, Any]) -> list[str]:
    return [str(values[name]) for name in secret_fields(model) if values.get(name) is not None]


def _validate(model: type[ChannelConfig], values: dict[str, Any]) -> ChannelConfig:
    """Settings as the API accepts them (creation, and the result of a PATCH)."""
    return typed_config.validate(model, values, model.multiline_fields)


# --- reading --------------------------------------------------------------------------------


def to_public(row: NotificationChannel, box: SecretBox, *, redact: bool = False) -> ChannelPublic:
    """The channel as the API shows it; `redact` masks settings that often carry credentials
    (a webhook's query string and custom header values) for those who only read."""
    config = row.config
    if redact and row.type in CHANNELS:
        config = CHANNELS[row.type].Config.redacted(row.config)
    try:
        stored = box.open(row.secrets)
        unreadable = False
    except SecretsUnreadable:
        stored, unreadable = {}, True
    return ChannelPublic.from_row(
        row,
        config=config,  # `secrets` has no field here: only which ones are set is shown
        secrets_set=sorted(name for name, value in stored.items() if value),
        secrets_unreadable=unreadable,
    )


def channel_types() -> list[ChannelType]:
    return [
        ChannelType(
            type=channel.type,
            label=channel.label,
            secret_fields=sorted(secret_fields(channel.Config)),
            config_schema=channel.Config.model_json_schema(),
        )
        for _, channel in sorted(CHANNELS.items())
    ]


async def list_channels(
    session: AsyncSession, org_id: int, box: SecretBox, *, redact: bool = False
) -> list[ChannelPublic]:
    rows = await session.scalars(
        select(NotificationChannel)
        .where(NotificationChannel.org_id == org_id)
        .order_by(NotificationChannel.id)
    )
    return [to_public(row, box, redact=redact) for row in rows]


def receiving() -> ColumnElement[bool]:
    """Channels that get notifications: enabled, and a personal one only while its owner is
    an active member of the channel's organization (who leaves, or is deactivated, stops
    hearing about its alerts; their channel stays, and works again if they come back)."""
    owner_is_member = (
        select(Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.user_id == NotificationChannel.user_id,
            Membership.org_id == NotificationChannel.org_id,
            User.is_active.is_(True),
        )
        .exists()
    )
    return NotificationChannel.enabled.is_(True) & (
        NotificationChannel.user_id.is_(None) | owner_is_member
    )


async def get_channel_row(
    session: AsyncSession, org_id: int, channel_id: int, *, for_update: bool = False
) -> NotificationChannel:
    return await get_owned(
        session, NotificationChannel, channel_id, org_id, "channel", for_update=for_update
    )


async def list_deliveries(
    session: AsyncSession, org_id: int, channel_id: int, limit: int
) -> list[DeliveryPublic]:
    await get_channel_row(session, org_id, channel_id)
    rows = await session.scalars(
        select(NotificationDelivery)
        .where(NotificationDelivery.channel_id == channel_id)
        .order_by(NotificationDelivery.created_at.desc(), NotificationDelivery.id.desc())
        .limit(limit)
    )
    return [DeliveryPublic.model_validate(row) for row in rows]


# --- writing --------------------------------------------------------------------------------


async def create_channel(
    session: AsyncSession, org_id: int, data: ChannelCreate, box: SecretBox
) -> ChannelPublic:
    config = _validate(_config_model(data.type), data.config)
    public, sealed = typed_config.split(config, box)
    row = NotificationChannel(
        org_id=org_id,
        type=data.type,
        name=data.name,
        config=public,
        secrets=sealed,
        enabled=data.enabled,
        daily_summary=data.daily_summary,
    )
    session.add(row)
    await session.flush()
    await session.refresh(row)
    return to_public(row, box)


def _stored_secrets(
    row: NotificationChannel, box: SecretBox, names: set[str], patch: dict[str, Any]
) -> dict[str, Any]:
    try:
        return box.open(row.secrets)
    except SecretsUnreadable as exc:
        # Dropping them silently would turn e.g. a signed webhook into an unsigned one.
        missing = sorted(names - patch.keys())
        if missing:
            raise Unprocessable(f"{exc}: send {', '.join(missing)} in config") from None
        return {}


def _merge_config(row: NotificationChannel, patch: dict[str, Any], box: SecretBox) -> None:
    model = _config_model(row.type)
    names = secret_fields(model)
    merged = {**row.config, **_stored_secrets(row, box, names, patch), **patch}
    for name in names:
        if name in patch and patch[name] is None:
            # Absent rather than None, so a required secret reports "Field required".
            merged.pop(name)
    row.config, row.secrets = typed_config.split(_validate(model, merged), box)


@dataclass(frozen=True)
class Editor:
    """Who changes a channel: a personal one is only its owner's or an admin's to change."""

    user_id: int
    is_admin: bool


def _check_may_change(row: NotificationChannel, editor: Editor) -> None:
    if row.user_id is not None and row.user_id != editor.user_id and not editor.is_admin:
        # The channel is listed to every member, so 403 rather than pretending it is not there.
        raise Forbidden(
            "this is another member's personal Telegram channel: only they or an admin can"
            " change, disable or delete it"
        )


async def update_channel(
    session: AsyncSession,
    org_id: int,
    channel_id: int,
    data: ChannelUpdate,
    box: SecretBox,
    editor: Editor,
) -> ChannelPublic:
    row = await get_channel_row(session, org_id, channel_id, for_update=True)
    _check_may_change(row, editor)
    if data.config is not None:
        before = row.config
        _merge_config(row, data.config, box)
        if row.config != before:
            # Another destination: a confirmed Telegram chat (domain.recipient) must not
            # pass its confirmation on to whatever chat it now names.
            row.confirmed_at = row.confirm_code_hash = None
    for field in ("name", "enabled", "daily_summary"):
        value = getattr(data, field)
        if value is not None:
            setattr(row, field, value)
    await session.flush()
    await session.refresh(row)
    return to_public(row, box)


async def delete_channel(
    session: AsyncSession, org_id: int, channel_id: int, editor: Editor
) -> None:
    row = await get_channel_row(session, org_id, channel_id)
    _check_may_change(row, editor)
    await session.delete(row)


# --- sending --------------------------------------------------------------------------------


def resolve_channel(row: NotificationChannel, box: SecretBox) -> tuple[Channel, ChannelConfig]:
    """The channel implementation and its validated config, secrets included.

    Raises DeliveryError(retryable=False): none of these heals by retrying."""
    try:
        channel = get_channel(row.type)
    except KeyError:
        raise DeliveryError(f"unknown channel type {row.type!r}", retryable=False) from None
    try:
        secrets = box.open(row.secrets)
    except SecretsUnreadable as exc:
        raise DeliveryError(str(exc), retryable=False) from None
    values = {**row.config, **secrets}
    try:
        config = channel.Config.model_validate(values)
    except ValidationError as exc:
        reason = typed_config.describe_errors(exc, _plain_secrets(channel.Config, values))
        raise DeliveryError(
            f"stored channel settings are invalid: {reason}", retryable=False
        ) from None
    return channel, config


@asynccontextmanager
async def send_context(
    settings: AlertSettings, own_stores: OwnStores
) -> AsyncIterator[SendContext]:
    """A SendContext whose HTTP client (the outbound guard) is closed on exit."""
    async with create_outbound_client(settings) as http:
        yield SendContext(settings=settings, http=http, own_stores=own_stores)


def build_test_notification(row: NotificationChannel, settings: AlertSettings) -> Notification:
    now = time.time()
    sent = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return Notification(
        key=f"test:{uuid.uuid4()}",
        org_id=row.org_id,
        channel_id=row.id,
        kind="test",
        severity="info",
        title=TEST_TITLE,
        text=(
            f'This is a test of the notification channel "{row.name}", sent from StatusMonitor '
            "on request. If you can read it, alerts will reach you here. No action is needed."
        ),
        fields={"channel": row.name, "type": row.type, "sent": sent},
        link=settings.public_url,
        created=now,
    )


@dataclass(frozen=True)
class Outcome:
    """One attempt through a channel: sent (no error), or why not and whether a retry may help.

    `pause`: seconds the channel wants before its next message (its pace, or what the service
    announced); `retry_after`: the service asked to come back this much later (rate limited:
    not a failed attempt)."""

    error: str | None = None
    retryable: bool = False
    pause: float = 0.0
    retry_after: float | None = None


async def send_once(
    row: NotificationChannel,
    box: SecretBox,
    note: Notification,
    ctx: SendContext,
    allowed_seconds: float,
) -> Outcome:
    """Sends `note` through the channel once (the test endpoint and the delivery worker)."""
    try:
        channel, config = resolve_channel(row, box)
    except DeliveryError as exc:
        return Outcome(exc.reason, exc.retryable)
    pace = channel.pace(config)
    try:
        async with asyncio.timeout(allowed_seconds):
            asked = await deliver(channel, config, note, ctx)
    except RateLimited as exc:
        return Outcome(exc.reason, True, pace, exc.retry_after)
    except DeliveryError as exc:
        return Outcome(exc.reason, exc.retryable, pace)
    except TimeoutError:
        timeout = ctx.settings.delivery_timeout_seconds
        return Outcome(f"no answer within {timeout:g} s", True, pace)
    except Exception as exc:
        # A bug in a channel must not turn into a 500 or stop other deliveries; its message
        # may quote a secret (a URL with a token), so only the type is logged and shown.
        log.error(
            "channel send crashed", channel_id=row.id, type=row.type, error=type(exc).__name__
        )
        return Outcome(f"unexpected error in the {row.type} channel ({type(exc).__name__})", True)
    return Outcome(pause=max(pace, asked or 0.0))


async def deliver_now(
    row: NotificationChannel,
    box: SecretBox,
    note: Notification,
    settings: AlertSettings,
    own_stores: OwnStores,
) -> str | None:
    """Sends `note` through the channel once; the reason it failed, or None when it was sent."""
    async with send_context(settings, own_stores) as ctx:
        allowed = settings.delivery_timeout_seconds + _TEST_GRACE_SECONDS
        return (await send_once(row, box, note, ctx, allowed)).error


async def send_test(
    session: AsyncSession,
    org_id: int,
    channel_id: int,
    box: SecretBox,
    settings: AlertSettings,
    own_stores: OwnStores,
) -> ChannelTestResult:
    """Sends a test notification now and records the outcome in the delivery log."""
    row = await get_channel_row(session, org_id, channel_id)
    note = build_test_notification(row, settings)
    error = await deliver_now(row, box, note, settings, own_stores)
    if error is not None:
        error = error[:_MAX_ERROR_LENGTH]
    session.add(
        NotificationDelivery(
            org_id=org_id,
            channel_id=row.id,
            event_key=note.key,
            kind="test",
            status="sent" if error is None else "failed",
            attempts=1,
            error=error,
        )
    )
    await session.flush()
    log.info("test notification", channel_id=row.id, type=row.type, ok=error is None)
    return ChannelTestResult(ok=error is None, error=error)
