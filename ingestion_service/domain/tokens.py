"""Agent tokens resolved without I/O on the hot path: an in-process cache in front of
core.agent_auth (Redis cache, then PostgreSQL, activating a new token on first use).

Revocation stays immediate: the auth service publishes a revoked token's hash on
core.agent_auth.REVOCATION_CHANNEL, and `listen_for_revocations` evicts it here. Whenever
that feed breaks, the whole cache is dropped, since a revocation may have been missed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from core.agent_auth import REVOCATION_CHANNEL, AgentIdentity
from core.backoff import Backoff
from core.logging import get_logger
from core.security.agent_tokens import hash_agent_token

log = get_logger(__name__)

# token hash → the agent, or None for a token that is unknown, expired or revoked.
Lookup = Callable[[str], Awaitable[AgentIdentity | None]]


class AgentTokenCache:
    def __init__(self, lookup: Lookup, *, ttl: float, negative_ttl: float, max_size: int) -> None:
        self._lookup = lookup
        self._ttl = ttl
        self._negative_ttl = negative_ttl
        self._max_size = max_size
        self._entries: dict[str, tuple[float, AgentIdentity | None]] = {}
        self._inflight: dict[str, asyncio.Future[AgentIdentity | None]] = {}
        # Bumped by every eviction, so a lookup that raced a revocation is not cached.
        self._epoch = 0

    async def resolve(self, token: str) -> AgentIdentity | None:
        token_hash = hash_agent_token(token)
        entry = self._entries.get(token_hash)
        if entry is not None and entry[0] > time.monotonic():
            return entry[1]
        pending = self._inflight.get(token_hash)
        if pending is not None:  # a burst of requests with one new token: look it up once
            return await asyncio.shield(pending)
        future: asyncio.Future[AgentIdentity | None] = asyncio.get_running_loop().create_future()
        self._inflight[token_hash] = future
        try:
            identity = await self._lookup_and_store(token, token_hash)
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # mark it retrieved: only waiters (if any) re-raise it
            raise
        except BaseException:
            future.cancel()
            raise
        finally:
            del self._inflight[token_hash]
        future.set_result(identity)
        return identity

    async def _lookup_and_store(self, token: str, token_hash: str) -> AgentIdentity | None:
        epoch = self._epoch
        identity = await self._lookup(token)
        ttl = self._ttl if identity is not None else self._negative_ttl
        if ttl > 0 and epoch == self._epoch:
            self._entries.pop(token_hash, None)  # re-inserted last: dicts keep insertion order
            if len(self._entries) >= self._max_size:
                self._entries.pop(next(iter(self._entries)))  # the longest unrefreshed
            self._entries[token_hash] = (time.monotonic() + ttl, identity)
        return identity

    def evict(self, token_hash: str) -> None:
        self._epoch += 1
        self._entries.pop(token_hash, None)

    def clear(self) -> None:
        self._epoch += 1
        self._entries.clear()

    async def listen_for_revocations(self, redis: Redis) -> None:
        """Runs until cancelled, reconnecting (and dropping the cache) after any failure."""
        backoff = Backoff(base=0.1, cap=5.0)
        while True:
            try:
                async with redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(REVOCATION_CHANNEL)
                    # Anything cached while we were not listening may be revoked by now.
                    self.clear()
                    backoff.reset()
                    while True:
                        message = await pubsub.get_message(timeout=1.0)
                        if message is not None and message["type"] == "message":
                            self.evict(str(message["data"]))
            except (RedisError, OSError) as exc:
                self.clear()
                delay = backoff.next_delay()
                log.warning("token revocation feed lost; retrying", error=str(exc), delay=delay)
                await asyncio.sleep(delay)
