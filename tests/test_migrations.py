"""The migrations build exactly the schema the models describe, so an upgraded installation
stores what the code expects (a column added to a model without a migration fails here)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from core.models import Base
from core.settings import Settings
from harness.database import downgrade, fetch, migrate
from harness.datastores import Datastores


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_migrated_schema_matches_the_models(settings: Settings) -> None:
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
    finally:
        await engine.dispose()
    assert differences == []


def _execute(datastores: Datastores, database: str, sql: str) -> None:
    async def run() -> None:
        conn = await asyncpg.connect(datastores.postgres.dsn(database, driver="postgresql"))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture
def scratch_database(datastores: Datastores) -> Iterator[str]:
    """An empty database of its own, to migrate step by step."""
    _execute(datastores, "postgres", "CREATE DATABASE migration_steps")
    yield "migration_steps"
    _execute(datastores, "postgres", "DROP DATABASE migration_steps WITH (FORCE)")


_LEGACY_0006 = """
INSERT INTO organizations (id, name) VALUES (1, 'Victim');
INSERT INTO users (id, email, username, password_hash, is_active) VALUES
    (1, 'mallory@example.com', 'ceo@victim.example', 'x', true),
    (2, 'bob@example.com', 'Bob@Example.com', 'x', true),
    (3, 'carol@example.com', 'carol', 'x', true),
    (4, 'dave@example.com', 'x@y.example', 'x', true),
    (5, 'x2@example.com', 'dave@example.com', 'x', true);
INSERT INTO invitations (org_id, email, role) VALUES (1, 'ceo@victim.example', 'admin');
"""


def test_0007_renames_usernames_posing_as_addresses_and_retires_tokenless_invitations(
    datastores: Datastores, scratch_database: str
) -> None:
    """Accounts made before 0007 with a username that is another address (the reported
    invitation hijack) lose it; invitations without a token can never be redeemed."""
    url = datastores.postgres.dsn(scratch_database)
    migrate(url, "0006")
    _execute(datastores, scratch_database, _LEGACY_0006)
    migrate(url)
    users = asyncio.run(fetch(url, "SELECT id, username FROM users ORDER BY id"))
    assert [(u["id"], u["username"]) for u in users] == [
        (1, "mallory@example.com"),
        (2, "bob@example.com"),
        (3, "carol"),
        (4, "user-4"),  # its own address is user 5's username
        (5, "x2@example.com"),
    ]
    [invitation] = asyncio.run(
        fetch(url, "SELECT status, expires_at <= now() AS over FROM invitations")
    )
    assert (invitation["status"], invitation["over"]) == ("pending", True)
    downgrade(url, "0006")
    migrate(url)
