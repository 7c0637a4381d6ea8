"""StatusMonitor v1's /recipient: the caller's Telegram chat id for alerts."""

from __future__ import annotations

from fastapi import APIRouter

from alert_service.domain import recipient
from alert_service.domain.recipient import RecipientState
from core.deps import Operator, SessionDep, Viewer
from core.schemas.alerting import Recipient, RecipientPublic

router = APIRouter(prefix="/recipient", tags=["recipient"])


def _public(state: RecipientState) -> RecipientPublic:
    next_step = None
    if state.confirm_code:
        next_step = (
            f"Send /start {state.confirm_code} to the StatusMonitor bot from chat "
            f"{state.chat_id}: alerts already go there; after that, /ack works there too."
        )
    elif state.chat_id and not state.confirmed:
        next_step = "Not confirmed yet: set the chat id again (POST) for a new code."
    return RecipientPublic(
        chat_id=state.chat_id,
        confirmed=state.confirmed,
        confirm_code=state.confirm_code,
        next_step=next_step,
    )


@router.get("", response_model=RecipientPublic)
async def get_recipient(principal: Viewer, session: SessionDep) -> RecipientPublic:
    return _public(await recipient.get_recipient(session, principal.org_id, principal.user.id))


@router.post("", response_model=RecipientPublic)
async def set_recipient(
    data: Recipient, principal: Operator, session: SessionDep
) -> RecipientPublic:
    state = await recipient.set_chat_id(
        session, principal.org_id, principal.user.id, principal.user.username, data.chat_id
    )
    return _public(state)
