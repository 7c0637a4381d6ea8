"""Failed logins are limited per address and username, per username from every address, and
for everyone together: rotating X-Real-IP, a flood of usernames or a burst of concurrent
guesses gets a 429 with Retry-After, not more guesses."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from auth_service.app import create_app
from core.settings import Settings
from harness.clients import asgi_client
from harness.factories import login, register_and_login

WRONG = "not the password"


def _address(i: int) -> dict[str, str]:
    return {"X-Real-IP": f"198.51.100.{i % 250 + 1}"}


async def _attempt(
    client: httpx.AsyncClient, username: str, password: str, i: int
) -> httpx.Response:
    return await client.post(
        "/token", data={"username": username, "password": password}, headers=_address(i)
    )


def _assert_limited(response: httpx.Response, window_seconds: int) -> None:
    assert response.status_code == 429, response.text
    assert response.json() == {"detail": "too many failed logins: try again later"}
    assert 0 < int(response.headers["retry-after"]) <= window_seconds


@pytest.mark.parametrize("peer", ["127.0.0.1", "203.0.113.7"], ids=["gateway", "outsider"])
async def test_rotating_the_address_header_does_not_escape_the_per_username_limit(
    settings: Settings, peer: str
) -> None:
    settings.login_max_failures = 100  # out of the way: this is about the per-username limit
    settings.login_max_failures_per_username = 5
    settings.registration_policy = "open"
    async with asgi_client(create_app(settings), client_ip=peer) as client:
        user = await register_and_login(client, "alice@example.com")
        for i in range(5):
            assert (await _attempt(client, user.email, WRONG, i)).status_code == 401
        # Now refused from every address, even with the right password, until the window ends.
        _assert_limited(await _attempt(client, user.email, user.password, 99), 900)
    async with asgi_client(create_app(settings), client_ip="192.0.2.50") as elsewhere:
        _assert_limited(await login(elsewhere, user.email, user.password), 900)
        # Other accounts are not affected.
        other = await register_and_login(elsewhere, "bob@example.com")
        assert (await login(elsewhere, other.email, other.password)).status_code == 200


async def test_global_limit_stops_a_flood_of_distinct_usernames(settings: Settings) -> None:
    settings.login_max_failures_global = 6
    async with asgi_client(create_app(settings), client_ip="127.0.0.1") as client:
        user = await register_and_login(client, "alice@example.com")
        for i in range(6):
            response = await _attempt(client, f"nobody-{i}@example.com", WRONG, i)
            assert response.status_code == 401
        _assert_limited(await _attempt(client, "nobody-new@example.com", WRONG, 7), 60)
        _assert_limited(await _attempt(client, user.email, user.password, 8), 60)


async def test_successful_logins_do_not_count_towards_the_limits(settings: Settings) -> None:
    settings.login_max_failures_global = 3
    settings.login_max_failures_per_username = 3
    async with asgi_client(create_app(settings)) as client:
        user = await register_and_login(client, "alice@example.com")
        for i in range(2):
            assert (await _attempt(client, user.email, WRONG, i)).status_code == 401
        for i in range(4):
            assert (await _attempt(client, user.email, user.password, i)).status_code == 200


async def test_a_burst_of_concurrent_guesses_gets_no_more_than_the_limit(
    settings: Settings,
) -> None:
    """Attempts are counted before the password is checked: 20 guesses sent at once, while
    the first ones are still hashing, get exactly the 5 allowed, the rest 429."""
    settings.login_max_failures = 5
    async with asgi_client(create_app(settings)) as client:
        user = await register_and_login(client, "alice@example.com")
        responses = await asyncio.gather(
            *(login(client, user.email, f"guess number {i}") for i in range(20))
        )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [401] * 5 + [429] * 15
