"""The probe worker: `python -m probe_service.worker` (run one or more replicas).

It checks the monitors it owns on schedule, writes their outcomes, and scans push monitors
for missed deadlines; replicas split the monitors between them (domain/replicas.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from core.crypto import SecretBox
from core.logging import get_logger
from core.outbound import platform_stores
from core.tasks import stop_task
from core.worker_factory import WorkerContext, run_worker
from probe_service.checks._context import check_context
from probe_service.config import ProbeSettings
from probe_service.domain import push, retention
from probe_service.domain.prober import Prober
from probe_service.domain.replicas import Membership
from probe_service.domain.writer import Writer

log = get_logger(__name__)

RETENTION_SECONDS = 600
CHANGE_POLL_SECONDS = 1


async def probe(
    ctx: WorkerContext[ProbeSettings], on_ready: Callable[[Prober], None] | None = None
) -> None:
    """The worker; `on_ready` is handed the scheduler once it runs (benchmarks read its lags)."""
    config = ctx.config
    maxlen = ctx.settings.reports_stream_maxlen
    checks = await ctx.enter(
        check_context(
            config.outbound_allow_private,
            config.max_concurrency,
            config.extra_ca_file,
            platform_stores(ctx.settings),
        )
    )
    membership = Membership(ctx.redis, config.replica_ttl_seconds)
    writer = Writer(ctx.sessionmaker, ctx.redis, maxlen=maxlen)
    prober = Prober(
        config,
        ctx.sessionmaker,
        ctx.redis,
        SecretBox(ctx.settings.secret_key),
        checks,
        membership,
        writer.add,
    )

    async def heartbeat() -> None:
        if await membership.heartbeat():
            log.info("probe replicas changed", replicas=len(membership.members))
            prober.reschedule()

    async def scan_push() -> None:
        await push.mark_late(ctx.sessionmaker, ctx.redis, maxlen=maxlen)

    async def prune() -> None:
        await retention.prune(ctx.sessionmaker, config)

    await membership.heartbeat()
    await prober.reload()
    jobs = [
        asyncio.create_task(ctx.every(config.heartbeat_seconds, heartbeat)),
        asyncio.create_task(ctx.every(config.reload_seconds, prober.reload)),
        asyncio.create_task(ctx.every(CHANGE_POLL_SECONDS, prober.reload_if_changed)),
        asyncio.create_task(ctx.every(config.flush_seconds, writer.flush)),
        asyncio.create_task(ctx.every(config.push_scan_seconds, scan_push)),
        asyncio.create_task(ctx.every(RETENTION_SECONDS, prune)),
    ]
    if on_ready is not None:
        on_ready(prober)
    log.info("probe worker running", replica=membership.replica_id, monitors=len(prober.specs))
    try:
        await prober.dispatch(ctx.stopping)
    finally:
        for job in jobs:
            await stop_task(job)
        await membership.leave()
        if prober.tasks:  # checks in flight finish (each has its own timeout) and are written
            await asyncio.wait(prober.tasks, timeout=15)
        await writer.flush()


def main() -> None:
    run_worker("probe_worker", probe, ProbeSettings)


if __name__ == "__main__":
    main()
