"""Alert rules and notification channels (issue 5 builds evaluation and delivery on these)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAtMixin, utcnow


class AlertRule(CreatedAtMixin, Base):
    """`metric` compared with `threshold` by `condition` for one agent, or every agent."""

    __tablename__ = "alert_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    # None: every agent of the organization.
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), index=True, default=None
    )
    metric: Mapped[str] = mapped_column(String(200))
    condition: Mapped[str] = mapped_column(String(2))
    threshold: Mapped[float]
    for_seconds: Mapped[int] = mapped_column(default=0)
    severity: Mapped[str] = mapped_column(String(16), default="warning")
    renotify_seconds: Mapped[int] = mapped_column(default=300)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class NotificationChannel(CreatedAtMixin, Base):
    """Where notifications go. `config` holds the type's settings (e.g. a Telegram chat id)."""

    __tablename__ = "notification_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    # The user a personal channel belongs to (seed 001's per-user Telegram recipient).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, default=None
    )
    type: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    config: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    enabled: Mapped[bool] = mapped_column(default=True)


class Alert(Base):
    """One firing of a rule for one target, from start to resolution (the alert history)."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("alert_rules.id", ondelete="SET NULL"), default=None
    )
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), default=None
    )
    metric: Mapped[str] = mapped_column(String(200))
    condition: Mapped[str] = mapped_column(String(2))
    severity: Mapped[str] = mapped_column(String(16), index=True)
    value: Mapped[float]
    threshold: Mapped[float]
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledged_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    ack_comment: Mapped[str | None] = mapped_column(String(500), default=None)
    silenced: Mapped[bool] = mapped_column(default=False)


class Silence(CreatedAtMixin, Base):
    """Mutes matching alerts (still recorded, shown as silenced) for a period or weekly."""

    __tablename__ = "silences"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    # Matchers: all given ones must match; none given mutes the whole organization.
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), default=None
    )
    rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("alert_rules.id", ondelete="CASCADE"), default=None
    )
    labels: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    # Either a period...
    starts_at: Mapped[datetime | None] = mapped_column(default=None)
    ends_at: Mapped[datetime | None] = mapped_column(default=None)
    # ...or a weekly maintenance window in a time zone (weekday 0 = Monday).
    weekdays: Mapped[list[int]] = mapped_column(JSONB, default=list)
    window_start: Mapped[str | None] = mapped_column(String(5), default=None)  # "HH:MM"
    window_end: Mapped[str | None] = mapped_column(String(5), default=None)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    comment: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
