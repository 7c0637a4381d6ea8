"""StatusMonitor v1's agent API: list, create (token shown once), delete, regenerate, validate;
rename."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Header, Response, status

from auth_service.domain import agents
from auth_service.domain.overview import agents_overview
from core.agent_auth import authenticate_agent_token
from core.audit import AuditDep
from core.deps import Operator, RedisDep, SessionDep, SettingsDep, Viewer
from core.errors import Unauthorized
from core.schemas.agents import (
    AgentCreate,
    AgentCreated,
    AgentPublic,
    AgentsOverview,
    AgentTokenValidation,
    AgentTokenValidity,
    AgentUpdate,
)
from core.schemas.common import Id

router = APIRouter(prefix="/agents", tags=["agents"])


@router.get("", response_model=list[AgentPublic])
async def list_agents(principal: Viewer, session: SessionDep) -> list[AgentPublic]:
    return await agents.list_agents(session, principal.org_id)


@router.get("/overview", response_model=AgentsOverview)
async def overview(
    principal: Viewer, session: SessionDep, redis: RedisDep, settings: SettingsDep
) -> Response:
    """Every agent with online/offline status and latest values, for a dashboard grid."""
    body = await agents_overview(session, redis, settings, principal.org_id)
    return Response(orjson.dumps(body), media_type="application/json")


@router.get("/{agent_id}", response_model=AgentPublic)
async def get_agent(agent_id: Id, principal: Viewer, session: SessionDep) -> AgentPublic:
    return agents.to_public(await agents.get_agent(session, principal.org_id, agent_id))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=AgentCreated)
async def create_agent(
    data: AgentCreate,
    principal: Operator,
    session: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> AgentCreated:
    created = await agents.create_agent(
        session, settings, principal.org_id, data, principal.user.id
    )
    audit.by(principal, "agent.create", target=("agent", created.id))
    return created


@router.post("/validate-token", response_model=AgentTokenValidity)
async def validate_token(
    session: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    data: AgentTokenValidation | None = None,
    x_agent_token: Annotated[str | None, Header()] = None,
    authorization: Annotated[str | None, Header()] = None,
) -> AgentTokenValidity:
    """For services and old clients; the token may come as X-Agent-Token, Bearer or in the body."""
    token = x_agent_token or _bearer(authorization) or (data.token if data else None)
    if not token:
        raise Unauthorized("no agent token: send it as X-Agent-Token")
    identity = await authenticate_agent_token(session, redis, settings, token)
    if identity is None:
        raise Unauthorized("agent token is invalid, expired or revoked")
    return AgentTokenValidity(
        valid=True, agent_id=identity.agent_id, agent_name=identity.name, org_id=identity.org_id
    )


def _bearer(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return None


@router.patch("/{agent_id}", response_model=AgentPublic)
async def update_agent(
    agent_id: Id, data: AgentUpdate, principal: Operator, session: SessionDep, audit: AuditDep
) -> AgentPublic:
    updated = await agents.update_agent(session, principal.org_id, agent_id, data)
    audit.by(principal, "agent.update", target=("agent", agent_id))
    return updated


@router.delete("/{agent_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_agent(
    agent_id: Id,
    principal: Operator,
    session: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> None:
    await agents.delete_agent(session, redis, settings, principal.org_id, agent_id)
    audit.by(principal, "agent.delete", target=("agent", agent_id))


@router.post("/{agent_id}/regenerate-token", response_model=AgentCreated)
async def regenerate_token(
    agent_id: Id,
    principal: Operator,
    session: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> AgentCreated:
    created = await agents.regenerate_token(session, redis, settings, principal.org_id, agent_id)
    audit.by(principal, "agent.regenerate_token", target=("agent", agent_id))
    return created
