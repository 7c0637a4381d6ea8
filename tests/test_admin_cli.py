"""The first admin without the web UI: `python -m core.admin`."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx

from core.settings import Settings
from harness.database import fetch
from harness.factories import login
from harness.live import settings_env


def _admin_cli(
    settings: Settings, *args: str, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **settings_env(settings)}
    env.pop("ADMIN_PASSWORD", None)
    env.pop("ADMIN_EMAIL", None)
    if password is not None:
        env["ADMIN_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "core.admin", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )


async def test_create_user_from_the_environment_can_log_in(
    settings: Settings, auth_client: httpx.AsyncClient
) -> None:
    result = _admin_cli(
        settings,
        "create-user",
        "Root@Example.com",
        "--role",
        "admin",
        password="a long admin password",
    )
    assert result.returncode == 0, result.stderr
    assert "created root@example.com as admin" in result.stdout
    assert "a long admin password" not in result.stdout + result.stderr
    tokens = await login(auth_client, "root@example.com", "a long admin password")
    assert tokens.status_code == 200
    me = (
        await auth_client.get(
            "/users/me", headers={"Authorization": f"Bearer {tokens.json()['access_token']}"}
        )
    ).json()
    assert me["role"] == "admin"


async def test_create_user_without_password_or_terminal_explains(settings: Settings) -> None:
    result = _admin_cli(settings, "create-user", "root@example.com")
    assert result.returncode != 0
    assert "ADMIN_PASSWORD" in result.stderr
    assert await fetch(settings.database_url, "SELECT id FROM users") == []


async def test_create_user_refuses_a_short_password(settings: Settings) -> None:
    result = _admin_cli(settings, "create-user", "root@example.com", password="short")
    assert result.returncode == 1
    assert "at least 10 characters" in result.stdout


async def test_ensure_admin_creates_once_and_prints_generated_password_once(
    settings: Settings, auth_client: httpx.AsyncClient
) -> None:
    first = _admin_cli(settings, "ensure-admin")
    assert first.returncode == 0, first.stderr
    assert "admin@localhost" in first.stdout
    password = first.stdout.split("Generated password (shown once, change it after logging in): ")[
        1
    ].strip()
    assert (await login(auth_client, "admin@localhost", password)).status_code == 200
    second = _admin_cli(settings, "ensure-admin")
    assert second.returncode == 0 and second.stdout == ""
    assert len(await fetch(settings.database_url, "SELECT id FROM users")) == 1


async def test_a_deactivated_user_cannot_log_in_until_activated_again(
    settings: Settings, auth_client: httpx.AsyncClient
) -> None:
    password = "a long admin password"
    created = _admin_cli(settings, "create-user", "root@example.com", password=password)
    assert created.returncode == 0, created.stderr
    off = _admin_cli(settings, "deactivate-user", "root@example.com")
    assert off.returncode == 0 and off.stdout == "deactivated root@example.com\n", off.stderr
    refused = await login(auth_client, "root@example.com", password)
    assert refused.status_code == 401 and refused.json()["detail"] == "this account is disabled"
    assert _admin_cli(settings, "activate-user", "root@example.com").returncode == 0
    assert (await login(auth_client, "root@example.com", password)).status_code == 200
    unknown = _admin_cli(settings, "deactivate-user", "nobody@example.com")
    assert unknown.returncode == 1 and unknown.stdout == "error: no user nobody@example.com\n"
