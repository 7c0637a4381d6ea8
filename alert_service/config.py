"""The alert service's own knobs: ALERT_* variables, plus TELEGRAM_* and SMTP_* as named.

TELEGRAM_BOT_TOKEN is StatusMonitor v1's name; TELEGRAM_API_URL lets tests and air-gapped sites
point the Bot API elsewhere. SMTP_* are the defaults e-mail channels use unless they set their own.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from core.settings import WorkerSettings

SmtpSecurity = Literal["starttls", "tls", "none"]
GroupBy = Literal["rule", "organization"]


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names, *(name.lower() for name in names))


class AlertSettings(WorkerSettings):
    model_config = SettingsConfigDict(
        env_prefix="ALERT_", env_file=".env", extra="ignore", populate_by_name=True
    )

    # Where links in notifications point (the dashboard as users reach it).
    public_url: str = "http://localhost:8080"

    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias=_env("TELEGRAM_BOT_TOKEN")
    )
    telegram_api_url: str = Field(
        default="https://api.telegram.org", validation_alias=_env("TELEGRAM_API_URL")
    )

    @field_validator("telegram_bot_token")
    @classmethod
    def _no_blank_token(cls, value: SecretStr | None) -> SecretStr | None:
        # `TELEGRAM_BOT_TOKEN=` (empty, as in .env.example) means no bot, like an unset one.
        token = value.get_secret_value().strip() if value else ""
        return SecretStr(token) if token else None

    @property
    def telegram_bot_base_url(self) -> str:
        """The Bot API's `{TELEGRAM_API_URL}/bot` prefix; PTB appends `{token}/{method}`."""
        return f"{self.telegram_api_url.rstrip('/')}/bot"

    # SMTP_SERVER and ALERT_EMAIL_FROM are the Device Monitoring Backend's names for the same
    # settings.
    smtp_host: str | None = Field(default=None, validation_alias=_env("SMTP_HOST", "SMTP_SERVER"))
    smtp_port: int = Field(default=587, gt=0, lt=65536, validation_alias=_env("SMTP_PORT"))
    smtp_username: str | None = Field(default=None, validation_alias=_env("SMTP_USERNAME"))
    smtp_password: SecretStr | None = Field(default=None, validation_alias=_env("SMTP_PASSWORD"))
    smtp_from: str = Field(
        default="StatusMonitor <statusmonitor@localhost>",
        validation_alias=_env("SMTP_FROM", "ALERT_EMAIL_FROM"),
    )
    # The Device Monitoring Backend's single-recipient setup: when set, every organization gets an
    # e-mail channel to these addresses (comma-separated) and a Slack channel to this webhook, both
    # also receiving the daily summary. Editable like any channel; unset to stop provisioning.
    email_to: str | None = None
    slack_webhook_url: SecretStr | None = Field(
        default=None, validation_alias=_env("SLACK_WEBHOOK_URL")
    )
    smtp_security: SmtpSecurity = Field(default="starttls", validation_alias=_env("SMTP_SECURITY"))

    # Outbound requests to private and loopback addresses (a webhook on the LAN, a local
    # SMTP relay) are refused unless the administrator allows them here. Link-local and
    # cloud-metadata addresses are always refused.
    outbound_allow_private: bool = False

    # Delivery: one attempt may take this long; failures are retried after 1 s, 2 s, 4 s...
    # up to the cap, at most max_attempts times, then logged as failed.
    delivery_timeout_seconds: float = Field(default=10, gt=0)
    delivery_max_attempts: int = Field(default=6, gt=0)
    delivery_backoff_seconds: float = Field(default=1, gt=0)
    delivery_backoff_max_seconds: float = Field(default=300, gt=0)
    # Notifications sent at the same time (a hanging channel holds one slot, not the queue).
    delivery_concurrency: int = Field(default=50, gt=0)

    # The evaluator and the delivery intake (stream knobs from WorkerSettings): shorter reads
    # and retry pauses than history's, since a late alert is worse than a late chart point.
    block_ms: int = Field(default=1000, gt=0)
    retry_max_seconds: float = Field(default=10, gt=0)
    # How often hosts are checked for missed reports (core.live.missed_intervals).
    offline_scan_seconds: float = Field(default=1, gt=0)

    # Daily summary (Device Monitoring Backend: at midnight): the hour (UTC) it goes out to channels
    # that asked for it.
    daily_summary_hour: int = Field(default=0, ge=0, le=23)

    # Platform alerts (alert_service/domain/redis_memory.py): Redis memory use is checked this
    # often, and past this share of its maxmemory the channels of these organizations are
    # told (none listed: the first organization, the one created with the first admin).
    redis_memory_check_seconds: float = Field(default=30, gt=0)
    redis_memory_alert_ratio: float = Field(default=0.8, gt=0, lt=1)
    platform_org_ids: list[int] = Field(default_factory=list)

    # Grouping, as Alertmanager does it: alert notifications of one group (per channel, and
    # per rule or per whole organization) wait `group_wait` after the first one, then go out
    # together; later changes to the group wait until `group_interval` after the previous
    # message. A message names up to `group_message_targets` targets; a flush sends at most
    # `group_max_messages` messages per kind, the last ending with "and N more".
    group_wait_seconds: float = Field(default=10, ge=0)
    group_interval_seconds: float = Field(default=60, ge=0)
    group_by: GroupBy = "rule"
    group_message_targets: int = Field(default=50, gt=0, le=500)
    group_max_messages: int = Field(default=4, gt=0, le=50)
