"""The Device Monitoring Backend's environment setup (SMTP_SERVER, ALERT_EMAIL_FROM,
ALERT_EMAIL_TO, SLACK_WEBHOOK_URL) works: every organization gets those channels, once, secrets
sealed."""

from __future__ import annotations

import pytest

from alert_service.config import AlertSettings
from alert_service.domain.env_channels import EMAIL_NAME, SLACK_NAME, provision
from core.crypto import SecretBox
from core.db import create_engine, create_sessionmaker
from core.settings import Settings
from tests.harness.clients import asgi_client, register_and_login
from tests.harness.database import fetch

SLACK_URL = "https://hooks.slack.com/services/T000/B000/devicebackendsecret"


def test_device_monitoring_backend_variable_names_are_understood(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMTP_SERVER", "smtp.example.com")
    monkeypatch.setenv("ALERT_EMAIL_FROM", "alerts@example.com")
    monkeypatch.setenv("ALERT_EMAIL_TO", "admin@example.com, ops@example.com")
    monkeypatch.setenv("SLACK_WEBHOOK_URL", SLACK_URL)
    config = AlertSettings()
    assert (config.smtp_host, config.smtp_from) == ("smtp.example.com", "alerts@example.com")
    assert config.email_to == "admin@example.com, ops@example.com"
    assert config.slack_webhook_url is not None
    assert config.slack_webhook_url.get_secret_value() == SLACK_URL


async def test_every_organization_gets_the_environment_channels_once(settings: Settings) -> None:
    from auth_service.app import create_app

    open_settings = settings.model_copy(update={"registration_policy": "open"})
    async with asgi_client(create_app(open_settings)) as auth:
        first = await register_and_login(auth, "a@example.com")
        second = await register_and_login(auth, "b@example.com")
    config = AlertSettings(
        email_to="admin@example.com, ops@example.com", slack_webhook_url=SLACK_URL
    )
    engine = create_engine(settings)
    try:
        sessions = create_sessionmaker(engine)
        for expected in (4, 0):  # the second run finds them all
            async with sessions() as session, session.begin():
                assert await provision(session, config, SecretBox(settings.secret_key)) == expected
    finally:
        await engine.dispose()
    rows = await fetch(
        settings.database_url,
        "SELECT org_id, type, name, config::text AS config, secrets, daily_summary"
        " FROM notification_channels ORDER BY org_id, name",
    )
    assert [(r["org_id"], r["type"], r["name"]) for r in rows] == [
        (first.org_id, "email", EMAIL_NAME),
        (first.org_id, "slack", SLACK_NAME),
        (second.org_id, "email", EMAIL_NAME),
        (second.org_id, "slack", SLACK_NAME),
    ]
    assert all(r["daily_summary"] for r in rows)
    assert "ops@example.com" in rows[0]["config"]
    assert all("devicebackendsecret" not in f"{r['config']}{r['secrets']}" for r in rows)
