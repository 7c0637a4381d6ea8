"""Session-wide real servers, per-test clean data, and clients for the services under test."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import create_engine, create_sessionmaker
from core.dev.datastores import RedisServer, free_port
from core.settings import Settings
from harness.clients import asgi_client
from harness.database import truncate_all
from harness.datastores import Datastores, throwaway_datastores


@pytest.fixture(scope="session")
def datastores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Datastores]:
    with throwaway_datastores(tmp_path_factory.mktemp("datastores"), tsdb=True) as stores:
        yield stores


@pytest.fixture(scope="session")
def base_settings(datastores: Datastores) -> Settings:
    return datastores.settings(env="test", secret_key=secrets.token_hex(32), db_pool_size=5)


@pytest.fixture
def settings(base_settings: Settings) -> Settings:
    """Per-test copy: a test may change it (model_copy(update=...)) without affecting others."""
    return base_settings.model_copy()


@pytest.fixture(autouse=True)
async def clean_state(request: pytest.FixtureRequest) -> None:
    """Every test that touches the datastores starts from empty tables and an empty Redis."""
    if "datastores" not in request.fixturenames:
        return
    stores: Datastores = request.getfixturevalue("datastores")
    await truncate_all(stores.postgres.url)
    redis = Redis.from_url(stores.redis.url)
    await redis.flushdb()
    await redis.aclose()


@pytest.fixture(scope="session")
def small_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A Redis of its own with an 8 MB ceiling, for tests that fill it (flush what you fill)."""
    server = RedisServer(
        tmp_path_factory.mktemp("small-redis"), free_port(), persist=False, maxmemory="8mb"
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def sessionmaker(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(settings)
    yield create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
async def redis(base_settings: Settings) -> AsyncIterator[Redis]:
    client = Redis.from_url(base_settings.redis_url, decode_responses=True)
    yield client
    await client.aclose()


@pytest.fixture
async def auth_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    from auth_service.app import create_app

    async with asgi_client(create_app(settings)) as client:
        yield client


@pytest.fixture
async def open_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An auth service where anyone may sign up and gets an organization of their own."""
    from auth_service.app import create_app

    async with asgi_client(
        create_app(settings.model_copy(update={"registration_policy": "open"}))
    ) as client:
        yield client


@pytest.fixture
async def alert_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    from alert_service.app import create_app

    async with asgi_client(create_app(settings)) as client:
        yield client


@pytest.fixture
async def history_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    from history_service.app import create_app

    async with asgi_client(create_app(settings)) as client:
        yield client


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    path = tmp_path / "logs"
    path.mkdir()
    return path
