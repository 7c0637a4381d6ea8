"""In-process service clients: httpx over ASGI, with the app's lifespan run."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI


@asynccontextmanager
async def asgi_client(
    app: FastAPI,
    client_ip: str = "203.0.113.7",
    *,
    raise_app_exceptions: bool = True,
    base_url: str = "http://testserver",
    root_path: str = "",
) -> AsyncIterator[httpx.AsyncClient]:
    """raise_app_exceptions=False: the client sees what a real server would have sent.
    root_path: the app mounted there, as uvicorn --root-path runs it behind the gateway."""
    transport = httpx.ASGITransport(
        app=app,
        client=(client_ip, 51234),
        raise_app_exceptions=raise_app_exceptions,
        root_path=root_path,
    )
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=transport, base_url=base_url + root_path) as client,
    ):
        yield client
