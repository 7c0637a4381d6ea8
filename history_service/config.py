"""The history service's own knobs, read from HISTORY_* environment variables (or `.env`).

They live here rather than in core.settings because no other service needs them.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from core.settings import WorkerSettings


class HistorySettings(WorkerSettings):
    model_config = SettingsConfigDict(env_prefix="HISTORY_", env_file=".env", extra="ignore")

    # The worker's stream knobs come from WorkerSettings (a batch is one VictoriaMetrics write).
    write_timeout_seconds: float = Field(default=15, gt=0)
    # VictoriaMetrics keeps fresh samples in memory for a while (up to ~10 s in 1.79, 5 s by
    # default in newer versions): entries are acknowledged only after it has run this long
    # since their write, and written again if it restarted meanwhile (a crash lost them).
    # Must stay below claim_idle_ms.
    durable_after_seconds: float = Field(default=15, ge=0)

    # The API.
    query_timeout_seconds: float = Field(default=15, gt=0)
    # A chart never gets more points per series than this.
    max_points: int = Field(default=1000, ge=10)
    # Step floor when the agent's report interval is unknown (it has never reported live).
    default_interval_seconds: float = Field(default=5, gt=0)
