"""Host agents: each pushes metrics with its own token, stored only as a SHA-256 hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAtMixin


class Agent(CreatedAtMixin, Base):
    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_created_at: Mapped[datetime]
    # A token unused by this deadline is dead; the first use clears it for good.
    activation_deadline: Mapped[datetime | None]
    activated_at: Mapped[datetime | None] = mapped_column(default=None)
    last_seen_at: Mapped[datetime | None] = mapped_column(default=None)
    host_info: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    labels: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    # Dependency: while this monitor (the host's router...) is down, the host is unreachable
    # and its offline alert is not sent; the monitor's own alert says it all.
    parent_monitor_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitors.id", ondelete="SET NULL", use_alter=True), default=None
    )
