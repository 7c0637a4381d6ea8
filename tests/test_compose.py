"""The Docker Compose files hang together (no Docker engine here to start them): every name
the gateway, the production override and the dependencies use is a service, named as StatusMonitor
v1's commands expect (`docker compose logs auth-service`, `up -d alert-service`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


class _ComposeLoader(yaml.SafeLoader):  # type: ignore[misc]  # no PyYAML stubs
    """Reads Compose's own tags (`!reset`, `!override`) as plain values."""


_ComposeLoader.add_multi_constructor(
    "!",
    lambda loader, _suffix, node: (
        loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else None
    ),
)


def _services(name: str) -> dict[str, Any]:
    loaded = yaml.load((ROOT / name).read_text(), Loader=_ComposeLoader)  # noqa: S506
    services: dict[str, Any] = loaded["services"]
    return services


def test_statusmonitor_v1_service_names_and_references_exist() -> None:
    services = _services("docker-compose.yml")
    for name in ("auth-service", "ingestion-service", "alert-service"):
        assert name in services
    for name, service in services.items():
        depends = service.get("depends_on", [])
        assert set(depends) <= set(services), f"{name} depends on a missing service"
    assert set(_services("docker-compose.prod.yml")) <= set(services)
    nginx = (ROOT / "deploy" / "nginx.compose.conf").read_text()
    upstreams = re.findall(r"server ([a-z-]+):\d+;", nginx)
    assert upstreams and set(upstreams) <= set(services)


def test_alert_containers_receive_the_telegram_and_smtp_settings() -> None:
    services = _services("docker-compose.yml")
    for name in ("alert-service", "alert-worker", "telegram-bot"):
        env_files = services[name].get("env_file", [])
        assert {"path": ".env", "required": False} in env_files, name


def test_redis_never_evicts_and_victoria_metrics_caps_new_series() -> None:
    services = _services("docker-compose.yml")
    redis = services["redis"]
    assert "--maxmemory-policy noeviction" in " ".join(redis["command"])
    assert '--maxmemory "$$REDIS_MAXMEMORY"' in " ".join(redis["command"])
    assert redis["environment"]["REDIS_MAXMEMORY"] == "${REDIS_MAXMEMORY:-1gb}"
    flags = services["victoria-metrics"]["command"]
    assert "-storage.maxHourlySeries=${TSDB_MAX_HOURLY_SERIES:-2000000}" in flags
    assert "-storage.maxDailySeries=${TSDB_MAX_DAILY_SERIES:-5000000}" in flags


def test_only_the_gateway_is_published() -> None:
    """Services trust the gateway's X-Real-IP and serve /metrics: their ports stay on the
    compose network, where nothing outside can rotate headers or scrape them."""
    for name in ("docker-compose.yml", "docker-compose.prod.yml"):
        published = {svc for svc, spec in _services(name).items() if spec.get("ports")}
        assert published <= {"gateway"}, name


def test_redis_requires_the_password_every_service_is_given() -> None:
    services = _services("docker-compose.yml")
    redis = services["redis"]
    assert "requirepass" in " ".join(redis["command"])
    assert "${REDIS_PASSWORD:?" in redis["environment"]["REDIS_PASSWORD"]
    for name, service in services.items():
        url = (service.get("environment") or {}).get("REDIS_URL")
        if url is not None:
            assert url.startswith("redis://:${REDIS_PASSWORD:?"), name
