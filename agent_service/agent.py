"""The agent's loop: collect on a jittered cadence, deliver, buffer on disk, replay in order.

Delivery is at least once. A report leaves the disk queue only after a 2xx for it; a report
whose request was abandoned at shutdown is queued again, and its stable `report_id` lets the
server recognise the rare duplicate.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import logging
import random
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from agent_service.disk_queue import DiskQueue
from agent_service.sender import Answer, Outcome, Sender

log = logging.getLogger(__name__)

BATCH_MAX_REPORTS = 500
BATCH_MAX_JSON_BYTES = 768 * 1024  # the server refuses bodies over 1 MB, also after gunzip
REFUSED_AGENT_MESSAGE = (
    "agent token rejected: it is wrong, expired or was regenerated; create a new one in the "
    "dashboard (server said: %s). Stopping; %d queued reports are kept in %s."
)


@dataclass(frozen=True)
class Timing:
    interval: float
    first_delay_max: float = 5.0  # the first report waits 0..min(interval, this)
    jitter: float = 0.1  # each sleep is interval ± 10 %, so agents do not synchronise
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    shutdown_grace: float = 2.0  # how long an in-flight request may finish after SIGTERM


class Unauthorized(Exception):
    pass


class Agent:
    def __init__(
        self,
        collect: Callable[[], dict[str, Any]],
        sender: Sender,
        queue: DiskQueue,
        timing: Timing,
        stop: asyncio.Event,
    ) -> None:
        self._collect = collect
        self._sender = sender
        self._queue = queue
        self._timing = timing
        self._stop = stop
        self._failures = 0
        self._retry_at = 0.0
        self._batches = True  # until the server answers 404 to /ingest/batch
        self._replayed = 0  # since the backlog was last empty, for the log
        self.collected = 0  # reports made since start, logged at stop

    async def run(self) -> int:
        """0 after a requested stop, 3 when the server refuses the token."""
        first = _jitter(0, min(self._timing.interval, self._timing.first_delay_max))
        next_collection = time.monotonic() + first
        try:
            while not self._stop.is_set():
                await self._pause_until(self._wake_time(next_collection))
                if self._stop.is_set():
                    break
                if time.monotonic() >= next_collection:
                    next_collection = self._schedule_after(next_collection)
                    await self._report()
                if self._may_send() and not self._queue.is_empty():
                    await self._drain(until=next_collection)
        except Unauthorized as exc:
            log.error(REFUSED_AGENT_MESSAGE, exc, len(self._queue), self._queue.path)
            return 3
        return 0

    # -- cadence ---------------------------------------------------------------------------

    def _wake_time(self, next_collection: float) -> float:
        if self._queue.is_empty():
            return next_collection
        return min(next_collection, self._retry_at)  # replay the backlog as soon as allowed

    def _schedule_after(self, previous: float) -> float:
        delay = self._timing.interval * _jitter(1 - self._timing.jitter, 1 + self._timing.jitter)
        # After a suspend or a stalled cycle, start a fresh cadence instead of catching up.
        return max(previous + delay, time.monotonic() + delay / 2)

    async def _pause_until(self, deadline: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=max(0.0, deadline - time.monotonic()))

    # -- delivery --------------------------------------------------------------------------

    async def _report(self) -> None:
        body = self._collect_body()
        if body is None:
            return
        if not self._may_send() or not self._queue.is_empty():
            self._enqueue(body)  # behind the backlog, so order is kept
            return
        answer = await self._guarded(self._sender.post_report(body))
        if answer.outcome is Outcome.ACCEPTED:
            self._recovered()
        elif answer.outcome in (Outcome.REJECTED, Outcome.TOO_LARGE):
            log.error("server rejected a report, dropping it: %s", answer.detail)
            self._queue.count_drop("rejected")
        else:
            self._enqueue(body)  # kept even on 401: a new token can deliver it later
            if answer.outcome is Outcome.UNAUTHORIZED:
                raise Unauthorized(answer.detail)
            self._failed(answer)

    def _enqueue(self, body: bytes) -> None:
        try:
            self._queue.append(body)
        except sqlite3.Error as exc:  # disk full, file removed: lose this one, keep running
            log.error("cannot write the queue %s, report lost: %s", self._queue.path, exc)

    def _collect_body(self) -> bytes | None:
        try:
            payload = self._collect()
            body = gzip.compress(_json(payload), mtime=0)
        except Exception as exc:  # one bad reading must not stop the agent
            log.error("collection failed, skipping this report: %r", exc)
            return None
        self.collected += 1
        return body

    async def _drain(self, until: float) -> None:
        """Replay the backlog oldest first until it is empty, sending fails or a report is due."""
        limit = BATCH_MAX_REPORTS
        while not self._stop.is_set() and time.monotonic() < until:
            rows = self._queue.oldest(limit if self._batches else 1)
            if not rows:
                return
            rows, answer = await self._send_rows(rows)
            if answer.outcome is Outcome.ACCEPTED:
                self._queue.delete([row_id for row_id, _ in rows])
                self._replayed += len(rows)
                self._recovered()
            elif answer.outcome is Outcome.TOO_LARGE and len(rows) > 1:
                limit = max(1, len(rows) // 2)
            elif not self._settle_refusal(rows, answer):
                return
            if self._queue.is_empty():
                log.info("backlog delivered: %d queued reports replayed", self._replayed)
                self._replayed = 0

    async def _send_rows(
        self, rows: list[tuple[int, bytes]]
    ) -> tuple[list[tuple[int, bytes]], Answer]:
        if not self._batches:
            return rows, await self._guarded(self._sender.post_report(rows[0][1]))
        rows, body = self._batch_body(rows)
        if not rows:
            return rows, Answer(Outcome.ACCEPTED, "only unreadable rows")
        return rows, await self._guarded(self._sender.post_batch(body))

    def _settle_refusal(self, rows: list[tuple[int, bytes]], answer: Answer) -> bool:
        """Act on a refused backlog request; True when draining may go on."""
        if answer.outcome is Outcome.UNAUTHORIZED:
            raise Unauthorized(answer.detail)
        if answer.outcome is Outcome.NOT_FOUND and self._batches:
            log.warning("server has no /ingest/batch; replaying the backlog one report at a time")
            self._batches = False
            return True
        if answer.outcome in (Outcome.REJECTED, Outcome.TOO_LARGE):
            log.error(
                "server rejected %d queued reports, dropping them: %s", len(rows), answer.detail
            )
            self._queue.drop([row_id for row_id, _ in rows], "rejected")
            return True
        self._failed(answer)
        return False

    def _batch_body(self, rows: list[tuple[int, bytes]]) -> tuple[list[tuple[int, bytes]], bytes]:
        """The longest prefix of rows under the size limit, as one gzipped AgentBatch."""
        kept: list[tuple[int, bytes]] = []
        reports: list[bytes] = []
        size = 0
        for row_id, payload in rows:
            try:
                report = gzip.decompress(payload)
            except (OSError, EOFError):  # a row damaged on disk can never be sent
                log.error("dropping an unreadable queued report (id %d)", row_id)
                self._queue.drop([row_id], "corrupt")
                continue
            if reports and size + len(report) > BATCH_MAX_JSON_BYTES:
                break
            kept.append((row_id, payload))
            reports.append(report)
            size += len(report) + 1
        return kept, gzip.compress(b'{"reports":[' + b",".join(reports) + b"]}", mtime=0)

    async def _guarded(self, request: Awaitable[Answer]) -> Answer:
        """The request's answer, or RETRY when a stop is requested and it does not end in time."""
        sending = asyncio.ensure_future(request)
        stopping = asyncio.ensure_future(self._stop.wait())
        await asyncio.wait({sending, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not sending.done():
            await asyncio.wait({sending}, timeout=self._timing.shutdown_grace)
        if sending.done():
            return sending.result()
        sending.cancel()
        return Answer(Outcome.RETRY, "abandoned at shutdown")

    # -- backoff ---------------------------------------------------------------------------

    def _may_send(self) -> bool:
        return time.monotonic() >= self._retry_at

    def _failed(self, answer: Answer) -> None:
        self._failures += 1
        if answer.retry_after is not None:
            delay = answer.retry_after
        else:
            exponential = self._timing.backoff_base * 2 ** min(self._failures - 1, 16)
            delay = min(self._timing.backoff_cap, exponential) * _jitter(0.8, 1.0)
        self._retry_at = time.monotonic() + delay
        level = logging.WARNING if self._failures == 1 else logging.DEBUG
        hint = (
            " (is the server URL the ingestion base?)"
            if answer.outcome is Outcome.NOT_FOUND
            else ""
        )
        log.log(
            level,
            "server unavailable: %s%s; buffering reports in %s, retrying in %.1f s",
            answer.detail,
            hint,
            self._queue.path,
            delay,
        )

    def _recovered(self) -> None:
        if self._failures:
            log.info("server reachable again after %d failed attempts", self._failures)
        self._failures = 0
        self._retry_at = 0.0


def _json(payload: dict[str, Any]) -> bytes:
    # allow_nan=False: the server refuses NaN, so fail here, where the log can say why.
    return json.dumps(payload, separators=(",", ":"), allow_nan=False).encode()


def _jitter(low: float, high: float) -> float:
    return random.uniform(low, high)  # noqa: S311 - spreads load over time, no security role
