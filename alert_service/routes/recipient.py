"""Seed 001's /recipient: the caller's Telegram chat id for alerts."""

from __future__ import annotations

from fastapi import APIRouter

from alert_service.domain import recipient
from core.deps import Operator, SessionDep, Viewer
from core.schemas.alerting import Recipient, RecipientPublic

router = APIRouter(prefix="/recipient", tags=["recipient"])


@router.get("", response_model=RecipientPublic)
async def get_recipient(principal: Viewer, session: SessionDep) -> RecipientPublic:
    chat_id = await recipient.get_chat_id(session, principal.org_id, principal.user.id)
    return RecipientPublic(chat_id=chat_id)


@router.post("", response_model=RecipientPublic)
async def set_recipient(
    data: Recipient, principal: Operator, session: SessionDep
) -> RecipientPublic:
    chat_id = await recipient.set_chat_id(
        session, principal.org_id, principal.user.id, principal.user.username, data.chat_id
    )
    return RecipientPublic(chat_id=chat_id)
