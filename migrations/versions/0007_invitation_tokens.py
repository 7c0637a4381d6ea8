"""invitation tokens; e-mail addresses no longer unique

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

invitation_status = sa.Enum(
    "pending", "accepted", "declined", "cancelled", "expired", name="invitation_status"
)


def upgrade() -> None:
    # Nothing proves an address, so it cannot be a unique key: the first to claim it would lock
    # its owner out. Usernames stay unique.
    op.drop_constraint(op.f("uq_users_email"), "users", type_="unique")
    op.create_index(op.f("ix_users_email"), "users", ["email"], unique=False)
    # A username that looks like an e-mail address must be the account's own e-mail. Older
    # accounts that break this (e.g. username "ceo@victim.example", e-mail someone else's) get
    # their e-mail as username, or "user-<id>" when that is taken; they log in with the new one.
    op.execute(
        """
        UPDATE users SET username = CASE
            WHEN EXISTS (SELECT 1 FROM users other WHERE other.username = users.email)
            THEN 'user-' || users.id
            ELSE users.email
        END
        WHERE position('@' in username) > 0 AND username <> email
        """
    )

    invitation_status.create(op.get_bind(), checkfirst=True)
    op.add_column("invitations", sa.Column("token_hash", sa.String(length=64), nullable=True))
    op.add_column("invitations", sa.Column("expires_at", sa.DateTime(timezone=True)))
    op.add_column(
        "invitations",
        sa.Column("status", invitation_status, server_default="pending", nullable=False),
    )
    op.add_column("invitations", sa.Column("closed_at", sa.DateTime(timezone=True)))
    # Invitations from before had no token, so nobody can redeem them: they show as expired and
    # the admin invites again. The stored hash matches no token (md5 of random data and the id).
    op.execute(
        "UPDATE invitations SET expires_at = created_at,"
        " token_hash = md5(random()::text) || md5(id::text)"
    )
    op.alter_column("invitations", "token_hash", nullable=False)
    op.alter_column("invitations", "expires_at", nullable=False)
    op.create_unique_constraint(op.f("uq_invitations_token_hash"), "invitations", ["token_hash"])
    op.drop_constraint(op.f("uq_invitations_org_id"), "invitations", type_="unique")
    op.create_index(
        "uq_invitations_pending_org_id_email",
        "invitations",
        ["org_id", "email"],
        unique=True,
        postgresql_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    shared = op.get_bind().scalar(
        sa.text("SELECT email FROM users GROUP BY email HAVING count(*) > 1 LIMIT 1")
    )
    if shared is not None:
        raise RuntimeError(
            f"cannot downgrade: several accounts use the e-mail {shared!r}; give each its own first"
        )
    # The old schema has no closed invitations.
    op.drop_index("uq_invitations_pending_org_id_email", table_name="invitations")
    op.execute("DELETE FROM invitations WHERE status <> 'pending'")
    op.create_unique_constraint(op.f("uq_invitations_org_id"), "invitations", ["org_id", "email"])
    op.drop_constraint(op.f("uq_invitations_token_hash"), "invitations", type_="unique")
    for column in ("closed_at", "status", "expires_at", "token_hash"):
        op.drop_column("invitations", column)
    invitation_status.drop(op.get_bind(), checkfirst=True)
    op.drop_index(op.f("ix_users_email"), table_name="users")
    op.create_unique_constraint(op.f("uq_users_email"), "users", ["email"])
