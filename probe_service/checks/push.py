"""Push (heartbeat) monitors, as Healthchecks has them: cron jobs and batch work call a
secret URL; a call missing past its deadline means down.

The schedule is a period (a run every N seconds) or a cron expression in a time zone; the
grace time is how late a run may be. Nothing is checked from here: calls arrive at
routes/push.py and the worker's lateness scan (domain/push.py) marks missed deadlines.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cronsim import CronSim, CronSimError
from pydantic import Field, model_validator

from core.schemas.common import TimeZoneName
from probe_service.checks.base import (
    Check,
    CheckConfig,
    CheckContext,
    CheckResult,
    Target,
    register,
)

MAX_PERIOD = 366 * 86_400


class PushConfig(CheckConfig):
    # Expected every `period_seconds`, or at the times of `cron` (in `timezone`).
    period_seconds: int = Field(default=86_400, ge=20, le=MAX_PERIOD)
    cron: str | None = Field(default=None, max_length=200)
    timezone: TimeZoneName = "UTC"
    grace_seconds: int = Field(default=3600, ge=0, le=30 * 86_400)

    @model_validator(mode="after")
    def _valid_cron(self) -> PushConfig:
        if self.cron:
            try:
                CronSim(self.cron, datetime.now(ZoneInfo(self.timezone)))
            except (CronSimError, ValueError) as exc:
                raise ValueError(f"cron: not a valid cron expression: {exc}") from None
        return self

    def deadline(self, after: datetime) -> datetime:
        """When a run expected after `after` is late: the next expected time plus grace."""
        if self.cron:
            zone = ZoneInfo(self.timezone)
            expected = next(CronSim(self.cron, after.astimezone(zone)))
        else:
            expected = after + timedelta(seconds=self.period_seconds)
        return expected + timedelta(seconds=self.grace_seconds)


@register
class Push(Check):
    type = "push"
    title = "Push (heartbeat)"
    target_label = ""
    Config = PushConfig
    scheduled = False

    def validate_target(self, target: str) -> str:
        if target:
            raise ValueError("push monitors have no target: their jobs call the push URL")
        return ""

    async def run(self, target: Target, ctx: CheckContext) -> CheckResult:
        return CheckResult(ok=False, error="push monitors are not checked: they wait for calls")
