"""The ingestion service's own knobs, read from INGEST_* environment variables (or `.env`).

They live here rather than in core.settings because no other service needs them.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DAY = 86_400


class IngestSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INGEST_", env_file=".env", extra="ignore")

    # In-process token cache in front of core.agent_auth (Redis, then PostgreSQL). Revocations
    # are pushed over pub/sub, so the TTL only bounds staleness if that feed is interrupted.
    token_cache_seconds: float = Field(default=30.0, ge=0)
    # Unknown tokens are remembered briefly, so a flood of bad tokens does not reach PostgreSQL.
    token_negative_cache_seconds: float = Field(default=1.0, ge=0, le=1)
    token_cache_size: int = Field(default=100_000, gt=0)

    # Stream appends are batched: everything that arrives while a pipeline is in flight goes
    # into the next one, up to this many reports.
    append_max_batch: int = Field(default=1000, gt=0)
    # Seconds a 503 asks agents to wait before retrying when Redis is unreachable.
    retry_after_seconds: int = Field(default=5, gt=0)

    # Timestamps further in the future are a broken clock; older ones VictoriaMetrics would drop
    # silently (outside its retention or dedup window), so both are refused loudly.
    max_future_seconds: float = Field(default=300, gt=0)
    max_age_seconds: float = Field(default=7 * DAY, gt=0)

    # uvicorn's line per request: at thousands of reports a second it cost ~40% of the
    # throughput, and /metrics already counts every answer by path and status.
    access_log: bool = False

    # Agents' last-seen times (and changed host info) reach PostgreSQL this often.
    activity_flush_seconds: float = Field(default=2.0, gt=0)

    # Metrics Collection API: a repeated message_id within this window is acknowledged but stored
    # once.
    dedup_seconds: int = Field(default=7 * DAY, gt=0)
    recent_messages: int = Field(default=100, gt=0, le=1000)

    # --- bounds: what one agent token can make the platform store ---------------------------
    # Message ids remembered per agent for the window above; the oldest are forgotten first
    # (a collector sending every 10 s sends 8,640 a day; retries come within minutes).
    dedup_max_ids: int = Field(default=10_000, gt=0)
    # Bytes one report may take on the stream and in the live view, and all reports of one
    # request (a replayed backlog, a line-protocol write). Our agent's reports take ~5 KB.
    max_report_bytes: int = Field(default=512 * 1024, gt=0)
    max_request_report_bytes: int = Field(default=8 * 1024 * 1024, gt=0)
    # Series (a metric with its labels, per agent) each agent and each organization may have
    # seen within the window; a request adding one past a cap is refused with 429, and a
    # series unseen for the window stops counting. Our agent sends ~50-500 per host.
    series_per_agent: int = Field(default=10_000, gt=0)
    series_per_org: int = Field(default=100_000, gt=0)
    series_window_seconds: int = Field(default=DAY, gt=0)
