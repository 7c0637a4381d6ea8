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


def _dockerfile_steps(path: Path) -> list[tuple[str, str]]:
    """(instruction, arguments) of each step, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", path.read_text())
    steps = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            instruction, _, arguments = line.strip().partition(" ")
            steps.append((instruction.upper(), arguments.strip()))
    return steps


def test_the_gateway_image_builds_the_dashboard_from_the_lockfile_and_serves_it() -> None:
    """No placeholder page in Docker: the gateway's image builds the SPA (`npm ci`, the
    production build, .gz files for gzip_static) and nginx serves that build as its root."""
    gateway = _services("docker-compose.yml")["gateway"]
    assert gateway["build"] == {"context": ".", "dockerfile": "deploy/gateway.Dockerfile"}
    assert "image" not in gateway and "volumes" not in gateway

    steps = _dockerfile_steps(ROOT / "deploy" / "gateway.Dockerfile")
    runs = [arguments for instruction, arguments in steps if instruction == "RUN"]
    copies = [arguments.split() for instruction, arguments in steps if instruction == "COPY"]
    assert copies[0] == ["frontend/package.json", "frontend/package-lock.json", "./"]
    assert runs[0].startswith("npm ci ")  # the committed lockfile, before any source is copied
    assert runs[1].startswith("npm run build && ") and "gzip -9 --keep" in runs[1]
    for suffix in ("js", "css", "html", "svg", "json"):
        assert f"'*.{suffix}'" in runs[1]
    for copy in copies:
        sources = [source for source in copy[:-1] if not source.startswith("--from=")]
        if not copy[0].startswith("--from="):
            assert all((ROOT / source).exists() for source in sources), copy

    nginx = (ROOT / "deploy" / "nginx.compose.conf").read_text()
    root = re.search(r"^\s*root (\S+);", nginx, re.MULTILINE)
    assert root is not None and "gzip_static on;" in nginx
    assert copies[-1] == ["--from=dashboard", "/frontend/dist", root.group(1)]
    assert ["deploy/nginx.compose.conf", "/etc/nginx/conf.d/default.conf"] in copies

    # The host's node_modules and dist never reach the build: it installs and builds its own.
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert {"frontend/node_modules", "frontend/dist", ".venv", ".data"} <= set(ignored)
