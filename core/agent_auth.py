"""Resolves an agent token to its agent: Redis cache first, PostgreSQL on a miss.

Shared by every service that accepts agent tokens, so none of them calls the auth service.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import asdict, dataclass
from functools import lru_cache

import orjson
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.crypto import derive_key
from core.logging import get_logger
from core.models import Agent, utcnow
from core.security.agent_tokens import AgentTokenState, hash_agent_token
from core.settings import Settings

log = get_logger(__name__)

_CACHE_KEY = "agent-token:{hash}"
_CACHE_MAC_INFO = b"statusmonitor agent-token cache v1"
# Set when a token is regenerated or its agent deleted, so a racing lookup cannot re-cache it.
_REVOKED_KEY = "agent-token-revoked:{hash}"
# Published with the token hash on revocation, for processes that cache tokens in memory.
REVOCATION_CHANNEL = "agent-token-revoked"


@dataclass(frozen=True)
class AgentIdentity:
    agent_id: int
    org_id: int
    name: str


@lru_cache
def _cache_mac_key(secret_key: str) -> bytes:
    return derive_key(secret_key, _CACHE_MAC_INFO)  # not the raw key: that one signs JWTs


def _cache_mac(settings: Settings, token_hash: str, payload: bytes) -> str:
    message = token_hash.encode() + b"\n" + payload
    return hmac.new(_cache_mac_key(settings.secret_key), message, hashlib.sha256).hexdigest()


def _seal_cache_entry(settings: Settings, token_hash: str, identity: AgentIdentity) -> bytes:
    """`<hmac>.<json>`: a value someone else writes into Redis never names an agent."""
    payload = orjson.dumps(asdict(identity))
    return _cache_mac(settings, token_hash, payload).encode() + b"." + payload


def _open_cache_entry(
    settings: Settings, token_hash: str, entry: str | bytes
) -> AgentIdentity | None:
    raw = entry.encode() if isinstance(entry, str) else entry
    mac, _, payload = raw.partition(b".")
    if not hmac.compare_digest(mac, _cache_mac(settings, token_hash, payload).encode()):
        return None
    return AgentIdentity(**orjson.loads(payload))


async def authenticate_agent_token(
    session: AsyncSession, redis: Redis, settings: Settings, token: str
) -> AgentIdentity | None:
    """The agent behind a usable token, activating a new token on its first use; else None."""
    token_hash = hash_agent_token(token)
    cache_key = _CACHE_KEY.format(hash=token_hash)
    cached, revoked = await redis.mget(cache_key, _REVOKED_KEY.format(hash=token_hash))
    if revoked:
        return None
    if cached:
        identity = _open_cache_entry(settings, token_hash, cached)
        if identity is not None:
            return identity
        # Not written by us (or under another SECRET_KEY): drop it and ask PostgreSQL.
        log.warning("agent-token cache entry failed authentication; ignored")
        await redis.delete(cache_key)
    agent = await session.scalar(select(Agent).where(Agent.token_hash == token_hash))
    if agent is None:
        return None
    now = utcnow()
    if not AgentTokenState(agent.activation_deadline, agent.activated_at).usable_at(now):
        return None
    if agent.activated_at is None:
        agent.activated_at = now
        agent.activation_deadline = None
        await session.flush()
    identity = AgentIdentity(agent_id=agent.id, org_id=agent.org_id, name=agent.name)
    if settings.agent_token_cache_seconds:
        await redis.set(
            cache_key,
            _seal_cache_entry(settings, token_hash, identity),
            ex=settings.agent_token_cache_seconds,
        )
    return identity


async def revoke_agent_token(redis: Redis, settings: Settings, token_hash: str) -> None:
    """Makes a token unusable at once in every service, whatever they have cached."""
    marker_ttl = settings.agent_token_cache_seconds * 2 + 60
    async with redis.pipeline(transaction=True) as pipe:
        pipe.delete(_CACHE_KEY.format(hash=token_hash))
        pipe.set(_REVOKED_KEY.format(hash=token_hash), "1", ex=marker_ttl)
        pipe.publish(REVOCATION_CHANNEL, token_hash)
        await pipe.execute()
