"""Resolves an agent token to its agent: Redis cache first, PostgreSQL on a miss.

Shared by every service that accepts agent tokens, so none of them calls the auth service.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import orjson
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Agent, utcnow
from core.security.agent_tokens import AgentTokenState, hash_agent_token
from core.settings import Settings

_CACHE_KEY = "agent-token:{hash}"
# Set when a token is regenerated or its agent deleted, so a racing lookup cannot re-cache it.
_REVOKED_KEY = "agent-token-revoked:{hash}"
# Published with the token hash on revocation, for processes that cache tokens in memory.
REVOCATION_CHANNEL = "agent-token-revoked"


@dataclass(frozen=True)
class AgentIdentity:
    agent_id: int
    org_id: int
    name: str


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
        return AgentIdentity(**orjson.loads(cached))
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
            cache_key, orjson.dumps(asdict(identity)), ex=settings.agent_token_cache_seconds
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
