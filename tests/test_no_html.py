"""Nothing a user sends comes back as HTML: every API answer is JSON, errors that quote the
input included (the gateway adds nosniff, so a browser never reads one as a page).

The only HTML the services serve is FastAPI's /docs and /redoc, built from the app's title.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI

from alert_service.app import create_app as alert_app
from auth_service.app import create_app as auth_app
from core.settings import Settings
from distribution_service.app import create_app as distribution_app
from history_service.app import create_app as history_app
from ingestion_service.app import create_app as ingestion_app

AppFactory = Callable[[Settings], FastAPI]
MARKUP = "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize(
    "create", [auth_app, alert_app, history_app, ingestion_app, distribution_app]
)
def test_every_documented_answer_is_json(create: AppFactory) -> None:
    spec = create(Settings()).openapi()
    types = {
        (path, content)
        for path, operations in spec["paths"].items()
        for operation in operations.values()
        for response in operation.get("responses", {}).values()
        for content in response.get("content", {})
    }
    assert types and {content for _, content in types} == {"application/json"}, types


async def test_errors_quoting_the_input_are_json(auth_client: httpx.AsyncClient) -> None:
    answers = [
        await auth_client.post("/register", json={"username": MARKUP, "password": MARKUP}),
        await auth_client.post("/token", data={"username": MARKUP, "password": "x"}),
        await auth_client.get(f"/{MARKUP}"),
        await auth_client.post("/refresh", content=MARKUP, headers={"Content-Type": "text/html"}),
    ]
    for answer in answers:
        assert answer.status_code in {400, 401, 404, 422}, answer.text
        assert answer.headers["content-type"] == "application/json", answer.request.url
