"""A consumer-group runner for Redis Streams: every entry is processed at least once.

Used by every service that consumes a stream (history today, alerts next). The contract:

- `handler(entries)` processes a batch and returns normally when all of it is done. It raises
  `PoisonEntries({id: reason})` when some entries can never be processed (undecodable) but the
  rest were; any other exception means "transient, retry the whole batch" (e.g. the store
  is down). Entries are acknowledged (XACK) only after the handler succeeded, so handlers
  must be idempotent: after a crash, entries processed but not yet acknowledged come again.
- After a failure the runner backs off exponentially (capped) and retries its own pending
  entries before reading new ones; a restart also starts with its own pending entries.
- Entries left pending by a consumer that died are taken over (XAUTOCLAIM) once they have
  been idle for `claim_idle_ms`.
- With a `Durability` (a store that keeps fresh writes in memory for a while, such as
  VictoriaMetrics), entries are acknowledged only once the store has held them that long
  without restarting; after a restart of the store they are handled again. Until then they
  stay pending, so a crash of the store loses nothing that the stream still holds.
- A poison entry is retried until it has been delivered `max_deliveries` times, then copied
  to the dead-letter stream (with the reason and delivery count) and acknowledged. Only
  entries the handler names as poison are ever dead-lettered: a batch that failed as a whole
  (the store was down) never costs a healthy entry its place.

The Redis client must not decode responses: a stray non-UTF-8 entry would otherwise make the
whole read fail on every attempt, which no dead-letter logic could get past.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from prometheus_client import Counter, Gauge
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from core.backoff import Backoff
from core.logging import get_logger
from core.settings import WorkerSettings
from core.streams import dead_letter_stream

log = get_logger(__name__)

T = TypeVar("T")
Fields = dict[bytes, bytes]
Entry = tuple[str, Fields]
Handler = Callable[[list[Entry]], Awaitable[None]]

PROCESSED = Counter(
    "statusmonitor_stream_entries_processed_total",
    "Stream entries handled and acknowledged",
    ["stream", "group"],
)
FAILED = Counter(
    "statusmonitor_stream_batch_failures_total",
    "Batches whose handler failed (transient errors, retried)",
    ["stream", "group"],
)
DEAD_LETTERED = Counter(
    "statusmonitor_stream_entries_dead_lettered_total",
    "Poison entries moved to the dead-letter stream",
    ["stream", "group"],
)
LAG = Gauge(
    "statusmonitor_stream_lag",
    "Entries in the stream not yet delivered to the group",
    ["stream", "group"],
)
PENDING = Gauge(
    "statusmonitor_stream_pending",
    "Entries delivered to the group but not yet acknowledged",
    ["stream", "group"],
)

# Dead-letter entries carry the original fields plus these (prefixed so they cannot collide).
DEAD_ID = b"dead:id"
DEAD_ERROR = b"dead:error"
DEAD_DELIVERIES = b"dead:deliveries"
DEAD_GROUP = b"dead:group"
DEAD_CONSUMER = b"dead:consumer"


class Durability(Protocol):
    """When the store a handler writes to holds those writes safely."""

    # Writes survive a crash of the store once it has run this long after them.
    settle_seconds: float

    async def epoch(self) -> str:
        """Changes whenever the store restarted (e.g. its start time)."""
        ...


@dataclass(frozen=True)
class _Unsettled:
    handled_at: float  # monotonic
    epoch: str  # the store's epoch read before the write
    entry_ids: list[str]


class PoisonEntries(Exception):
    """Raised by a handler: these entries can never be processed; the rest of the batch was."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(f"{len(errors)} entries cannot be processed")
        self.errors = dict(errors)


def consumer_name() -> str:
    """Unique per process, and recognisable in XINFO CONSUMERS."""
    return f"{socket.gethostname()}-{os.getpid()}"


async def ensure_group(redis: Redis, stream: str, group: str) -> None:
    """Creates the group (and the stream) reading from the start; a no-op when it exists."""
    try:
        await redis.xgroup_create(stream, group, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


class StreamConsumer:
    """Runs `handler` over a stream as one named consumer of a consumer group."""

    @classmethod
    def from_settings(
        cls,
        redis: Redis,
        stream: str,
        group: str,
        consumer_name: str,
        handler: Handler,
        config: WorkerSettings,
        durability: Durability | None = None,
    ) -> StreamConsumer:
        """A consumer tuned by a service's WorkerSettings (HISTORY_*, ALERT_*...)."""
        return cls(
            redis,
            stream,
            group,
            consumer_name,
            handler,
            batch_size=config.batch_size,
            block_ms=config.block_ms,
            claim_idle_ms=config.claim_idle_ms,
            max_deliveries=config.max_deliveries,
            backoff=Backoff(cap=config.retry_max_seconds),
            durability=durability,
        )

    def __init__(
        self,
        redis: Redis,
        stream: str,
        group: str,
        consumer_name: str,
        handler: Handler,
        *,
        batch_size: int = 500,
        block_ms: int = 2000,
        claim_idle_ms: int = 60_000,
        max_deliveries: int = 5,
        dead_letter_maxlen: int = 100_000,
        backoff: Backoff | None = None,
        durability: Durability | None = None,
    ) -> None:
        if redis.connection_pool.connection_kwargs.get("decode_responses"):
            raise ValueError("StreamConsumer needs a Redis client with decode_responses=False")
        if durability is not None and durability.settle_seconds * 1000 >= claim_idle_ms:
            # Otherwise live consumers would claim each other's entries while they settle.
            raise ValueError("claim_idle_ms must exceed the durability's settle_seconds")
        self.redis = redis
        self.stream = stream
        self.group = group
        self.name = consumer_name
        self.handler = handler
        self.batch_size = batch_size
        self.block_ms = block_ms
        self.claim_idle_ms = claim_idle_ms
        self.max_deliveries = max_deliveries
        self.dead_letter_maxlen = dead_letter_maxlen
        self.backoff = backoff or Backoff()
        self._labels = (stream, group)
        self.durability = durability
        self._unsettled: deque[_Unsettled] = deque()
        self._epoch: tuple[float, str] | None = None  # (read at, value)
        for metric in (PROCESSED, FAILED, DEAD_LETTERED):
            metric.labels(*self._labels)  # exported as 0 from the start, so alerts can use them
        self._stop = asyncio.Event()
        # Own pending entries come first: after a restart, and after any failure. They are read
        # page by page from this cursor (settling entries stay pending while later ones come).
        self._own_pending_first = True
        self._pending_cursor = "0"
        self._claim_cursor = "0-0"
        self._next_claim = 0.0
        self._next_stats = 0.0

    # -- public ------------------------------------------------------------------------------

    def stop(self) -> None:
        """Asks the loop to end after the batch in hand (within block_ms when idle)."""
        self._stop.set()

    async def run(self) -> None:
        """Consumes until stop() or cancellation; a batch being handled is always finished."""
        log.info("stream consumer started", stream=self.stream, group=self.group, name=self.name)
        await self._ensure_group_with_retry()
        while not self._stop.is_set():
            try:
                await self._step()
            except RedisError as exc:
                if _lost_group(exc):
                    await self._ensure_group_with_retry()
                    continue
                await self._pause("redis unavailable", exc)
        log.info("stream consumer stopped", stream=self.stream, group=self.group, name=self.name)

    # -- the loop ----------------------------------------------------------------------------

    def _replay_own_pending(self) -> None:
        self._own_pending_first = True
        self._pending_cursor = "0"

    async def _step(self) -> None:
        now = time.monotonic()
        if now >= self._next_stats:
            self._next_stats = now + 5
            await self._publish_stats()
        await self._settle()
        if self._own_pending_first:
            entries = await self._read(self._pending_cursor, block=None)
            if not entries:
                self._own_pending_first = False
                self._pending_cursor = "0"
                return
            self._pending_cursor = entries[-1][0]
        elif now >= self._next_claim:
            entries = await self._claim()
        else:
            entries = await self._read(">", block=self.block_ms)
        if entries and (failure := await self._process_to_the_end(entries)):
            FAILED.labels(*self._labels).inc()
            self._replay_own_pending()
            await self._pause("handler failed; entries stay pending", failure, batch=len(entries))

    async def _process_to_the_end(self, entries: list[Entry]) -> Exception | None:
        """Cancellation waits for the batch in hand, so acknowledged work matches done work."""
        task = asyncio.ensure_future(self._process(entries))
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await task
            raise

    async def _process(self, entries: list[Entry]) -> Exception | None:
        """Handles and acknowledges a batch; returns the handler's transient failure, if any."""
        entries = await self._drop_trimmed(entries)
        if not entries:
            return None
        by_id = dict(entries)
        poison: dict[str, str] = {}
        try:
            epoch = await self._store_epoch(max_age=1.0)
            await self.handler(entries)
        except PoisonEntries as exc:
            poison = {i: reason for i, reason in exc.errors.items() if i in by_id}
        except Exception as exc:  # any other failure is transient: retry the whole batch
            return exc
        done = [entry_id for entry_id, _ in entries if entry_id not in poison]
        if done and self.durability is not None:
            self._unsettled.append(_Unsettled(time.monotonic(), epoch, done))
        elif done:
            await self._ack(done)
        if poison:
            await self._handle_poison(by_id, poison)
        self.backoff.reset()
        return None

    async def _ack(self, entry_ids: Sequence[str]) -> None:
        await self.redis.xack(self.stream, self.group, *entry_ids)
        PROCESSED.labels(*self._labels).inc(len(entry_ids))

    # -- durability ---------------------------------------------------------------------------

    async def _store_epoch(self, max_age: float) -> str:
        """The store's epoch, at most `max_age` seconds old. An old value is safe before a
        write: if the store restarted since, the write is only replayed once more."""
        if self.durability is None:
            return ""
        now = time.monotonic()
        if self._epoch is None or now - self._epoch[0] > max_age:
            self._epoch = (now, await self.durability.epoch())
        return self._epoch[1]

    async def _settle(self) -> None:
        """Acknowledge what the store has held long enough; replay all if it restarted."""
        if self.durability is None or not self._unsettled:
            return
        due = time.monotonic() - self.durability.settle_seconds
        if self._unsettled[0].handled_at > due:
            return
        try:
            epoch = await self._store_epoch(max_age=0.0)
        except Exception as exc:  # the store is down: nothing settles meanwhile
            log.debug("store epoch unknown", stream=self.stream, error=str(exc)[:200])
            return
        if any(batch.epoch != epoch for batch in self._unsettled):
            log.warning(
                "the store restarted since these entries were written; writing them again",
                stream=self.stream,
                group=self.group,
                count=sum(len(batch.entry_ids) for batch in self._unsettled),
            )
            self._unsettled.clear()
            self._replay_own_pending()
            return
        settled: list[str] = []
        while self._unsettled and self._unsettled[0].handled_at <= due:
            settled += self._unsettled.popleft().entry_ids
        await self._ack(settled)

    async def _pause(self, what: str, exc: BaseException, **context: Any) -> None:
        delay = self.backoff.next_delay()
        log.warning(
            what,
            stream=self.stream,
            group=self.group,
            error=f"{type(exc).__name__}: {exc}"[:500],
            attempt=self.backoff.failures,
            retry_in_s=delay,
            **context,
        )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), delay)

    async def _ensure_group_with_retry(self) -> None:
        while not self._stop.is_set():
            try:
                await ensure_group(self.redis, self.stream, self.group)
                return
            except RedisError as exc:
                await self._pause("cannot create the consumer group", exc)

    # -- reading -----------------------------------------------------------------------------

    async def _read(self, start: str, block: int | None) -> list[Entry]:
        response: Any = await self.redis.xreadgroup(
            self.group, self.name, {self.stream: start}, count=self.batch_size, block=block
        )
        entries: list[Entry] = []
        for _stream, items in response or []:
            entries.extend(_entries(items))
        return entries

    async def _claim(self) -> list[Entry]:
        """One XAUTOCLAIM page of entries a dead consumer left idle; a full pass, then a rest."""
        # [next cursor, entries, ids of entries trimmed away (Redis drops those from the PEL)]
        reply: list[Any] = await self.redis.xautoclaim(
            self.stream,
            self.group,
            self.name,
            min_idle_time=self.claim_idle_ms,
            start_id=self._claim_cursor,
            count=self.batch_size,
        )
        self._claim_cursor = _text(reply[0])
        if self._claim_cursor == "0-0":  # the pass is complete
            self._next_claim = time.monotonic() + max(1.0, self.claim_idle_ms / 2000)
            await self._forget_idle_consumers()
        entries = _entries(reply[1])
        if entries:
            log.info(
                "claimed idle entries of another consumer", stream=self.stream, count=len(entries)
            )
        return entries

    async def _drop_trimmed(self, entries: list[Entry]) -> list[Entry]:
        """Pending entries whose data MAXLEN already trimmed away can only be acknowledged."""
        gone = [entry_id for entry_id, fields in entries if not fields]
        if not gone:
            return entries
        log.error(
            "pending entries were trimmed from the stream", stream=self.stream, count=len(gone)
        )
        await self.redis.xack(self.stream, self.group, *gone)
        return [(entry_id, fields) for entry_id, fields in entries if fields]

    # -- poison and dead letters --------------------------------------------------------------

    async def _handle_poison(self, fields: Mapping[str, Fields], errors: Mapping[str, str]) -> None:
        deliveries = await self._delivery_counts(list(errors))
        dead = [i for i in errors if deliveries.get(i, 0) >= self.max_deliveries]
        if dead:
            await self._dead_letter(dead, fields, errors, deliveries)
        if len(dead) < len(errors):
            self._replay_own_pending()  # retry the rest until they reach max_deliveries
        log.warning(
            "poison entries",
            stream=self.stream,
            group=self.group,
            count=len(errors),
            dead_lettered=len(dead),
            first_error=next(iter(errors.values()))[:300],
        )

    async def _delivery_counts(self, entry_ids: Sequence[str]) -> dict[str, int]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for entry_id in entry_ids:
                pipe.xpending_range(self.stream, self.group, min=entry_id, max=entry_id, count=1)
            replies = await pipe.execute()
        return {
            _text(row["message_id"]): int(row["times_delivered"])
            for reply in replies
            for row in reply
        }

    async def _dead_letter(
        self,
        entry_ids: Sequence[str],
        fields: Mapping[str, Fields],
        errors: Mapping[str, str],
        deliveries: Mapping[str, int],
    ) -> None:
        target = dead_letter_stream(self.stream)
        async with self.redis.pipeline(transaction=True) as pipe:  # copy and ack, or neither
            for entry_id in entry_ids:
                record = {
                    **fields[entry_id],
                    DEAD_ID: entry_id.encode(),
                    DEAD_ERROR: errors[entry_id][:2000].encode(),
                    DEAD_DELIVERIES: str(deliveries[entry_id]).encode(),
                    DEAD_GROUP: self.group.encode(),
                    DEAD_CONSUMER: self.name.encode(),
                }
                pipe.xadd(target, record, maxlen=self.dead_letter_maxlen, approximate=True)  # type: ignore[arg-type]
            pipe.xack(self.stream, self.group, *entry_ids)
            await pipe.execute()
        DEAD_LETTERED.labels(*self._labels).inc(len(entry_ids))
        log.error(
            "entries moved to the dead-letter stream", stream=target, ids=list(entry_ids)[:20]
        )

    # -- housekeeping -------------------------------------------------------------------------

    async def _forget_idle_consumers(self) -> None:
        """Removes consumers with nothing pending that have been silent for long (dead pids)."""
        forget_after_ms = max(self.claim_idle_ms * 10, 3_600_000)
        for consumer in await self.redis.xinfo_consumers(self.stream, self.group):
            name = _text(consumer["name"])
            if name != self.name and not consumer["pending"] and consumer["idle"] > forget_after_ms:
                await self.redis.xgroup_delconsumer(self.stream, self.group, name)

    async def _publish_stats(self) -> None:
        """Housekeeping: never worth stopping the consumer for (Redis errors still are, as
        everywhere in the loop, handled by run())."""
        try:
            await self._trim_and_measure()
        except RedisError:
            raise
        except Exception:
            log.exception("stream housekeeping failed", stream=self.stream, group=self.group)

    async def _trim_and_measure(self) -> None:
        await trim_consumed(self.redis, self.stream)
        for info in await self.redis.xinfo_groups(self.stream):
            if _text(info["name"]) != self.group:
                continue
            PENDING.labels(*self._labels).set(info["pending"])
            # `lag` is unknown (None) after deletions in the middle of the stream.
            lag = info.get("lag")
            LAG.labels(*self._labels).set(info["pending"] if lag is None else lag)


async def trim_consumed(redis: Redis, stream: str) -> int:
    """Drops entries every consumer group has acknowledged; returns how many went.

    The producers' MAXLEN is only a safety cap: trimming by it alone could drop entries a
    slow or stopped group has not read yet. This keeps the stream as short as the slowest
    group allows, so nothing unread is ever trimmed away here.
    """
    groups = await redis.xinfo_groups(stream)
    if not groups:
        return 0  # nobody consumes yet: keep everything (up to the producers' cap)
    keep_from: list[tuple[int, int]] = []
    for info in groups:
        oldest = _text(info["last-delivered-id"])
        if info["pending"]:
            summary = await redis.xpending(stream, _text(info["name"]))
            # None when the group acknowledged them since XINFO: then all up to
            # last-delivered-id is done, and that stays a safe bound.
            if summary["min"] is not None:
                oldest = _text(summary["min"])
        keep_from.append(_stream_id(oldest))
    ms, seq = min(keep_from)
    trimmed: int = await redis.xtrim(stream, minid=f"{ms}-{seq}", approximate=False)
    return trimmed


def decode_entries(
    entries: Sequence[Entry], field: str, decode: Callable[[bytes], T]
) -> tuple[dict[str, T], dict[str, str]]:
    """Each entry's `field` decoded (by entry id, in stream order), and the entries that
    cannot be (for PoisonEntries)."""
    key = field.encode()
    decoded: dict[str, T] = {}
    poison: dict[str, str] = {}
    for entry_id, fields in entries:
        try:
            decoded[entry_id] = decode(fields[key])
        except KeyError:
            poison[entry_id] = f"no {field!r} field in the entry"
        except (ValueError, TypeError) as exc:  # msgspec.DecodeError is a ValueError
            poison[entry_id] = f"undecodable entry: {exc}"
    return decoded, poison


def _stream_id(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def _lost_group(exc: RedisError) -> bool:
    """Redis lost the stream or the group (restarted without its data): create them again."""
    message = str(exc)
    return isinstance(exc, ResponseError) and ("NOGROUP" in message or "no such key" in message)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _entries(items: Sequence[tuple[bytes | str, Fields | None]]) -> list[Entry]:
    return [(_text(entry_id), fields or {}) for entry_id, fields in items]
