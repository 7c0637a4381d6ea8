"""One settings object for every service, read from the environment (and `.env`)."""

from __future__ import annotations

import os
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network
from typing import Literal

from pydantic import Field, IPvAnyNetwork, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The development default is deliberately recognisable so production can refuse it.
DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"  # noqa: S105
MIN_SECRET_KEY_LENGTH = 32

RegistrationPolicy = Literal["open", "invite", "first-user"]


def _loopback() -> list[IPv4Network | IPv6Network]:
    return [IPv4Network("127.0.0.0/8"), IPv6Network("::1/128")]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    log_level: str = "INFO"

    database_url: str = "postgresql+asyncpg://statusmonitor@127.0.0.1:55432/statusmonitor"
    db_pool_size: int = 10
    redis_url: str = "redis://127.0.0.1:56379/0"
    tsdb_url: str = "http://127.0.0.1:58428"

    secret_key: str = DEV_SECRET_KEY
    jwt_issuer: str = "statusmonitor"
    jwt_audience: str = "statusmonitor"
    access_token_expire_minutes: int = Field(default=30, gt=0)
    refresh_token_expire_days: int = Field(default=7, gt=0)
    # A refresh whose answer never arrived (a reload cuts the request off after the server
    # rotated) may be presented again this long after its use, while its successor is
    # still unused: the successor is revoked and a new pair issued instead of treating it
    # as theft. 0 turns the grace off.
    refresh_reuse_grace_seconds: int = Field(default=20, ge=0, le=300)

    registration_policy: RegistrationPolicy = "first-user"
    password_min_length: int = Field(default=10, ge=8)
    login_max_failures: int = Field(default=10, gt=0)
    login_failure_window_seconds: int = Field(default=900, gt=0)

    # An invitation link works this long; after that the admin invites again.
    invitation_expire_days: int = Field(default=7, gt=0, le=365)

    agent_token_activation_minutes: int = Field(default=5, gt=0)
    agent_token_cache_seconds: int = Field(default=30, ge=0)

    # The first admin `make run` creates (python -m core.admin ensure-admin); no password means
    # one is generated and printed once.
    admin_email: str = "admin@localhost"
    admin_password: SecretStr | None = None

    # The metrics pipeline.
    reports_stream_maxlen: int = Field(default=1_000_000, gt=0)
    tsdb_retention: str = "90d"
    # An agent is shown offline after this many missed report intervals.
    offline_after_missed_intervals: int = Field(default=3, gt=0)

    max_body_bytes: int = Field(default=1_048_576, gt=0)
    cors_origins: list[str] = Field(default_factory=list)
    # Peers whose X-Real-IP / X-Forwarded-For name the client (the gateway); from anyone else
    # those headers are ignored. make run's nginx connects over loopback.
    trusted_proxies: list[IPvAnyNetwork] = Field(default_factory=_loopback)

    # Login flood protection (besides LOGIN_MAX_FAILURES per address and username): failures
    # per username from all addresses within LOGIN_FAILURE_WINDOW_SECONDS, and failures of
    # every login together within LOGIN_GLOBAL_FAILURE_WINDOW_SECONDS.
    login_max_failures_per_username: int = Field(default=50, gt=0)
    login_max_failures_global: int = Field(default=300, gt=0)
    login_global_failure_window_seconds: int = Field(default=60, gt=0)
    # Argon2 hashes computed at once (each takes ~64 MiB and a core for a fraction of a
    # second), off the event loop; further logins wait their turn. Default: the CPU count.
    password_hash_workers: int = Field(default_factory=lambda: os.cpu_count() or 1, gt=0)

    # The browser's refresh-token cookie is Secure when this says so; unset: when the request
    # came over https (our scheme, or a trusted proxy's X-Forwarded-Proto).
    session_cookie_secure: bool | None = None

    @model_validator(mode="after")
    def _refuse_weak_secret_in_production(self) -> Settings:
        if not self.secret_key:
            raise ValueError("SECRET_KEY must not be empty: unset it or give it a random value")
        if self.env == "production" and (
            self.secret_key == DEV_SECRET_KEY or len(self.secret_key) < MIN_SECRET_KEY_LENGTH
        ):
            raise ValueError(
                "SECRET_KEY must be set to a random value of at least "
                f"{MIN_SECRET_KEY_LENGTH} characters when ENV=production "
                '(python -c "import secrets; print(secrets.token_hex(32))")'
            )
        return self


class WorkerSettings(BaseSettings):
    """What every stream-consuming worker can tune. Services inherit these under their own
    prefix (HISTORY_BATCH_SIZE, ALERT_BATCH_SIZE...) and may change the defaults."""

    # Entries per read, and how long one read waits for new ones.
    batch_size: int = Field(default=500, gt=0, le=10_000)
    block_ms: int = Field(default=2000, gt=0)
    # Entries a dead worker left unacknowledged this long are taken over by a live one. Must
    # exceed the longest retry pause so a live but struggling worker keeps its own.
    claim_idle_ms: int = Field(default=60_000, gt=0)
    # Retries after a failed batch wait 0.5 s, 1 s, 2 s, ... up to this.
    retry_max_seconds: float = Field(default=30, gt=0)
    # An undecodable entry is tried this often, then parked in `<stream>:dead`.
    max_deliveries: int = Field(default=5, gt=0)
    # Prometheus metrics of the worker process (the API serves its own on /metrics).
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = Field(default=None, gt=0, lt=65536)


@lru_cache
def get_settings() -> Settings:
    """Settings for process entry points (CLI, migrations); apps receive theirs explicitly."""
    return Settings()
