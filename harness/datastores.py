"""Throwaway datastores for a benchmark: PostgreSQL (migrated), Redis and, when asked,
VictoriaMetrics on free ports under `root`, stopped again on exit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from core.dev.datastores import PostgresServer, RedisServer, VictoriaMetricsServer, free_port
from core.settings import Settings
from harness.database import migrate


@contextmanager
def datastores(
    root: Path, *, tsdb: bool = False, persist_redis: bool = False, **overrides: Any
) -> Iterator[Settings]:
    """Settings pointing at fresh servers; `overrides` are further Settings fields."""
    with ExitStack() as stack:
        pg = stack.enter_context(PostgresServer(root / "pg", free_port(), durable=False))
        redis = stack.enter_context(RedisServer(root / "redis", free_port(), persist=persist_redis))
        if tsdb:
            vm = stack.enter_context(VictoriaMetricsServer(root / "vm", free_port()))
            overrides["tsdb_url"] = vm.url
        migrate(pg.url)
        yield Settings(database_url=pg.url, redis_url=redis.url, secret_key="b" * 64, **overrides)
