"""Running one check in tests the way the probe does."""

from __future__ import annotations

from probe_service.checks import CheckContext, CheckResult, Target, get_check
from probe_service.checks._run import run_check


async def check(
    type_: str, target: str, ctx: CheckContext, seconds: float = 5, **config: object
) -> CheckResult:
    """One check the way the probe runs it: target and config validated, then run_check."""
    kind = get_check(type_)
    validated = Target(kind.validate_target(target), kind.Config(**config), seconds)
    return await run_check(kind, validated, ctx)


async def check_unvalidated(
    type_: str, target: str, ctx: CheckContext, seconds: float = 5, **config: object
) -> CheckResult:
    """A target stored past validation (an older row, a direct write): the run must refuse it
    on its own."""
    kind = get_check(type_)
    return await run_check(kind, Target(target, kind.Config(**config), seconds), ctx)
