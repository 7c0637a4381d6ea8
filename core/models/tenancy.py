"""Organizations, users, memberships (role per organization) and invitations."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAtMixin


class Role(enum.StrEnum):
    viewer = "viewer"
    operator = "operator"
    admin = "admin"

    @property
    def rank(self) -> int:
        return _ROLE_RANK[self]

    def allows(self, required: Role) -> bool:
        return self.rank >= required.rank


_ROLE_RANK = {Role.viewer: 0, Role.operator: 1, Role.admin: 2}

role_enum = Enum(Role, name="role", values_callable=lambda e: [m.value for m in e])


class Organization(CreatedAtMixin, Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


class User(CreatedAtMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Not unique: nothing proves an address (there is no e-mail delivery), so a unique one would
    # let whoever claims it first lock its owner out. The username is the unique login name; one
    # that looks like an e-mail address is always the account's own e-mail (core.accounts).
    email: Mapped[str] = mapped_column(String(254), index=True)
    username: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change: access tokens carrying an older version are refused at once.
    token_version: Mapped[int] = mapped_column(default=0, server_default="0")
    last_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), default=None
    )
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)


class Membership(CreatedAtMixin, Base):
    __tablename__ = "memberships"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[Role] = mapped_column(role_enum)


class InvitationStatus(enum.StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    cancelled = "cancelled"
    # Replaced by a new invitation to the same address after it ran out.
    expired = "expired"


invitation_status_enum = Enum(
    InvitationStatus, name="invitation_status", values_callable=lambda e: [m.value for m in e]
)


class Invitation(CreatedAtMixin, Base):
    """An offer of a role in an organization to one e-mail address.

    Redeemed only with its one-time token (stored as SHA-256), before `expires_at`, by an
    account whose e-mail is `email`. Rows stay after they close, so a second use is told why.
    """

    __tablename__ = "invitations"
    __table_args__ = (
        # At most one open invitation per address and organization.
        Index(
            "uq_invitations_pending_org_id_email",
            "org_id",
            "email",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[Role] = mapped_column(role_enum)
    invited_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    status: Mapped[InvitationStatus] = mapped_column(
        invitation_status_enum, default=InvitationStatus.pending, server_default="pending"
    )
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
