"""Uptime monitors (probe_service): what to check, where each one stands, and what it did.

A monitor's settings are the common columns plus `config`, the JSON its type's schema
(probe_service/checks/<type>.py) validates. Its state (`status` and the `last_*` columns) is
written by the probe worker that owns it; checks, incidents, rollups and push runs are its
record. Every check is also a Report on the `reports` stream (target type "monitor").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAtMixin, utcnow


class Monitor(CreatedAtMixin, Base):
    __tablename__ = "monitors"
    __table_args__ = (
        # The push lateness scan: due push monitors, soonest first.
        Index(
            "ix_monitors_push_deadline",
            "push_deadline",
            postgresql_where=text("type = 'push' AND active"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(16))  # a key of the check registry
    # What is checked: a URL (http), a host name or address (tcp, ping, dns, tls); "" for push.
    target: Mapped[str] = mapped_column(String(2048), default="")
    config: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # The type's secret settings (basic-auth password, bearer token) as one encrypted JSON
    # object (core.crypto); never returned by the API.
    secrets: Mapped[str | None] = mapped_column(Text, default=None)
    interval_seconds: Mapped[int] = mapped_column(default=60)
    retry_interval_seconds: Mapped[int] = mapped_column(default=60)
    retries: Mapped[int] = mapped_column(default=0)  # failed checks before "down"
    timeout_seconds: Mapped[float] = mapped_column(default=10)
    upside_down: Mapped[bool] = mapped_column(default=False)
    labels: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    description: Mapped[str] = mapped_column(String(1000), default="")
    active: Mapped[bool] = mapped_column(default=True)
    # Dependency: while the parent is down this monitor is "unreachable", not down.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitors.id", ondelete="SET NULL"), index=True, default=None
    )
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # -- state, written by the probe ----------------------------------------------------------
    # pending | up | degraded | down | unreachable | paused (core.schemas.monitors.Status)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    status_since: Mapped[datetime] = mapped_column(default=utcnow)
    failures: Mapped[int] = mapped_column(default=0)  # consecutive failed checks
    last_check_at: Mapped[datetime | None] = mapped_column(default=None)
    last_response_ms: Mapped[float | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(String(1000), default=None)
    cert_expires_at: Mapped[datetime | None] = mapped_column(default=None)

    # -- push monitors -------------------------------------------------------------------------
    # The secret part of the push URL (/ping/<key>); shown to operators, like Healthchecks.
    push_key: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    # Late (down) after this: the next expected ping plus the grace time.
    push_deadline: Mapped[datetime | None] = mapped_column(default=None)
    push_started_at: Mapped[datetime | None] = mapped_column(default=None)  # a run's /start
    last_ping_at: Mapped[datetime | None] = mapped_column(default=None)


class MonitorCheck(Base):
    """One check's outcome, kept PROBE_CHECKS_RETENTION_HOURS (history keeps the series)."""

    __tablename__ = "monitor_checks"
    __table_args__ = (Index("ix_monitor_checks_monitor_id_checked_at", "monitor_id", "checked_at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    monitor_id: Mapped[int] = mapped_column(ForeignKey("monitors.id", ondelete="CASCADE"))
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    checked_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16))
    response_ms: Mapped[float | None] = mapped_column(default=None)
    status_code: Mapped[int | None] = mapped_column(default=None)
    error: Mapped[str | None] = mapped_column(String(1000), default=None)
    # Small facts of the answer: certificate days left, packet loss, DNS answers...
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class MonitorIncident(Base):
    """Down time: opened when a monitor goes down (after its retries), closed when it is back."""

    __tablename__ = "monitor_incidents"
    __table_args__ = (
        Index(
            "ix_monitor_incidents_open",
            "monitor_id",
            unique=True,
            postgresql_where=text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    monitor_id: Mapped[int] = mapped_column(
        ForeignKey("monitors.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    error: Mapped[str | None] = mapped_column(String(1000), default=None)


class MonitorRollup(Base):
    """Check counts per monitor and hour ("h", kept 48 h) or day ("d", kept beyond raw
    history's retention): uptime for any window and the daily bars come from these."""

    __tablename__ = "monitor_rollups"

    monitor_id: Mapped[int] = mapped_column(
        ForeignKey("monitors.id", ondelete="CASCADE"), primary_key=True
    )
    period: Mapped[str] = mapped_column(String(1), primary_key=True)
    bucket: Mapped[datetime] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    up: Mapped[int] = mapped_column(default=0)
    degraded: Mapped[int] = mapped_column(default=0)
    down: Mapped[int] = mapped_column(default=0)
    unreachable: Mapped[int] = mapped_column(default=0)
    response_ms_sum: Mapped[float] = mapped_column(default=0)
    response_count: Mapped[int] = mapped_column(default=0)


class PushRun(Base):
    """One run a push monitor was told about: its start, its end and the log it sent."""

    __tablename__ = "push_runs"
    __table_args__ = (Index("ix_push_runs_monitor_id_received_at", "monitor_id", "received_at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    monitor_id: Mapped[int] = mapped_column(ForeignKey("monitors.id", ondelete="CASCADE"))
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))  # start | success | fail | log
    exit_status: Mapped[int | None] = mapped_column(default=None)
    duration_ms: Mapped[float | None] = mapped_column(default=None)
    body: Mapped[str] = mapped_column(Text, default="")  # the first 10 KB sent
    message: Mapped[str | None] = mapped_column(String(1000), default=None)
