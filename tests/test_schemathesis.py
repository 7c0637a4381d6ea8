"""Every service's OpenAPI, fuzzed by schemathesis as each kind of caller: no input may cause
a server error.

Each operation is one test: the tables are emptied, an organization with an admin, an
operator, a viewer and an agent is made, and the operation is called with generated input,
valid and invalid, each request sent once per kind of caller (every role and none; an agent
for the ingestion doors). The apps run in-process (ASGI) against the session's real
PostgreSQL, Redis and VictoriaMetrics. The run is deterministic and small (a few examples per
operation, plus schemathesis' boundary values), so it is the same on every machine and quick
enough for `make test`; a 5xx anywhere fails it with the request that caused it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.python import asgi
from schemathesis.schemas import BaseSchema
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import Receive, Scope, Send

from alert_service.app import create_app as alert_app
from auth_service.app import create_app as auth_app
from auth_service.domain.agents import create_agent
from core.accounts import create_organization
from core.db import session_scope
from core.models import Membership, Role, User
from core.schemas.agents import AgentCreate
from core.security.passwords import hash_password
from core.security.tokens import create_token
from core.settings import Settings
from distribution_service.app import create_app as distribution_app
from harness.factories import DEFAULT_PASSWORD
from history_service.app import create_app as history_app
from ingestion_service.app import create_app as ingestion_app
from probe_service.app import create_app as probe_app

MAX_EXAMPLES = 12
USERS = ("admin", "operator", "viewer")
ANONYMOUS = "anonymous"
AGENT = "agent"  # an agent token, as the ingestion doors take it


@dataclass
class LateApp:
    """Schemathesis needs the schemas when tests are collected, the real apps need the session's
    datastores: each schema calls one of these, pointed at its app by the `apps` fixture."""

    app: FastAPI | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "the apps fixture is not active"
        if "client" in scope:
            # Schemathesis' client calls itself "testclient"; a server gives an address.
            scope = {**scope, "client": ("127.0.0.1", 50000)}
        await self.app(scope, receive, send)


FACTORIES: dict[str, Callable[[Settings], FastAPI]] = {
    "auth": auth_app,
    "alert": alert_app,
    "history": history_app,
    "ingestion": ingestion_app,
    "distribution": distribution_app,
    "probe": probe_app,
}
# The OpenAPI documents do not depend on settings; the apps that make them here never start.
DOCUMENTS = {name: factory(Settings()).openapi() for name, factory in FACTORIES.items()}
LATE_APPS = {name: LateApp() for name in FACTORIES}
# Deterministic generation: every run sends the same requests, so a failure reproduces.
CONFIG = SchemathesisConfig.from_dict(
    {"generation": {"deterministic": True, "max-examples": MAX_EXAMPLES}}
)


def _schema(name: str) -> BaseSchema:
    schema = schemathesis.openapi.from_dict(DOCUMENTS[name], config=CONFIG)
    schema.app = LATE_APPS[name]
    return schema


# Sending real notifications to generated addresses is not for a test to do; the endpoint's
# only input is the channel id, which every other /channels/{channel_id} operation covers.
USER_APIS = {
    "auth": _schema("auth"),
    "alert": _schema("alert").exclude(path="/channels/{channel_id}/test"),
    "history": _schema("history"),
    "distribution": _schema("distribution"),
    # "Test now" connects to the generated target: the check types' own tests cover it.
    "probe": _schema("probe").exclude(path="/monitors/test"),
}
AGENT_APIS = {"ingestion": _schema("ingestion")}


@pytest.fixture(scope="module")
def apps(base_settings: Settings) -> Iterator[None]:
    """One app per service for the whole module; schemathesis runs each one's lifespan once, on
    its own event loop, and all are ended here."""
    # Open sign-ups, so /register does more than refuse.
    fuzz_settings = base_settings.model_copy(update={"registration_policy": "open"})
    for name, factory in FACTORIES.items():
        LATE_APPS[name].app = factory(fuzz_settings)
    yield
    asgi.shutdown_lifespans()
    for late in LATE_APPS.values():
        late.app = None


@dataclass
class Tenant:
    """One organization: a user per role, and an agent."""

    settings: Settings
    org_id: int
    agent_token: str
    user_ids: dict[str, int] = field(default_factory=dict)

    def headers(self, caller: str) -> dict[str, str]:
        """Credentials for one request: a fresh access token each time, so an operation that
        ends a session (logout) ends only its own."""
        if caller == ANONYMOUS:
            return {}
        if caller == AGENT:
            token = self.agent_token
            return {"X-Agent-Token": token, "X-API-Key": token, "Authorization": f"Bearer {token}"}
        access, _ = create_token(
            self.settings,
            typ="access",
            user_id=self.user_ids[caller],
            org_id=self.org_id,
            role=caller,
            family=uuid.uuid4().hex,
        )
        return {"Authorization": f"Bearer {access}"}


@pytest.fixture(scope="module")
async def password_hash(base_settings: Settings) -> str:
    return await hash_password(base_settings, DEFAULT_PASSWORD)


@pytest.fixture
async def tenant(
    base_settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    apps: None,
    password_hash: str,
) -> Tenant:
    async for session in session_scope(sessionmaker):
        users = {}
        for role in USERS:
            email = f"{role}@example.com"
            users[role] = User(email=email, username=email, password_hash=password_hash)
        session.add_all(users.values())
        await session.flush()
        org = await create_organization(session, users["admin"], "Fuzzed")
        for role in ("operator", "viewer"):
            session.add(Membership(user_id=users[role].id, org_id=org.id, role=Role(role)))
            users[role].last_org_id = org.id
        owner = users["admin"].id
        agent = await create_agent(session, base_settings, org.id, AgentCreate(name="a"), owner)
    tenant = Tenant(base_settings, org.id, agent.token)
    tenant.user_ids = {role: user.id for role, user in users.items()}
    return tenant


# No 5xx, and every answer as the OpenAPI document describes it.
CHECKS = [not_a_server_error, response_schema_conformance]
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@schemathesis.pytest.parametrize(**USER_APIS)
@FUZZ
def test_no_user_input_causes_a_server_error(case: Case[Any], tenant: Tenant) -> None:
    _call_as_each(case, tenant, (*USERS, ANONYMOUS))


@schemathesis.pytest.parametrize(**AGENT_APIS)
@FUZZ
def test_no_agent_input_causes_a_server_error(case: Case[Any], tenant: Tenant) -> None:
    _call_as_each(case, tenant, (AGENT, ANONYMOUS))


def _call_as_each(case: Case[Any], tenant: Tenant, callers: tuple[str, ...]) -> None:
    """The same generated request from each kind of caller: each reaches other code."""
    for caller in callers:
        try:
            case.call_and_validate(headers=tenant.headers(caller), checks=CHECKS)
        except BaseException as exc:
            exc.add_note(f"sent as: {caller}")
            raise


@pytest.mark.parametrize("service", DOCUMENTS)
def test_every_integer_a_client_sends_is_bounded(service: str) -> None:
    """An unbounded integer reaches PostgreSQL's `integer` or orjson's 64 bits and answers 500:
    a new route's `thing_id: int` fails here (use core.schemas.common.Id)."""
    assert list(_unbounded_integers(DOCUMENTS[service])) == []


def _unbounded_integers(document: dict[str, Any]) -> Iterator[str]:
    """Paths to the integer schemas of request parameters and bodies lacking a bound."""
    components = document.get("components", {}).get("schemas", {})
    pending: list[tuple[str, object]] = [
        (f"{method.upper()} {path}", {k: operation.get(k) for k in ("parameters", "requestBody")})
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]
    followed: set[str] = set()
    while pending:
        where, node = pending.pop()
        if isinstance(node, list):
            pending.extend((where, item) for item in node)
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref not in followed:
                followed.add(ref)
                name = ref.rsplit("/", 1)[-1]
                pending.append((f"{where} {name}", components[name]))
            if node.get("type") == "integer" and not _bounded(node):
                yield f"{where}: {node}"
            pending.extend((where, value) for value in node.values())


def _bounded(schema: dict[str, Any]) -> bool:
    low = "minimum" in schema or "exclusiveMinimum" in schema
    return low and ("maximum" in schema or "exclusiveMaximum" in schema)
