"""Async SQLAlchemy engine and the per-request session that owns the transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from core.errors import Conflict, DomainError, ServiceUnavailable
from core.logging import get_logger
from core.settings import Settings

log = get_logger(__name__)


def create_engine(settings: Settings) -> AsyncEngine:
    return create_async_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        pool_pre_ping=True,
        connect_args={"server_settings": {"timezone": "UTC"}},
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def _commit_refused(exc: SQLAlchemyError) -> DomainError:
    # Only the error class and SQLSTATE are logged: the message may quote the row's values.
    log.error(
        "commit failed; transaction rolled back",
        error=type(exc).__name__,
        sqlstate=getattr(getattr(exc, "orig", None), "sqlstate", None),
    )
    if isinstance(exc, IntegrityError):
        return Conflict("the change conflicts with data stored meanwhile and was not saved")
    return ServiceUnavailable("the database could not store the change; nothing was saved")


@asynccontextmanager
async def transaction(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """Commits when the block finishes cleanly, rolls back on error: the one place that commits.

    A failed COMMIT (a deferred constraint, a value the column refuses, a lost connection)
    raises a DomainError, so an HTTP caller gets a 409/503 instead of a 2xx for lost work.
    """
    async with factory() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        try:
            await session.commit()
        except SQLAlchemyError as exc:
            raise _commit_refused(exc) from exc


async def session_scope(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """`async for session in session_scope(...)`: one transaction, for workers and hooks."""
    async with transaction(factory) as session:
        yield session


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
