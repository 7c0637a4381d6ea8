"""Whose address the audit log and the login limits see: X-Real-IP / X-Forwarded-For count
only from a trusted proxy (TRUSTED_PROXIES, loopback by default: make run's gateway) and only
when they hold an IP address; otherwise the direct peer's address is used."""

from __future__ import annotations

from ipaddress import ip_network

import pytest

from auth_service.app import create_app
from core.settings import Settings
from harness.clients import asgi_client
from harness.database import fetch
from harness.factories import login, register_and_login

GATEWAY = "127.0.0.1"
OUTSIDER = "203.0.113.7"


async def _login_address(settings: Settings, peer: str, headers: dict[str, str]) -> str:
    """Logs in from `peer` with these headers; the address the audit log recorded."""
    async with asgi_client(create_app(settings), client_ip=peer) as client:
        user = await register_and_login(client, "alice@example.com")
        await fetch(settings.database_url, "DELETE FROM audit_log")
        response = await client.post(
            "/token", data={"username": user.email, "password": user.password}, headers=headers
        )
        assert response.status_code == 200, response.text
    [row] = await fetch(
        settings.database_url, "SELECT host(ip) AS ip FROM audit_log WHERE action = 'user.login'"
    )
    return str(row["ip"])


@pytest.mark.parametrize(
    ("peer", "headers", "recorded"),
    [
        # Behind the gateway: the client it names.
        (GATEWAY, {"X-Real-IP": "198.51.100.1"}, "198.51.100.1"),
        (GATEWAY, {"X-Forwarded-For": "198.51.100.9, 198.51.100.2"}, "198.51.100.2"),
        (GATEWAY, {"X-Forwarded-For": "198.51.100.2, 127.0.0.1"}, "198.51.100.2"),
        (GATEWAY, {}, GATEWAY),
        # Anyone else who sends the headers: ignored.
        (OUTSIDER, {"X-Real-IP": "198.51.100.1"}, OUTSIDER),
        (OUTSIDER, {"X-Forwarded-For": "198.51.100.2"}, OUTSIDER),
        # Not an address, even from the gateway: the peer's address instead.
        (GATEWAY, {"X-Real-IP": "bogus"}, GATEWAY),
        (GATEWAY, {"X-Forwarded-For": "198.51.100.2, bogus"}, GATEWAY),
        (GATEWAY, {"X-Real-IP": "198.51.100.1\r\nX-Evil: 1"}, GATEWAY),
    ],
)
async def test_address_headers_count_only_from_a_trusted_proxy(
    settings: Settings, peer: str, headers: dict[str, str], recorded: str
) -> None:
    assert await _login_address(settings, peer, headers) == recorded


@pytest.mark.parametrize(("peer", "recorded"), [("10.20.3.4", "198.51.100.1"), (GATEWAY, GATEWAY)])
async def test_trusted_proxies_is_configurable_as_networks(
    settings: Settings, peer: str, recorded: str
) -> None:
    settings.trusted_proxies = [ip_network("10.20.0.0/16")]  # loopback no longer trusted
    assert await _login_address(settings, peer, {"X-Real-IP": "198.51.100.1"}) == recorded


async def test_unparseable_address_header_never_loses_an_agent(settings: Settings) -> None:
    """The attack from the review: POST /agents with X-Real-IP: bogus answered 201 with a
    token, then the audit row's inet column failed the COMMIT and the agent never existed."""
    async with asgi_client(create_app(settings), client_ip=GATEWAY) as gateway:
        admin = await register_and_login(gateway, "admin@example.com")
        created = await gateway.post(
            "/agents", headers={**admin.headers, "X-Real-IP": "bogus"}, json={"name": "edge-1"}
        )
        assert created.status_code == 201, created.text
        listed = await gateway.get("/agents", headers=admin.headers)
        assert [agent["id"] for agent in listed.json()] == [created.json()["id"]]
        assert (await login(gateway, admin.email, admin.password)).status_code == 200
    [row] = await fetch(
        settings.database_url, "SELECT host(ip) AS ip FROM audit_log WHERE action = 'agent.create'"
    )
    assert row["ip"] == GATEWAY
