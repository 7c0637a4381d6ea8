"""Throwaway datastores: PostgreSQL (migrated), Redis and, when asked, VictoriaMetrics on free
ports under `root`, stopped again on exit. The test session runs on one set (tests/conftest.py);
each benchmark starts its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.dev.datastores import PostgresServer, RedisServer, VictoriaMetricsServer, free_port
from core.settings import Settings
from harness.database import migrate


@dataclass
class Datastores:
    postgres: PostgresServer
    redis: RedisServer
    tsdb: VictoriaMetricsServer | None

    @property
    def victoria(self) -> VictoriaMetricsServer:
        assert self.tsdb is not None, "started without VictoriaMetrics"
        return self.tsdb

    def settings(self, **fields: Any) -> Settings:
        """Settings pointing at these servers; `fields` are further Settings fields."""
        if self.tsdb is not None:
            fields.setdefault("tsdb_url", self.tsdb.url)
        return Settings(database_url=self.postgres.url, redis_url=self.redis.url, **fields)


@contextmanager
def throwaway_datastores(
    root: Path, *, tsdb: bool = False, persist_redis: bool = False
) -> Iterator[Datastores]:
    with ExitStack() as stack:
        pg = stack.enter_context(PostgresServer(root / "postgres", free_port(), durable=False))
        redis = stack.enter_context(RedisServer(root / "redis", free_port(), persist=persist_redis))
        vm = None
        if tsdb:
            vm = stack.enter_context(VictoriaMetricsServer(root / "victoria-metrics", free_port()))
        migrate(pg.url)
        yield Datastores(pg, redis, vm)


@contextmanager
def datastores(
    root: Path, *, tsdb: bool = False, persist_redis: bool = False, **fields: Any
) -> Iterator[Settings]:
    """For a benchmark: the Settings of fresh datastores; `fields` are further Settings fields."""
    with throwaway_datastores(root, tsdb=tsdb, persist_redis=persist_redis) as stores:
        yield stores.settings(secret_key="b" * 64, **fields)
