"""telegram recipient confirmation

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 15:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Chats linked before this migration start unconfirmed: their owners confirm them once.
    op.add_column(
        "notification_channels",
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "notification_channels",
        sa.Column("confirm_code_hash", sa.String(length=64), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("notification_channels", "confirm_code_hash")
    op.drop_column("notification_channels", "confirmed_at")
