"""The request's transaction commits before the answer goes out: when PostgreSQL refuses the
COMMIT, the caller gets an error naming it, never a 2xx for work that was rolled back."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from core.settings import Settings
from harness.clients import asgi_client
from harness.database import fetch
from harness.factories import login, register_and_login

FailCommits = Callable[[str, str], Awaitable[None]]


@pytest.fixture
async def auth_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Errors the app raises after answering are not re-raised here: the test sees the answer
    a real client would get (before the fix: a 201 sent, then the COMMIT failing)."""
    from auth_service.app import create_app

    async with asgi_client(create_app(settings), raise_app_exceptions=False) as client:
        yield client


@pytest.fixture
async def fail_commits(settings: Settings) -> AsyncIterator[FailCommits]:
    """Makes every COMMIT that inserted into a table fail (a deferred constraint trigger fires
    at COMMIT, after the request's statements all succeeded), with the given SQLSTATE."""
    installed: list[str] = []

    async def install(table: str, sqlstate: str) -> None:
        await fetch(
            settings.database_url,
            "CREATE OR REPLACE FUNCTION test_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'refused at commit' USING ERRCODE = TG_ARGV[0]; END $$",
        )
        await fetch(
            settings.database_url,
            f"CREATE CONSTRAINT TRIGGER test_refuse_commit AFTER INSERT ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            f"EXECUTE FUNCTION test_refuse_commit('{sqlstate}')",
        )
        installed.append(table)

    yield install
    for table in installed:
        await fetch(settings.database_url, f"DROP TRIGGER test_refuse_commit ON {table}")


@pytest.mark.parametrize(
    ("sqlstate", "status", "detail"),
    [
        ("P0001", 503, "the database could not store the change; nothing was saved"),
        ("23505", 409, "the change conflicts with data stored meanwhile and was not saved"),
    ],
)
async def test_agent_whose_commit_fails_is_an_error_not_a_token(
    auth_client: httpx.AsyncClient,
    settings: Settings,
    fail_commits: FailCommits,
    sqlstate: str,
    status: int,
    detail: str,
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    await fail_commits("agents", sqlstate)
    response = await auth_client.post("/agents", headers=admin.headers, json={"name": "edge-1"})
    assert response.status_code == status, response.text
    assert response.json() == {"detail": detail}
    assert await fetch(settings.database_url, "SELECT id FROM agents") == []
    assert (
        await fetch(settings.database_url, "SELECT id FROM audit_log WHERE action = 'agent.create'")
        == []
    )


async def test_login_whose_refresh_token_cannot_be_stored_returns_no_tokens(
    auth_client: httpx.AsyncClient, settings: Settings, fail_commits: FailCommits
) -> None:
    user = await register_and_login(auth_client, "alice@example.com")
    await fail_commits("refresh_tokens", "P0001")
    response = await login(auth_client, user.email, user.password)
    assert response.status_code == 503, response.text
    assert "access_token" not in response.text and "refresh_token" not in response.text
    [stored] = await fetch(settings.database_url, "SELECT count(*) AS n FROM refresh_tokens")
    assert stored["n"] == 1  # only the one from register_and_login's own login
