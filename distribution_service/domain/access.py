"""Who may watch what: the access token and the agent's organization (the page's Origin:
core.security.origins)."""

from __future__ import annotations

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.deps import Principal, authenticate_access_token
from core.models import Agent
from core.schemas.common import MAX_ID
from core.settings import Settings


async def authenticate(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    redis: Redis,
    token: str | None,
) -> Principal:
    """The user behind an access token; raises core.errors.Unauthorized like the REST API."""
    async with sessions() as session:
        return await authenticate_access_token(settings, session, redis, token)


async def agent_visible(
    sessions: async_sessionmaker[AsyncSession], org_id: int | None, agent_id: int
) -> bool:
    """Whether the agent belongs to the organization; unknown and foreign agents look alike."""
    # Beyond an id PostgreSQL can hold (/ws/2147483648): simply not found.
    if org_id is None or not 0 < agent_id <= MAX_ID:
        return False
    async with sessions() as session:
        found = await session.scalar(
            select(Agent.id).where(Agent.id == agent_id, Agent.org_id == org_id)
        )
    return found is not None


async def org_agent_ids(sessions: async_sessionmaker[AsyncSession], org_id: int) -> set[int]:
    async with sessions() as session:
        return set(await session.scalars(select(Agent.id).where(Agent.org_id == org_id)))
