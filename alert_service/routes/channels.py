"""/channels: notification channels of the organization (viewers read, operators write)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from alert_service.deps import AlertDep, BoxDep
from alert_service.domain import channels
from core.audit import AuditDep
from core.deps import Operator, OrgPrincipal, SessionDep, Viewer
from core.models import Role
from core.schemas.channels import (
    ChannelCreate,
    ChannelPublic,
    ChannelTestResult,
    ChannelType,
    ChannelUpdate,
    DeliveryPublic,
)
from core.schemas.common import Id

router = APIRouter(prefix="/channels", tags=["channels"])


def _read_only(principal: OrgPrincipal) -> bool:
    """Viewers see webhook query strings and custom header values masked: they often carry
    tokens. Operators see them: they may edit the channel (a form needs the real values to
    round-trip), and could re-point it at a server of theirs that then receives the headers
    anyway, so masking would protect nothing from them."""
    return principal.role == Role.viewer


def _editor(principal: OrgPrincipal) -> channels.Editor:
    return channels.Editor(principal.user.id, principal.role == Role.admin)


@router.get("", response_model=list[ChannelPublic])
async def list_channels(principal: Viewer, session: SessionDep, box: BoxDep) -> list[ChannelPublic]:
    return await channels.list_channels(
        session, principal.org_id, box, redact=_read_only(principal)
    )


@router.get("/types", response_model=list[ChannelType])
async def channel_types(principal: Viewer) -> list[ChannelType]:
    return channels.channel_types()


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ChannelPublic)
async def create_channel(
    data: ChannelCreate, principal: Operator, session: SessionDep, box: BoxDep, audit: AuditDep
) -> ChannelPublic:
    channel = await channels.create_channel(session, principal.org_id, data, box)
    audit.by(
        principal,
        "channel.create",
        target=("channel", channel.id),
        details={"type": channel.type, "name": channel.name},
    )
    return channel


@router.get("/{channel_id}", response_model=ChannelPublic)
async def get_channel(
    channel_id: Id, principal: Viewer, session: SessionDep, box: BoxDep
) -> ChannelPublic:
    row = await channels.get_channel_row(session, principal.org_id, channel_id)
    return channels.to_public(row, box, redact=_read_only(principal))


@router.patch("/{channel_id}", response_model=ChannelPublic)
async def update_channel(
    channel_id: Id,
    data: ChannelUpdate,
    principal: Operator,
    session: SessionDep,
    box: BoxDep,
    audit: AuditDep,
) -> ChannelPublic:
    channel = await channels.update_channel(
        session, principal.org_id, channel_id, data, box, _editor(principal)
    )
    # Names of what changed only: config values may be secrets.
    changed = sorted(data.model_dump(exclude_unset=True, exclude={"config"}))
    details = {"fields": changed, "config_keys": sorted(data.config or {})}
    audit.by(principal, "channel.update", target=("channel", channel_id), details=details)
    return channel


@router.delete("/{channel_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_channel(
    channel_id: Id, principal: Operator, session: SessionDep, audit: AuditDep
) -> None:
    await channels.delete_channel(session, principal.org_id, channel_id, _editor(principal))
    audit.by(principal, "channel.delete", target=("channel", channel_id))


@router.post("/{channel_id}/test", response_model=ChannelTestResult)
async def test_channel(
    channel_id: Id,
    principal: Operator,
    session: SessionDep,
    alert: AlertDep,
    audit: AuditDep,
) -> ChannelTestResult:
    """Sends a test notification now. Always 200 when the channel exists: {"ok": true}, or
    {"ok": false, "error": "<why>"} when the receiving side failed (a 502 would be confused
    with the gateway's own when the alert service is down). Logged as a "test" delivery."""
    result = await channels.send_test(
        session, principal.org_id, channel_id, alert.box, alert.config, alert.own_stores
    )
    audit.by(principal, "channel.test", target=("channel", channel_id), details={"ok": result.ok})
    return result


@router.get("/{channel_id}/deliveries", response_model=list[DeliveryPublic])
async def list_deliveries(
    channel_id: Id,
    principal: Viewer,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[DeliveryPublic]:
    return await channels.list_deliveries(session, principal.org_id, channel_id, limit)
