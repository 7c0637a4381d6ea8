"""The history worker: reports from the `reports` stream into VictoriaMetrics, nothing lost.

Run as `python -m history_service.worker` (one or more processes; they share the work as
consumers of the group `history`). Entries are acknowledged only after VictoriaMetrics
accepted their samples and kept them long enough to survive its own crash
(HISTORY_DURABLE_AFTER_SECONDS); when it is down the batch stays pending and is retried with
backoff.
A crash between the write and the acknowledgement writes the batch again after restart,
which VictoriaMetrics deduplicates (same series, same millisecond: stored once).
"""

from __future__ import annotations

from redis.asyncio import Redis

from core.logging import get_logger
from core.reports import decode_report
from core.stream_consumer import (
    Entry,
    PoisonEntries,
    StreamConsumer,
    consumer_name,
    decode_entries,
)
from core.streams import REPORT_FIELD, REPORTS_STREAM
from core.worker_factory import WorkerContext, run_worker
from history_service.config import HistorySettings
from history_service.domain.line_protocol import report_lines
from history_service.domain.tsdb import TsdbRejected, VictoriaMetrics, create_client

log = get_logger(__name__)

GROUP = "history"


class HistoryHandler:
    """Writes a batch of stream entries to VictoriaMetrics in one request."""

    def __init__(self, tsdb: VictoriaMetrics) -> None:
        self.tsdb = tsdb

    async def __call__(self, entries: list[Entry]) -> None:
        lines, poison = _decode(entries)
        batch = [line for entry_lines in lines.values() for line in entry_lines]
        if batch:
            try:
                await self.tsdb.write(batch)
            except TsdbRejected as exc:
                log.warning("batch refused; writing entries one by one", error=str(exc))
                poison |= await self._write_each(lines)
        if poison:
            raise PoisonEntries(poison)

    async def _write_each(self, lines: dict[str, list[str]]) -> dict[str, str]:
        """Finds the entries VictoriaMetrics refuses, so they alone are treated as poison."""
        refused = {}
        for entry_id, entry_lines in lines.items():
            if not entry_lines:
                continue
            try:
                await self.tsdb.write(entry_lines)
            except TsdbRejected as exc:
                refused[entry_id] = str(exc)
        return refused


def _decode(entries: list[Entry]) -> tuple[dict[str, list[str]], dict[str, str]]:
    reports, poison = decode_entries(entries, REPORT_FIELD, decode_report)
    return {entry_id: report_lines(report) for entry_id, report in reports.items()}, poison


class TsdbDurability:
    """Samples are safe once VictoriaMetrics ran `settle_seconds` past their write unrestarted
    (a SIGKILL or power cut loses what it still held in memory)."""

    def __init__(self, tsdb: VictoriaMetrics, settle_seconds: float) -> None:
        self.tsdb = tsdb
        self.settle_seconds = settle_seconds

    async def epoch(self) -> str:
        return await self.tsdb.start_time()


def build_consumer(
    redis: Redis, tsdb: VictoriaMetrics, config: HistorySettings, name: str
) -> StreamConsumer:
    durability = None
    if config.durable_after_seconds > 0:
        durability = TsdbDurability(tsdb, config.durable_after_seconds)
    return StreamConsumer.from_settings(
        redis, REPORTS_STREAM, GROUP, name, HistoryHandler(tsdb), config, durability
    )


async def history_worker(context: WorkerContext[HistorySettings]) -> None:
    config = context.config
    client = await context.enter(create_client(config.write_timeout_seconds))
    tsdb = VictoriaMetrics(client, context.settings.tsdb_url)
    consumer = build_consumer(context.redis, tsdb, config, consumer_name())
    context.on_stop(consumer.stop)
    await consumer.run()


def main() -> None:
    run_worker("history_worker", history_worker, HistorySettings)


if __name__ == "__main__":
    main()
