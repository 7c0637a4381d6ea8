"""The history service's own knobs, read from HISTORY_* environment variables (or `.env`).

They live here rather than in core.settings because no other service needs them.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class HistorySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HISTORY_", env_file=".env", extra="ignore")

    # The worker: reports per VictoriaMetrics write, and how long one read waits for new ones.
    batch_size: int = Field(default=500, gt=0, le=10_000)
    block_ms: int = Field(default=2000, gt=0)
    # Entries a dead worker left unacknowledged this long are taken over by a live one. Must
    # exceed the longest retry pause (30 s) so a live but struggling worker keeps its own.
    claim_idle_ms: int = Field(default=60_000, gt=0)
    # Retries after a failed write wait 0.5 s, 1 s, 2 s, ... up to this.
    retry_max_seconds: float = Field(default=30, gt=0)
    # An undecodable entry is tried this often, then parked in `reports:dead`.
    max_deliveries: int = Field(default=5, gt=0)
    write_timeout_seconds: float = Field(default=15, gt=0)
    # Prometheus metrics of the worker process (the API serves its own on /metrics).
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = Field(default=None, gt=0, lt=65536)

    # The API.
    query_timeout_seconds: float = Field(default=15, gt=0)
    # A chart never gets more points per series than this.
    max_points: int = Field(default=1000, ge=10)
    # Step floor when the agent's report interval is unknown (it has never reported live).
    default_interval_seconds: float = Field(default=5, gt=0)
