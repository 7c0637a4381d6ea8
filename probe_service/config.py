"""The probe service's own knobs: PROBE_* variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from core.settings import WorkerSettings


class ProbeSettings(WorkerSettings):
    model_config = SettingsConfigDict(env_prefix="PROBE_", env_file=".env", extra="ignore")

    # Monitoring the LAN is what a self-hosted install is for, so monitors may check private
    # and loopback addresses by default. A shared instance (users who must not reach the
    # host's network) sets this to false. Link-local and cloud-metadata addresses are always
    # refused, also after DNS resolution and redirects (core/outbound.py).
    outbound_allow_private: bool = True
    # Checks running at once in one probe process, and against one target host: enough for
    # thousands of monitors, too few to turn the service into a scanner.
    max_concurrency: int = Field(default=500, gt=0, le=10_000)
    max_per_host: int = Field(default=8, gt=0, le=1000)
    # "Test now" checks an organization may run per minute: a form's button, not a scanner.
    test_now_per_minute: int = Field(default=30, gt=0, le=10_000)
    # How often a worker reloads the monitors (edits also arrive at once through Redis).
    reload_seconds: float = Field(default=10, gt=0)
    # Replicas announce themselves this often; one silent for `replica_ttl_seconds` is gone
    # and its monitors are taken over (well within the shortest interval, 20 s).
    heartbeat_seconds: float = Field(default=2, gt=0)
    replica_ttl_seconds: float = Field(default=8, gt=0)
    # Check results are written (checks, state, rollups, reports) this often, in batches.
    flush_seconds: float = Field(default=1, gt=0)
    # Push monitors are scanned for missed deadlines this often.
    push_scan_seconds: float = Field(default=0.5, gt=0)
    # Raw check rows are kept this long; history keeps the series and rollups the uptime.
    checks_retention_hours: int = Field(default=48, gt=0, le=24 * 90)
    # Daily uptime rollups are kept this long (past raw history's retention).
    rollup_retention_days: int = Field(default=400, gt=0)
    # Calls one push URL may make per minute (a cron job sends one or two): a script stuck
    # in a loop gets 429s instead of filling the database.
    push_per_minute: int = Field(default=60, gt=0, le=100_000)
    # Push runs kept per monitor (their logs).
    push_runs_kept: int = Field(default=100, gt=0, le=10_000)
    # A PEM file of CA certificates trusted besides the system's by HTTPS, TCP-with-TLS and
    # certificate monitors: for a LAN whose services carry an internal CA's certificates.
    extra_ca_file: str | None = None
    # Where users reach the platform, for the push URLs shown in the dashboard.
    public_url: str = "http://localhost:8080"
