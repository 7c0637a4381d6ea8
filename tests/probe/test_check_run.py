"""run_check and check_context: what every monitor type runs inside."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from probe_service.checks import Check, CheckConfig, CheckContext, CheckResult, Target
from probe_service.checks._context import check_context
from probe_service.checks._run import run_check


class _Scripted(Check):
    """Not registered: a check doing what a test tells it to."""

    type = "scripted"
    title = "Scripted"
    target_label = ""
    Config = CheckConfig

    async def run(self, target: Target, ctx: CheckContext) -> CheckResult:
        if target.target == "sleep":
            await asyncio.sleep(10)
        if target.target == "bug":
            raise RuntimeError("a bug in the check")
        if target.target == "metadata":
            # A check that forgot to resolve and check its target itself.
            await asyncio.open_connection("169.254.169.254", 80)
        return CheckResult(ok=True)


def _target(what: str, seconds: float = 5) -> Target:
    return Target(what, CheckConfig(), seconds)


async def test_the_timeout_covers_the_whole_check(ctx: CheckContext) -> None:
    result = await run_check(_Scripted(), _target("sleep", 0.2), ctx)
    assert not result.ok and result.error == "timed out after 0.2 s"


async def test_an_exception_is_a_failed_result_not_a_crash(ctx: CheckContext) -> None:
    result = await run_check(_Scripted(), _target("bug"), ctx)
    assert not result.ok and result.error == "RuntimeError: a bug in the check"


async def test_every_connection_runs_under_the_outbound_guard(ctx: CheckContext) -> None:
    result = await run_check(_Scripted(), _target("metadata"), ctx)
    assert not result.ok and result.error is not None
    assert result.error.startswith("refused to connect to 169.254.169.254 port 80")


async def test_a_passing_check_passes_through(ctx: CheckContext) -> None:
    assert await run_check(_Scripted(), _target("fine"), ctx) == CheckResult(ok=True)


async def test_the_clients_leave_redirects_and_the_environment_alone() -> None:
    async with check_context(allow_private=False) as ctx:
        for client in (ctx.http, ctx.http_insecure):
            assert not client.follow_redirects and not client.trust_env
        assert not ctx.allow_private and ctx.extra_ca_file is None
    assert ctx.http.is_closed and ctx.http_insecure.is_closed


async def test_a_missing_extra_ca_file_fails_at_start(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        async with check_context(allow_private=True, extra_ca_file=str(tmp_path / "none.pem")):
            pass
