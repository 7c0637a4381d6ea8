"""Bad input gets a clear 4xx; secrets stay out of responses and logs; probes tell the truth."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import ValidationError

from core.settings import DEV_SECRET_KEY, Settings
from harness.clients import asgi_client
from harness.factories import DEFAULT_PASSWORD, new_agent, register_and_login


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": DEFAULT_PASSWORD}, "username"),
        ({"username": "a@example.com"}, "password"),
        ({"username": "a@example.com", "password": 12345678901}, "password"),
        ({"username": "alice", "password": DEFAULT_PASSWORD, "email": "not-an-email"}, "email"),
        ({"username": "a@example.com", "password": DEFAULT_PASSWORD, "admin": True}, "admin"),
    ],
)
async def test_malformed_registration_names_the_field(
    auth_client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    response = await auth_client.post("/register", json=body)
    assert response.status_code == 422, response.text
    assert field in {str(part) for error in response.json()["detail"] for part in error["loc"]}


async def test_malformed_agent_body_names_the_field(auth_client: httpx.AsyncClient) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    response = await auth_client.post("/agents", headers=admin.headers, json={"name": ""})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]
    bad_json = await auth_client.post(
        "/agents", headers={**admin.headers, "content-type": "application/json"}, content=b"{nope"
    )
    assert bad_json.status_code == 422
    not_an_id = await auth_client.delete("/agents/abc", headers=admin.headers)
    assert not_an_id.status_code == 422 and not_an_id.json()["detail"][0]["loc"] == [
        "path",
        "agent_id",
    ]


async def test_two_megabyte_body_is_refused_with_413(auth_client: httpx.AsyncClient) -> None:
    payload = b'{"username": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    response = await auth_client.post(
        "/register", content=payload, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


async def test_streamed_oversized_body_without_length_is_refused(
    auth_client: httpx.AsyncClient,
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(3):
            yield b"x" * 600_000

    response = await auth_client.post(
        "/register", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_no_secret_in_responses_or_logs(
    auth_client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    admin = await register_and_login(auth_client, "admin@example.com")
    agent = await new_agent(auth_client, admin, "a")
    await auth_client.post("/agents/validate-token", headers={"X-Agent-Token": agent.token})
    await auth_client.post("/refresh", json={"refresh_token": admin.refresh_token})
    await auth_client.post("/refresh", json={"refresh_token": admin.refresh_token})  # reuse: logged
    listing = await auth_client.get("/agents", headers=admin.headers)
    me = await auth_client.get("/users/me", headers=admin.headers)
    for text in (listing.text, me.text):
        assert DEFAULT_PASSWORD not in text and agent.token not in text and "argon2" not in text
    logged = caplog.text + " ".join(str(record.__dict__) for record in caplog.records)
    for secret in (
        DEFAULT_PASSWORD,
        agent.token,
        admin.access_token,
        admin.refresh_token,
        "$argon2id$",
    ):
        assert secret not in logged


async def test_health_ready_and_metrics(auth_client: httpx.AsyncClient) -> None:
    assert (await auth_client.get("/health")).json() == {"status": "ok", "service": "auth_service"}
    ready = await auth_client.get("/ready")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "redis": "ok"}
    metrics = await auth_client.get("/metrics")
    assert metrics.status_code == 200
    assert (
        'statusmonitor_http_requests_total{method="GET",route="/ready",service="auth_service",status="200"}'
        in metrics.text
    )


async def test_ready_answers_503_naming_the_dependency_that_is_down(settings: Settings) -> None:
    from auth_service.app import create_app

    broken = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    async with asgi_client(create_app(broken)) as client:
        assert (await client.get("/health")).status_code == 200
        ready = await client.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["checks"] == {"database": "ok", "redis": "down"}


@pytest.mark.parametrize("secret", [DEV_SECRET_KEY, "short-secret", ""])
def test_production_refuses_weak_secret_key(secret: str) -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(env="production", secret_key=secret)


def test_production_accepts_strong_secret_key() -> None:
    assert Settings(env="production", secret_key="k" * 64).env == "production"
