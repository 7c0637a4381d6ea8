"""Agent configuration: environment variables over `~/.statusmonitor/agent_config.json`.

StatusMonitor v1 documents both: the GUI agent writes the JSON file (`server_url`, `agent_token`,
`interval`), the headless one reads `INGESTION_URL`, `AGENT_TOKEN`, `COLLECTION_INTERVAL`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_INTERVAL = 5.0
MAX_INTERVAL = 86400.0


class ConfigError(Exception):
    """The agent cannot start: the message tells the operator what to set."""


@dataclass(frozen=True)
class AgentConfig:
    server_url: str  # ingestion base: the agent posts to {server_url}/ingest
    token: str
    interval: float
    queue_path: Path
    queue_max_age_s: float = 24 * 3600
    queue_max_bytes: int = 100 * 1024 * 1024
    host_proc: str | None = None  # a host's /proc mounted into a container
    host_root: str | None = None  # a host's / mounted into a container

    def __repr__(self) -> str:  # the token must never reach a log line
        return f"AgentConfig(server_url={self.server_url!r}, interval={self.interval})"


def load_config(env: Mapping[str, str]) -> AgentConfig:
    home = Path(env.get("HOME") or Path.home())
    state_dir = home / ".statusmonitor"
    file = _read_file(state_dir / "agent_config.json")
    url = env.get("INGESTION_URL") or file.get("server_url") or ""
    token = env.get("AGENT_TOKEN") or file.get("agent_token") or ""
    if not url:
        raise ConfigError(
            "no server URL: set INGESTION_URL (e.g. http://your-server:8001) "
            f"or server_url in {state_dir / 'agent_config.json'}"
        )
    if not token:
        raise ConfigError(
            "no agent token: set AGENT_TOKEN (create an agent in the dashboard to get one) "
            f"or agent_token in {state_dir / 'agent_config.json'}"
        )
    return AgentConfig(
        server_url=_check_url(str(url)),
        token=str(token).strip(),
        interval=_interval(env, file),
        queue_path=Path(env.get("AGENT_QUEUE_PATH") or state_dir / "queue.sqlite3"),
        queue_max_age_s=_positive(env, "AGENT_QUEUE_MAX_AGE_HOURS", 24) * 3600,
        queue_max_bytes=int(_positive(env, "AGENT_QUEUE_MAX_MB", 100) * 1024 * 1024),
        host_proc=env.get("HOST_PROC") or None,
        host_root=env.get("HOST_ROOT") or None,
    )


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a JSON object")
    return data


def _check_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"server URL must start with http:// or https://, got {url!r}")
    return url


def _interval(env: Mapping[str, str], file: Mapping[str, Any]) -> float:
    raw = env.get("COLLECTION_INTERVAL") or env.get("INTERVAL") or file.get("interval")
    if raw in (None, ""):
        return DEFAULT_INTERVAL
    value = _number("interval", raw)
    if not 0 < value <= MAX_INTERVAL:
        raise ConfigError(f"interval must be between 0 and {MAX_INTERVAL:g} seconds, got {raw}")
    return value


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    value = _number(name, raw)
    if not 0 < value < math.inf:
        raise ConfigError(f"{name} must be positive, got {raw}")
    return value


def _number(name: str, raw: object) -> float:
    try:
        return float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
