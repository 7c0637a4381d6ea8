"""Login brute-force protection, counted in Redis: failures per (address, username), per
username from every address, and of all logins together.

An attempt is counted *before* the password is checked (atomically, in one script) and
refunded when the password was right. Counting after the check would let a burst of
concurrent guesses all pass the check while the first ones are still being hashed.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from core.errors import TooManyRequests
from core.security.tokens import sha256_hex
from core.settings import Settings

# One hash tag, so the scripts' keys share a slot should Redis become a cluster.
_PREFIX = "auth:{login-failures}"

# KEYS: counters; ARGV: limit and window of each. Refuses (returning the longest wait) when
# any counter is at its limit; otherwise counts the attempt in all of them.
_RESERVE = """
local wait = 0
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[2 * i - 1]) then
    local ttl = redis.call('TTL', key)
    if ttl < 0 then
      ttl = tonumber(ARGV[2 * i])
      redis.call('EXPIRE', key, ttl)
    end
    wait = math.max(wait, ttl)
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('INCR', key)
  redis.call('EXPIRE', key, ARGV[2 * i], 'NX')
end
return 0
"""

# KEYS[1]: the (address, username) counter, cleared; the others lose the refunded attempt
# (only while they exist: a DECR would otherwise create a counter without expiry).
_REFUND = """
redis.call('DEL', KEYS[1])
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('DECR', KEYS[i]) end
end
return 0
"""


@dataclass(frozen=True)
class _Counter:
    key: str
    limit: int
    window_seconds: int


def _counters(settings: Settings, ip: str | None, username: str) -> list[_Counter]:
    # Hashed so no key holds what someone typed into the username box.
    name = username.strip().lower()
    window = settings.login_failure_window_seconds
    return [
        _Counter(
            f"{_PREFIX}:addr:{sha256_hex(f'{ip}|{name}')}", settings.login_max_failures, window
        ),
        _Counter(
            f"{_PREFIX}:user:{sha256_hex(name)}", settings.login_max_failures_per_username, window
        ),
        _Counter(
            f"{_PREFIX}:all",
            settings.login_max_failures_global,
            settings.login_global_failure_window_seconds,
        ),
    ]


async def reserve_login_attempt(
    redis: Redis, settings: Settings, ip: str | None, username: str
) -> None:
    """Counts this attempt as a failure until refunded; 429 when any limit is reached."""
    counters = _counters(settings, ip, username)
    limits = [value for c in counters for value in (c.limit, c.window_seconds)]
    wait = int(await redis.eval(_RESERVE, len(counters), *[c.key for c in counters], *limits))
    if wait > 0:
        raise TooManyRequests("too many failed logins: try again later", wait)


async def refund_login_attempt(
    redis: Redis, settings: Settings, ip: str | None, username: str
) -> None:
    """The password was right: this address starts afresh, the wider counters forget one."""
    counters = _counters(settings, ip, username)
    await redis.eval(_REFUND, len(counters), *[c.key for c in counters])
