"""Host agents as the API shows them; the token appears only in AgentCreated."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from core.schemas.common import Id, Labels, Name, Schema, StrictInput


class AgentCreate(StrictInput):
    name: Name
    labels: Labels = Field(default_factory=dict)


class AgentUpdate(StrictInput):
    name: Name | None = None
    labels: Labels | None = None
    # The monitor this host sits behind (its router, its hypervisor): while that monitor is
    # down the host is unreachable and gets no offline alert. Explicit null removes it.
    parent_monitor_id: Id | None = None


class AgentPublic(Schema):
    id: int
    org_id: int
    name: str
    labels: dict[str, str]
    host_info: dict[str, Any]
    created_at: datetime
    token_status: Literal["pending", "active", "expired"]
    activation_deadline: datetime | None
    activated_at: datetime | None
    last_seen_at: datetime | None
    parent_monitor_id: int | None = None


class AgentCreated(AgentPublic):
    token: str = Field(description="Shown once: store it now, only its hash is kept")


class AgentTokenValidation(StrictInput):
    token: str | None = Field(default=None, max_length=512)


class AgentTokenValidity(Schema):
    valid: bool
    agent_id: int | None = None
    agent_name: str | None = None
    org_id: int | None = None


class AgentOverview(Schema):
    id: int
    name: str
    labels: dict[str, str]
    host_info: dict[str, Any]
    status: Literal["online", "offline", "never"]  # never: no report yet
    last_seen: float | None  # unix seconds of the latest report
    interval: float | None
    values: dict[str, float]  # latest cpu/memory/disk/swap percent, load, network rates


class AgentsOverview(Schema):
    data: list[AgentOverview]
    count: int
    online: int
    offline: int  # includes agents that never reported
