""" "Test now": one check with settings not yet saved, its result shown and nothing stored."""

from __future__ import annotations

from redis.asyncio import Redis

from core.errors import Unprocessable
from core.schemas.monitors import CheckResultPublic, MonitorCreate
from probe_service.checks import CheckContext, Target
from probe_service.checks._run import run_check
from probe_service.domain.budget import spend
from probe_service.domain.monitors import check_of, parse
from probe_service.domain.state import Verdict, verdict


async def allow_test(redis: Redis, org_id: int, per_minute: int) -> None:
    """429 past `per_minute` test checks of the organization in this minute: the button is
    for trying settings, not for probing a network from the server."""
    await spend(redis, f"probe:test-now:{org_id}", per_minute, "test checks")


async def test_now(data: MonitorCreate, ctx: CheckContext) -> CheckResultPublic:
    check = check_of(data.type)
    if not check.scheduled:
        raise Unprocessable(f"type: {check.title} monitors are not checked: they wait for calls")
    target, config = parse(check, data.target, data.config)
    result = await run_check(check, Target(target, config, data.timeout_seconds), ctx)
    seen = verdict(result, data.upside_down)
    error = result.error
    if data.upside_down and result.ok:
        error = "the check passed, which upside-down mode counts as down"
    return CheckResultPublic(
        status="down" if seen is Verdict.failed else ("up" if seen is Verdict.up else "degraded"),
        response_ms=result.response_ms,
        error=error,
        metrics=result.metrics,
        details=result.details,
    )
