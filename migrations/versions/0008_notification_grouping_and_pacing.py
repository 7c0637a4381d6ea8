"""notification grouping and channel pacing

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("flush_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("flushed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["notification_channels.id"],
            name=op.f("fk_notification_groups_channel_id_notification_channels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_notification_groups_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_groups")),
        sa.UniqueConstraint("channel_id", "key", name=op.f("uq_notification_groups_channel_id")),
    )
    op.create_index(
        op.f("ix_notification_groups_flush_at"), "notification_groups", ["flush_at"], unique=False
    )
    op.create_index(
        op.f("ix_notification_groups_org_id"), "notification_groups", ["org_id"], unique=False
    )
    op.add_column(
        "notification_channels",
        sa.Column("send_after", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "notification_deliveries", sa.Column("group_key", sa.String(length=200), nullable=True)
    )
    op.create_table(
        "notification_group_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.String(length=200), nullable=False),
        sa.Column("group_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_notification_group_items_alert_id_alerts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["notification_channels.id"],
            name=op.f("fk_notification_group_items_channel_id_notification_channels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["notification_deliveries.id"],
            name=op.f("fk_notification_group_items_message_id_notification_deliveries"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_notification_group_items_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_group_items")),
        sa.UniqueConstraint(
            "channel_id", "event_key", name=op.f("uq_notification_group_items_channel_id")
        ),
    )
    op.create_index(
        op.f("ix_notification_group_items_org_id"),
        "notification_group_items",
        ["org_id"],
        unique=False,
    )
    op.create_index(
        "ix_notification_group_items_waiting",
        "notification_group_items",
        ["channel_id", "group_key"],
        unique=False,
        postgresql_where=sa.text("status = 'waiting'"),
    )


def downgrade() -> None:
    op.drop_index("ix_notification_group_items_waiting", table_name="notification_group_items")
    op.drop_index(op.f("ix_notification_group_items_org_id"), table_name="notification_group_items")
    op.drop_table("notification_group_items")
    op.drop_column("notification_deliveries", "group_key")
    op.drop_column("notification_channels", "send_after")
    op.drop_index(op.f("ix_notification_groups_org_id"), table_name="notification_groups")
    op.drop_index(op.f("ix_notification_groups_flush_at"), table_name="notification_groups")
    op.drop_table("notification_groups")
