"""Schema once per session (through Alembic, as in production), clean tables before each test."""

from __future__ import annotations

import asyncpg
from alembic import command
from alembic.config import Config

from core.models import Base


def _alembic(database_url: str) -> Config:
    config = Config("alembic.ini")
    config.attributes["database_url"] = database_url
    config.attributes["configure_logger"] = False
    return config


def migrate(database_url: str, revision: str = "head") -> None:
    command.upgrade(_alembic(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(_alembic(database_url), revision)


def _plain_dsn(database_url: str) -> str:
    return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def truncate_all(database_url: str) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    conn = await asyncpg.connect(_plain_dsn(database_url))
    try:
        await conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()


async def fetch(database_url: str, query: str, *args: object) -> list[asyncpg.Record]:
    """Reads the database directly, to assert what was (or was not) stored."""
    conn = await asyncpg.connect(_plain_dsn(database_url))
    try:
        return list(await conn.fetch(query, *args))
    finally:
        await conn.close()
