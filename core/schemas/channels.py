"""Notification channels as the API shows them: never a secret value, only which are set."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from pydantic import Field

from core.schemas.common import Name, Schema, StrictInput

# A channel's settings are a handful of fields; this bounds what one request can store.
_MAX_CONFIG_KEYS = 32
# CR, LF and NUL in `config` are refused per channel type, naming the setting (the alert
# service's channel validation, core.outbound.line_breaking_paths).
_CONFIG_CHECKED_LATER: frozenset[str] = frozenset({"config"})


class ChannelCreate(StrictInput):
    # Checked against the registered channel types by the alert service (core does not know them).
    type: str = Field(min_length=1, max_length=32)
    name: Name
    config: dict[str, Any] = Field(default_factory=dict, max_length=_MAX_CONFIG_KEYS)
    enabled: bool = True
    daily_summary: bool = False

    nul_checked_later: ClassVar[frozenset[str]] = _CONFIG_CHECKED_LATER


class ChannelUpdate(StrictInput):
    """Only what is sent changes. In `config`, omitted secrets keep their stored value and a
    secret sent as null is cleared."""

    name: Name | None = None
    config: dict[str, Any] | None = Field(default=None, max_length=_MAX_CONFIG_KEYS)
    enabled: bool | None = None
    daily_summary: bool | None = None

    nul_checked_later: ClassVar[frozenset[str]] = _CONFIG_CHECKED_LATER


class ChannelPublic(Schema):
    id: int
    type: str
    name: str
    enabled: bool
    daily_summary: bool
    config: dict[str, Any]  # the non-secret settings
    secrets_set: list[str]  # names of the secret settings that have a value
    # Stored secrets were sealed under another SECRET_KEY: they must be entered again.
    secrets_unreadable: bool = False
    user_id: int | None  # the owner of a personal channel (StatusMonitor v1's Telegram recipient)
    created_at: datetime
    updated_at: datetime


class ChannelType(Schema):
    """What the SPA needs to render a channel's form."""

    type: str
    label: str
    secret_fields: list[str]  # write-only: never returned once stored
    config_schema: dict[str, Any]  # JSON schema of `config`


class ChannelTestResult(Schema):
    ok: bool
    error: str | None = None  # why the channel could not deliver, when ok is false


class DeliveryPublic(Schema):
    event_key: str
    kind: str
    alert_id: int | None
    status: str  # sending | sent | failed
    attempts: int
    error: str | None
    created_at: datetime
    updated_at: datetime
