"""Agent registration: tokens shown once, activation window, regeneration revokes at once."""

from __future__ import annotations

from datetime import timedelta

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.agent_auth import revoke_agent_token
from core.models import Agent, Monitor, utcnow
from core.schemas.agents import AgentCreate, AgentCreated, AgentPublic, AgentUpdate
from core.security.agent_tokens import AgentTokenState, new_agent_token
from core.settings import Settings
from core.tenancy import get_owned


def _token_status(agent: Agent) -> str:
    return AgentTokenState(agent.activation_deadline, agent.activated_at).status_at(utcnow())


def to_public(agent: Agent) -> AgentPublic:
    return AgentPublic.from_row(agent, token_status=_token_status(agent))


def _with_token(agent: Agent, token: str) -> AgentCreated:
    return AgentCreated.from_row(agent, token_status=_token_status(agent), token=token)


def _set_new_token(agent: Agent, settings: Settings) -> str:
    token, token_hash = new_agent_token()
    now = utcnow()
    agent.token_hash = token_hash
    agent.token_created_at = now
    agent.activation_deadline = now + timedelta(minutes=settings.agent_token_activation_minutes)
    agent.activated_at = None
    return token


async def list_agents(session: AsyncSession, org_id: int) -> list[AgentPublic]:
    agents = await session.scalars(select(Agent).where(Agent.org_id == org_id).order_by(Agent.id))
    return [to_public(agent) for agent in agents]


async def get_agent(session: AsyncSession, org_id: int, agent_id: int) -> Agent:
    """Another organization's agent is indistinguishable from a missing one."""
    return await get_owned(session, Agent, agent_id, org_id, "agent")


async def create_agent(
    session: AsyncSession, settings: Settings, org_id: int, data: AgentCreate, user_id: int
) -> AgentCreated:
    agent = Agent(org_id=org_id, name=data.name, labels=data.labels, created_by=user_id)
    token = _set_new_token(agent, settings)
    session.add(agent)
    await session.flush()
    await session.refresh(agent)
    return _with_token(agent, token)


async def update_agent(
    session: AsyncSession, org_id: int, agent_id: int, data: AgentUpdate
) -> AgentPublic:
    agent = await get_agent(session, org_id, agent_id)
    changes = data.model_dump(exclude_unset=True)
    if "parent_monitor_id" in changes:
        parent = changes.pop("parent_monitor_id")
        if parent is not None:
            await get_owned(session, Monitor, parent, org_id, "parent monitor")
        agent.parent_monitor_id = parent
    for field, value in changes.items():
        if value is not None:
            setattr(agent, field, value)
    await session.flush()
    return to_public(agent)


async def regenerate_token(
    session: AsyncSession, redis: Redis, settings: Settings, org_id: int, agent_id: int
) -> AgentCreated:
    agent = await get_agent(session, org_id, agent_id)
    old_hash = agent.token_hash
    token = _set_new_token(agent, settings)
    await session.flush()
    await revoke_agent_token(redis, settings, old_hash)
    return _with_token(agent, token)


async def delete_agent(
    session: AsyncSession, redis: Redis, settings: Settings, org_id: int, agent_id: int
) -> None:
    agent = await get_agent(session, org_id, agent_id)
    await revoke_agent_token(redis, settings, agent.token_hash)
    await session.delete(agent)
