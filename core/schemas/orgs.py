"""Organizations and their members."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from core.models import Role
from core.schemas.common import Email, Name, Schema, StrictInput


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
