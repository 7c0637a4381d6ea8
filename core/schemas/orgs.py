"""Organizations and their members."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from core.models import InvitationStatus, Role
from core.schemas.common import Email, Name, Schema, StrictInput

# What POST /members answers: "smi_" and 43 URL-safe characters; the bounds only keep junk out.
InvitationToken = Annotated[
    str, StringConstraints(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")
]


class OrgCreate(StrictInput):
    name: Name


class OrgUpdate(StrictInput):
    name: Name


class OrgPublic(Schema):
    id: int
    name: str
    created_at: datetime
    role: Role


class MemberInvite(StrictInput):
    email: Email
    role: Role = Role.viewer


class MemberRoleUpdate(StrictInput):
    role: Role


class MemberPublic(Schema):
    user_id: int | None
    invitation_id: int | None = None
    email: str
    username: str | None
    role: Role
    status: Literal["active", "invited"]
    since: datetime


class InvitationPublic(Schema):
    """An invitation as its organization's admins see it; `expired` once past `expires_at`."""

    id: int
    org_id: int
    email: str
    role: Role
    status: InvitationStatus
    invited_by: int | None
    created_at: datetime
    expires_at: datetime


class InvitationCreated(InvitationPublic):
    """The answer to an invite: the same whether or not an account uses the address."""

    token: str = Field(
        description="One-time secret, shown only here: pass it (as a link) to the invited person."
    )


class InvitationForMe(Schema):
    """A pending invitation for the caller's e-mail address; accepting needs its token."""

    id: int
    org_id: int
    org_name: str
    role: Role
    created_at: datetime
    expires_at: datetime


class InvitationAnswer(StrictInput):
    token: InvitationToken
