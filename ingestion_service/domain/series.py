"""New series per agent and per organization, capped at ingest.

A series is what VictoriaMetrics stores apart: a metric name with its labels, for one target
and source. Redis counts them per agent and per organization, each a sorted set of 64-bit
series hashes scored by when the series was last seen. A series not seen for a window (a day
by default, like VictoriaMetrics' -storage.maxDailySeries) stops counting, so hosts whose
disks or interfaces come and go do not creep up to the cap, and both sets stay bounded by
their caps. A request that would add a series past either cap is refused whole, with a 429
naming the limit; reports of series already counted keep being accepted.

A Redis round trip per report would cost the hot path dearly, so each process remembers the
report shapes (the series a report carries) it confirmed lately; a report of a known shape
skips Redis until its confirmation is a twenty-fourth of the window old, which keeps the
scores of series in use fresh.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import msgspec
from redis.asyncio import Redis

from core.agent_auth import AgentIdentity
from core.errors import TooManyRequests
from core.reports import Report
from ingestion_service.domain.scripts import REFUSED_WHOLE_WHEN_FULL

# A client refused for new series may retry once some have gone unseen for the window.
RETRY_AFTER_SECONDS = 600
_REFRESHES_PER_WINDOW = 24
_ADMIT_CHUNK = 1000  # members per ZADD: Lua's unpack() takes a few thousand values at most

# KEYS: the agent's series, the organization's series
# ARGV: now, forget scores at or below, key lifetime (s), agent cap, org cap, series hashes...
# Returns {0, new} when admitted (every series given is then marked seen now), or
# {1 for the agent's cap | 2 for the organization's, series counted, series this would add}.
_ADMIT = f"""{REFUSED_WHOLE_WHEN_FULL}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[2])
local new = 0
for i = 6, #ARGV do
  if not redis.call('ZSCORE', KEYS[1], ARGV[i]) then new = new + 1 end
end
if new > 0 then
  local agent = redis.call('ZCARD', KEYS[1])
  if agent + new > tonumber(ARGV[4]) then return {{1, agent, new}} end
  local org = redis.call('ZCARD', KEYS[2])
  if org + new > tonumber(ARGV[5]) then return {{2, org, new}} end
end
for i = 6, #ARGV, {_ADMIT_CHUNK} do
  local members = {{}}
  for j = i, math.min(i + {_ADMIT_CHUNK - 1}, #ARGV) do
    members[#members + 1] = ARGV[1]
    members[#members + 1] = ARGV[j]
  end
  redis.call('ZADD', KEYS[1], unpack(members))
  redis.call('ZADD', KEYS[2], unpack(members))
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return {{0, new}}
"""

_encode = msgspec.json.Encoder().encode


@dataclass(frozen=True)
class SeriesLimits:
    per_agent: int
    per_org: int
    window_seconds: int


def agent_key(org_id: int, agent_id: int) -> str:
    # One hash tag per organization: both sets of a check live in the same Redis Cluster slot.
    return f"series:{{org:{org_id}}}:agent:{agent_id}"


def org_key(org_id: int) -> str:
    return f"series:{{org:{org_id}}}"


def series_hashes(report: Report) -> Iterator[bytes]:
    """A stable 64-bit hash per series, as VictoriaMetrics tells series apart: the name, the
    target, the source and the labels (an empty label is no label there, so none here)."""
    prefix = f"{report.target_type}\0{report.target_id}\0{report.source}\0"
    for name in report.metrics:
        yield _digest(prefix + name)
    for sample in report.series:
        labels = "".join(f"\0{k}\0{v}" for k, v in sorted(sample.labels.items()) if v)
        yield _digest(prefix + sample.name + labels)


def _digest(key: str) -> bytes:
    return hashlib.blake2b(key.encode(), digest_size=8).digest()


def _shape(report: Report) -> int:
    """Which series the report carries, as a hash local to this process (values left out)."""
    names_and_labels = _encode([(s.name, s.labels) for s in report.series])
    return hash((report.target_id, report.source, tuple(report.metrics), names_and_labels))


class SeriesLimitReached(TooManyRequests):
    pass


class SeriesGate:
    def __init__(self, redis: Redis, limits: SeriesLimits, *, cache_size: int = 100_000) -> None:
        self._limits = limits
        self._admit = redis.register_script(_ADMIT)
        self._refresh = limits.window_seconds / _REFRESHES_PER_WINDOW
        self._cache_size = cache_size
        self._confirmed: dict[int, float] = {}  # report shape -> when Redis admitted it

    async def admit(self, agent: AgentIdentity, reports: Sequence[Report]) -> None:
        """Returns when every series of `reports` may be stored; raises SeriesLimitReached
        (nothing counted) when they would take the agent or its organization past a cap."""
        now = time.time()
        shapes = {_shape(report): report for report in reports}
        unconfirmed = {
            shape: report
            for shape, report in shapes.items()
            if now - self._confirmed.get(shape, -math.inf) >= self._refresh
        }
        if not unconfirmed:
            return
        hashes = {h for report in unconfirmed.values() for h in series_hashes(report)}
        await self._check(agent, hashes, now)
        if len(self._confirmed) + len(unconfirmed) > self._cache_size:
            self._confirmed.clear()  # rare (many agents or shapes): each is checked again once
        self._confirmed.update(dict.fromkeys(unconfirmed, now))

    async def _check(self, agent: AgentIdentity, hashes: set[bytes], now: float) -> None:
        limits = self._limits
        keys = [agent_key(agent.org_id, agent.agent_id), org_key(agent.org_id)]
        args = [now, now - limits.window_seconds, limits.window_seconds]
        verdict = await self._admit(keys, [*args, limits.per_agent, limits.per_org, *hashes])
        if verdict[0] != 0:
            raise self._refusal(agent, int(verdict[0]), int(verdict[1]), int(verdict[2]))

    def _refusal(self, agent: AgentIdentity, which: int, counted: int, new: int) -> Exception:
        hours = self._limits.window_seconds / 3600
        if which == 1:
            whose, limit, name = "this agent", self._limits.per_agent, "INGEST_SERIES_PER_AGENT"
        else:
            whose, limit, name = "its organization", self._limits.per_org, "INGEST_SERIES_PER_ORG"
        return SeriesLimitReached(
            f"series limit reached: {whose} has {counted} series seen in the last {hours:g} h "
            f"and this request would add {new} new ones; the limit is {limit} ({name}). "
            "Series already stored are still accepted; a series unseen for that long stops "
            "counting.",
            RETRY_AFTER_SECONDS,
        )
