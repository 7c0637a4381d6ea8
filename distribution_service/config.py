"""The live view's own knobs, read from WS_* environment variables (or `.env`).

They live here rather than in core.settings because no other service needs them.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class LiveSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WS_", env_file=".env", extra="ignore")

    # Connections are closed (after a {"type": "reconnect"} message) at this age, or when the
    # access token expires if sooner, so a revoked or expired login cannot watch forever.
    max_connection_seconds: float = Field(default=3600, gt=0)
    # Frames waiting for one client; when full, the oldest is dropped.
    client_queue_frames: int = Field(default=100, gt=0)
    # Without ?token= in the URL, the first message must be {"type": "auth"} within this time.
    auth_timeout_seconds: float = Field(default=10, gt=0)
    max_subscriptions_per_connection: int = Field(default=1000, gt=0)
    # How long one send or close may block on a client that does not read before giving up.
    send_timeout_seconds: float = Field(default=5, gt=0)
    # Bytes waiting for one client (queued frames plus the one being written); a client that
    # falls further behind is disconnected (4408), so one that never reads costs at most this.
    client_buffer_bytes: int = Field(default=1_048_576, gt=0)
    # Every open socket re-checks its token and membership this often, besides at once when
    # the auth service reports an access change: a backstop for a missed pub/sub message.
    access_recheck_seconds: float = Field(default=30, gt=0)
    # The organization topic (domain/org_topic.py) sends at most one frame this often, with
    # every change since the previous one.
    org_frame_seconds: float = Field(default=1.0, ge=0.1, le=60)
