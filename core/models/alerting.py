"""Alert rules and notification channels (issue 5 builds evaluation and delivery on these)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAtMixin, utcnow

# Keys longer than their column are hashed by whoever builds them, never cut: a cut made two
# events (a firing and its resolution) one key, and the unique index dropped the second.
EVENT_KEY_LENGTH = 200  # alert_events.key and the event_key of deliveries and group items
TARGET_KEY_LENGTH = 300  # alert_states.target_key


class AlertRule(CreatedAtMixin, Base):
    """`metric` compared with `threshold` by `condition` for one agent, or every agent."""

    __tablename__ = "alert_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    # "agent" (hosts) or "monitor" (probe_service's monitors): what the rule watches.
    target_type: Mapped[str] = mapped_column(String(16), default="agent", server_default="agent")
    # None: every agent of the organization.
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), index=True, default=None
    )
    # With target_type "monitor": this monitor; None: every monitor (with `labels`).
    monitor_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitors.id", ondelete="CASCADE"), index=True, default=None
    )
    metric: Mapped[str] = mapped_column(String(200))
    condition: Mapped[str] = mapped_column(String(2))
    threshold: Mapped[float]
    for_seconds: Mapped[int] = mapped_column(default=0)
    severity: Mapped[str] = mapped_column(String(16), default="warning")
    renotify_seconds: Mapped[int] = mapped_column(default=300)
    enabled: Mapped[bool] = mapped_column(default=True)
    # With agent_id None: only agents carrying all these labels (none: every agent).
    labels: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict, server_default="{}")
    # For per-item metrics (partitions, interfaces, sensors): only items with these labels,
    # e.g. {"mountpoint": "/data"}; none: every item, each alerting on its own.
    match: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict, server_default="{}")
    # Recover only this far back from the threshold (in the metric's unit): no flapping.
    hysteresis: Mapped[float] = mapped_column(default=0, server_default="0")
    # Channels to notify; empty: every enabled channel of the organization.
    channel_ids: Mapped[list[int]] = mapped_column(JSONB, default=list, server_default="[]")
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
    # The user a personal channel belongs to (StatusMonitor v1's per-user Telegram recipient).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, default=None
    )
    type: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    config: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # The type's secret settings (bot token, SMTP password, webhook secret) as one encrypted
    # JSON object (core.crypto); never returned by the API.
    secrets: Mapped[str | None] = mapped_column(Text, default=None)
    enabled: Mapped[bool] = mapped_column(default=True)
    # Receives the daily summary (Device Monitoring Backend) besides alerts.
    daily_summary: Mapped[bool] = mapped_column(default=False, server_default="false")
    # A personal Telegram chat is confirmed when the bot receives the code POST /recipient
    # gave its owner, from that very chat: only then may the chat act as them (/ack).
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    confirm_code_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    updated_at: Mapped[datetime] = mapped_column(
        default=utcnow, onupdate=utcnow, server_default=func.now()
    )
    # Pacing: nothing is sent here before this time (a send in flight, the service's rate
    # limit, or the wait a 429 asked for). Shared by every delivery worker replica.
    send_after: Mapped[datetime | None] = mapped_column(default=None)


class NotificationDelivery(CreatedAtMixin, Base):
    """The delivery log: one row per message to a channel (an event, or a group message
    naming several alert events, see NotificationGroup), with its outcome."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (UniqueConstraint("channel_id", "event_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("notification_channels.id", ondelete="CASCADE"), index=True
    )
    event_key: Mapped[str] = mapped_column(String(EVENT_KEY_LENGTH))
    kind: Mapped[str] = mapped_column(String(16))
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alerts.id", ondelete="SET NULL"), default=None
    )
    status: Mapped[str] = mapped_column(String(16))  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(1000), default=None)
    # What to send (an encoded core.notifications.Notification) while not yet sent.
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    # Pending rows are (re)tried from this time on; a sender holds a row by moving it ahead.
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # A group's messages (NotificationGroup.key) leave in the order they were made.
    group_key: Mapped[str | None] = mapped_column(String(200), default=None)


class NotificationGroup(CreatedAtMixin, Base):
    """Alertmanager's aggregation group for one channel: alert events with this key wait until
    `flush_at` (the group wait after the first one, at least the group interval after the
    previous flush), then leave together as few messages."""

    __tablename__ = "notification_groups"
    __table_args__ = (UniqueConstraint("channel_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("notification_channels.id", ondelete="CASCADE")
    )
    key: Mapped[str] = mapped_column(String(200))  # "rule:17", or "org" (one group per org)
    # When the waiting events are due; None while nothing waits.
    flush_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    flushed_at: Mapped[datetime | None] = mapped_column(default=None)


class NotificationGroupItem(CreatedAtMixin, Base):
    """One alert event for one channel, waiting in its group ("waiting"), then named in a
    group message ("grouped", `message_id`), or left out because its alert was silenced or
    acknowledged meanwhile ("dropped"). Unique per (channel, event): a replay is a no-op."""

    __tablename__ = "notification_group_items"
    __table_args__ = (
        UniqueConstraint("channel_id", "event_key"),
        Index(
            "ix_notification_group_items_waiting",
            "channel_id",
            "group_key",
            postgresql_where=text("status = 'waiting'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("notification_channels.id", ondelete="CASCADE")
    )
    event_key: Mapped[str] = mapped_column(String(EVENT_KEY_LENGTH))
    group_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alerts.id", ondelete="SET NULL"), default=None
    )
    status: Mapped[str] = mapped_column(String(16))  # waiting | grouped | dropped
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification_deliveries.id", ondelete="SET NULL"), default=None
    )


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
    monitor_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitors.id", ondelete="CASCADE"), index=True, default=None
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
    # The item of a per-item metric ({"mountpoint": "/data"}); empty for host-level values.
    labels: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict, server_default="{}")


class AlertState(Base):
    """Where the state machine of one (rule, target) stands, so a restart continues there."""

    __tablename__ = "alert_states"

    rule_id: Mapped[int] = mapped_column(
        ForeignKey("alert_rules.id", ondelete="CASCADE"), primary_key=True
    )
    # "<target id>" or "<target id>|mountpoint=/data" for one item of a per-item metric
    # ("<target id>#<digest>" for labels too long or ambiguous to spell out, see state_key).
    target_key: Mapped[str] = mapped_column(String(TARGET_KEY_LENGTH), primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    phase: Mapped[str] = mapped_column(String(16))
    since: Mapped[float | None] = mapped_column(default=None)
    notified_at: Mapped[float | None] = mapped_column(default=None)
    reminders: Mapped[int] = mapped_column(default=0)
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alerts.id", ondelete="SET NULL"), default=None
    )
    # The newest observation applied: older ones (replays, reordering) are ignored.
    last_ts: Mapped[float] = mapped_column(default=0)
    # Optimistic concurrency between evaluator replicas.
    version: Mapped[int] = mapped_column(default=0)


class AlertEvent(CreatedAtMixin, Base):
    """Outbox of alert events: written with the state change, then put on the stream.

    The unique key makes a replayed event a no-op; `enqueued_at` is set once the
    notifications are on the `notifications` stream, so a crash in between is caught up.
    """

    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), default=None
    )
    key: Mapped[str] = mapped_column(String(EVENT_KEY_LENGTH), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    channel_ids: Mapped[list[int]] = mapped_column(JSONB, default=list)
    # The rendered message (title, text, fields, severity, link) every channel receives.
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    enqueued_at: Mapped[datetime | None] = mapped_column(default=None, index=True)


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
    # A monitor's alerts only (monitors and hosts each have their own ids).
    monitor_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitors.id", ondelete="CASCADE"), default=None
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
