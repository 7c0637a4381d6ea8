"""Batched appends to the `reports` stream, with the live view updated in the same pipeline.

Each request enqueues its reports and awaits a future; one task sends everything that is
waiting as one Redis pipeline, and whatever arrives meanwhile goes into the next. So a
lone request is written at once, and under load hundreds share one round trip. A future
resolves only after Redis answered for its own entries: a 2xx always means appended.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Sequence
from dataclasses import dataclass

from prometheus_client import Counter
from redis.asyncio import Redis

from core.live import agent_channel, latest_key, latest_ts_key, org_channel, summary_frame
from core.reports import Report
from core.streams import REPORT_FIELD, REPORTS_STREAM, xadd_prefix
from core.tasks import stop_task
from ingestion_service.domain import resp
from ingestion_service.domain.scripts import APPEND_AND_SHOW, APPEND_ONCE_AND_SHOW

APPENDED = Counter(
    "statusmonitor_ingest_reports_total", "Reports appended to the stream", ["source"]
)


@dataclass(frozen=True, slots=True)
class Once:
    """Append only if `message_id` is not among the ids one sender's `key` recorded."""

    key: str
    message_id: str


@dataclass(slots=True)
class _Job:
    reports: Sequence[Report]
    frames: Sequence[bytes]
    once: Once | None
    future: asyncio.Future[list[str | None]]


class ReportAppender:
    def __init__(
        self, redis: Redis, *, maxlen: int, max_batch: int, once_seconds: int, once_max_ids: int
    ) -> None:
        self._redis = redis
        self._maxlen = maxlen
        self._max_batch = max_batch
        self._once_seconds = once_seconds
        self._once_max_ids = once_max_ids
        # Most reports are their agent's newest: appended and shown live by one script.
        # Older ones in the same pipeline (a replayed backlog) are only appended.
        self._append = resp.Command(*xadd_prefix(maxlen=maxlen), variable=1)
        self._append_and_show = resp.Command(
            "EVAL", APPEND_AND_SHOW, 3, REPORTS_STREAM, variable=11
        )
        self._jobs: collections.deque[_Job] = collections.deque()
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="report-appender")

    async def stop(self) -> None:
        if self._task is not None:
            await stop_task(self._task)
        _fail(list(self._jobs), ConnectionError("the ingestion service is shutting down"))
        self._jobs.clear()

    async def append(
        self, reports: Sequence[Report], frames: Sequence[bytes], *, once: Once | None = None
    ) -> list[str | None]:
        """Appends the reports, as `frames` (encode_report of each); returns the stream entry
        ids in order, None for a report skipped because `once` found its message id.

        Raises the Redis error when the append failed: nothing of this call was acknowledged.
        """
        future: asyncio.Future[list[str | None]] = asyncio.get_running_loop().create_future()
        self._jobs.append(_Job(reports, frames, once, future))
        self._wakeup.set()
        return await future

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._jobs:
                await self._flush(self._take())

    def _take(self) -> list[_Job]:
        jobs = [self._jobs.popleft()]
        count = len(jobs[0].frames)
        while self._jobs and count + len(self._jobs[0].frames) <= self._max_batch:
            job = self._jobs.popleft()
            jobs.append(job)
            count += len(job.frames)
        return jobs

    async def _flush(self, jobs: list[_Job]) -> None:
        try:
            replies = await resp.execute(self._redis, self._commands(jobs))
        except Exception as exc:  # Redis down or any surprise: every waiting request fails
            _fail(jobs, exc)
            return
        except BaseException:  # cancelled at shutdown, mid-flight: the outcome is unknown
            _fail(jobs, ConnectionError("the ingestion service is shutting down"))
            raise
        self._resolve(jobs, replies)

    def _commands(self, jobs: list[_Job]) -> list[bytes]:
        newest = _newest_per_target(jobs)
        commands = []
        for job in jobs:
            for report, frame in zip(job.reports, job.frames, strict=True):
                if job.once is not None:
                    commands.append(self._append_once(job.once, report, frame))
                elif newest[_live_key(report)] is report:
                    commands.append(self._append_and_show(*self._show_args(report, frame)))
                else:
                    commands.append(self._append(frame))
        return commands

    def _show_args(self, report: Report, frame: bytes) -> tuple[str | int | float | bytes, ...]:
        latest = bool(report.metrics)  # custom metrics only: never the latest report
        # Only agents are hosts on the organization topic.
        summary = latest and report.target_type == "agent"
        return (
            latest_key(report.org_id), latest_ts_key(report.org_id),
            self._maxlen, REPORT_FIELD, frame,
            report.target_id, report.ts, agent_channel(report.target_id),
            "1" if latest else "0",
            org_channel(report.org_id) if summary else "",
            summary_frame(report) if summary else b"",
        )  # fmt: skip

    def _append_once(self, once: Once, report: Report, frame: bytes) -> bytes:
        show = self._show_args(report, frame)
        keys = (REPORTS_STREAM, *show[:2], once.key)
        remember = (self._once_seconds, time.time(), once.message_id, self._once_max_ids)
        return resp.pack("EVAL", APPEND_ONCE_AND_SHOW, 4, *keys, *show[2:], *remember)

    def _resolve(self, jobs: list[_Job], replies: list[object]) -> None:
        position = 0
        for job in jobs:
            entries = replies[position : position + len(job.frames)]
            position += len(job.frames)
            error = next((r for r in entries if isinstance(r, Exception)), None)
            if job.future.done():
                continue
            if error is not None:
                job.future.set_exception(error)
            else:
                job.future.set_result([None if e is None else str(e) for e in entries])
                APPENDED.labels(job.reports[0].source).inc(len(job.frames))


def _live_key(report: Report) -> tuple[int, int, bool]:
    """Host reports and custom-metric reports take separate turns in the live view."""
    return report.org_id, report.target_id, bool(report.metrics)


def _newest_per_target(jobs: list[_Job]) -> dict[tuple[int, int, bool], Report]:
    newest: dict[tuple[int, int, bool], Report] = {}
    for job in jobs:
        for report in job.reports:
            key = _live_key(report)
            known = newest.get(key)
            if known is None or report.ts >= known.ts:
                newest[key] = report
    return newest


def _fail(jobs: list[_Job], error: BaseException) -> None:
    for job in jobs:
        if not job.future.done():
            job.future.set_exception(error)
