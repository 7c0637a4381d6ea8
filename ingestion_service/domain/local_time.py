"""Local times without a zone: the Data Monitoring Tool's `collected_at`.

Its agent runs from cron and sends `datetime.now().isoformat()`, the host's wall-clock time
without a UTC offset, about a second after reading it. So the host's offset is what separates
that wall-clock time from the moment the report arrives, rounded to the nearest quarter hour:
every time zone in use is a whole, half or quarter hour from UTC (India +05:30, Nepal +05:45,
Chatham +12:45, Marquesas -09:30), from -12:00 to +14:00. This is right whatever the zone,
and follows a daylight-saving change or a host moved to another zone from its first report
after the change, as long as the report arrives within 7.5 minutes of its collection and the
host's clock is within 7.5 minutes of the truth.

Each agent's offset is remembered (in Redis, as long as reports are kept), which lets a report
that arrives later than that still find its instant: a report whose own estimate is smaller
than the remembered offset (a late report looks like a zone further west) is a late send if,
read with the remembered offset, it comes after the newest report stored from that agent and,
when the report before it was late too, it is at least CATCH_UP_SECONDS less late (a backlog
being sent catches up). Anything else is a new offset, used and remembered: after a
daylight-saving change back (the clocks go back an hour) a timely report reads an hour before
the agent's newest one, so it cannot be a late send. docs/compatibility.md explains the limits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from redis.asyncio import Redis

from core.errors import Unprocessable

QUARTER_HOUR = 900
EARLIEST_OFFSET = -12 * 3600  # Baker Island
LATEST_OFFSET = 14 * 3600  # Kiribati's Line Islands
# How much less late each report of a backlog must be than the one before: cron sends at most
# once a minute, so a backlog sent in one go gains ~a minute per report, while a host whose
# clock moved back reads equally "late" report after report.
CATCH_UP_SECONDS = 30.0
# Remembered as long as reports can be stored (INGEST_MAX_AGE_SECONDS, 7 days), and a day more.
_MEMORY_SECONDS = 8 * 86_400


@dataclass(frozen=True, slots=True)
class ZoneMemory:
    """What we keep of one agent's clock between its reports."""

    offset: int  # seconds east of UTC, a multiple of a quarter hour
    newest: float  # the latest instant stored from the agent (unix seconds)
    lateness: float | None = None  # seconds, when its previous report was a late send


@dataclass(frozen=True, slots=True)
class Resolved:
    ts: float  # unix seconds
    offset: int  # the host's offset, for its other local times
    memory: ZoneMemory


def resolve(wall: float, received: float, memory: ZoneMemory | None, what: str) -> Resolved:
    """The instant of a wall-clock time (`wall`: the naive time read as if it were UTC, in
    seconds) received at `received`; `what` names the value in a 422."""
    estimate = nearest_quarter_hour(wall - received)
    if memory is not None and estimate < memory.offset:
        late = _late_send(wall, received, memory)
        if late is not None:
            return late
    if not EARLIEST_OFFSET <= estimate <= LATEST_OFFSET:
        hours = (wall - received) / 3600
        raise Unprocessable(
            f"{what} has no UTC offset and is {hours:+.1f} h from the server's time, more than "
            "any time zone (-12:00 to +14:00): send the host's current local time, or a time "
            "with its offset (2024-01-15T10:30:00+05:30)"
        )
    # A host clock a few minutes fast would put the report after its arrival; it cannot have
    # been collected later than that.
    ts = min(wall - estimate, received)
    newest = ts if memory is None else max(ts, memory.newest)
    return Resolved(ts, estimate, ZoneMemory(estimate, newest))


def nearest_quarter_hour(seconds: float) -> int:
    return math.floor(seconds / QUARTER_HOUR + 0.5) * QUARTER_HOUR


def _late_send(wall: float, received: float, memory: ZoneMemory) -> Resolved | None:
    ts = wall - memory.offset
    lateness = received - ts
    follows = ts > memory.newest
    catching_up = memory.lateness is None or lateness <= memory.lateness - CATCH_UP_SECONDS
    if follows and catching_up:
        return Resolved(ts, memory.offset, ZoneMemory(memory.offset, ts, lateness))
    return None


class ZoneMemories:
    """Each agent's ZoneMemory in a Redis hash.

    Read before and written after a report is stored, not atomically: two reports of one agent
    at the same moment (its cron job overlapping itself) are each resolved by the rule, and
    only one of them updates what is remembered."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    @staticmethod
    def _key(agent_id: int) -> str:
        return f"ingest:local-clock:{agent_id}"

    async def get(self, agent_id: int) -> ZoneMemory | None:
        offset, newest, lateness = await self._redis.hmget(
            self._key(agent_id), ["offset", "newest", "lateness"]
        )
        if offset is None or newest is None:
            return None
        return ZoneMemory(int(offset), float(newest), float(lateness) if lateness else None)

    async def put(self, agent_id: int, memory: ZoneMemory) -> None:
        key = self._key(agent_id)
        lateness = "" if memory.lateness is None else memory.lateness
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(
                key,
                mapping={"offset": memory.offset, "newest": memory.newest, "lateness": lateness},
            )
            pipe.expire(key, _MEMORY_SECONDS)
            await pipe.execute()
