"""The auth service as a real uvicorn process, over real HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from core.settings import DEV_SECRET_KEY, Settings
from tests.harness.clients import DEFAULT_PASSWORD
from tests.harness.live import live_service, settings_env

pytestmark = pytest.mark.e2e


def test_statusmonitor_v1_flow_over_http_and_logs_hold_no_secret(
    settings: Settings, log_dir: Path
) -> None:
    with (
        live_service("auth_service", settings, log_dir) as service,
        httpx.Client(base_url=service.url) as http,
    ):
        assert (
            http.post(
                "/register", json={"username": "ops@example.com", "password": DEFAULT_PASSWORD}
            ).status_code
            == 201
        )
        tokens = http.post(
            "/token", data={"username": "ops@example.com", "password": DEFAULT_PASSWORD}
        ).json()
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        agent = http.post("/agents", headers=headers, json={"name": "edge-1"}).json()
        valid = http.post("/agents/validate-token", headers={"X-Agent-Token": agent["token"]})
        assert valid.json()["valid"] is True and valid.json()["agent_id"] == agent["id"]
        assert (
            http.post("/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code
            == 200
        )
        assert (
            http.post(
                "/token", data={"username": "ops@example.com", "password": "wrong password"}
            ).status_code
            == 401
        )
        assert http.get("/ready").status_code == 200
        logs = service.logs()
    events = [json.loads(line)["event"] for line in logs.splitlines() if line.strip()]
    assert any('"POST /token HTTP/1.1" 200' in event for event in events)  # logged as JSON lines
    for secret in (
        DEFAULT_PASSWORD,
        "wrong password",
        agent["token"],
        tokens["access_token"],
        tokens["refresh_token"],
    ):
        assert secret not in logs


def test_production_service_refuses_to_start_with_the_default_secret(
    settings: Settings, log_dir: Path
) -> None:
    env = {
        **os.environ,
        **settings_env(settings),
        "ENV": "production",
        "SECRET_KEY": DEV_SECRET_KEY,
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "auth_service.app:create_app",
            "--port",
            "0",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a random value" in result.stderr
