"""Configuration: the environment (StatusMonitor v1's variables) wins over the GUI agent's JSON
file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent_service.config import ConfigError, load_config


def write_config_file(home: Path, **values: object) -> None:
    directory = home / ".statusmonitor"
    directory.mkdir()
    (directory / "agent_config.json").write_text(json.dumps(values))


def test_config_file_alone_is_enough(agent_home: Path) -> None:
    write_config_file(
        agent_home, server_url="http://files:8001/", agent_token="sm_file", interval=7
    )
    config = load_config({"HOME": str(agent_home)})
    assert (config.server_url, config.token, config.interval) == ("http://files:8001", "sm_file", 7)
    assert config.queue_path == agent_home / ".statusmonitor" / "queue.sqlite3"
    assert config.queue_max_age_s == 24 * 3600
    assert config.queue_max_bytes == 100 * 1024 * 1024


def test_environment_overrides_the_config_file(agent_home: Path) -> None:
    write_config_file(agent_home, server_url="http://files:8001", agent_token="sm_file", interval=7)
    env = {
        "HOME": str(agent_home),
        "INGESTION_URL": "http://env:8080/api",
        "AGENT_TOKEN": "sm_env",
        "COLLECTION_INTERVAL": "2",
        "INTERVAL": "3",
        "AGENT_QUEUE_PATH": "/var/lib/agent/q.sqlite3",
        "AGENT_QUEUE_MAX_AGE_HOURS": "1.5",
        "AGENT_QUEUE_MAX_MB": "10",
    }
    config = load_config(env)
    assert (config.server_url, config.token, config.interval) == (
        "http://env:8080/api",
        "sm_env",
        2,
    )
    assert config.queue_path == Path("/var/lib/agent/q.sqlite3")
    assert (config.queue_max_age_s, config.queue_max_bytes) == (5400, 10 * 1024 * 1024)


def test_interval_variable_is_accepted_when_collection_interval_is_absent(agent_home: Path) -> None:
    env = {
        "HOME": str(agent_home),
        "INGESTION_URL": "http://x",
        "AGENT_TOKEN": "t",
        "INTERVAL": "3",
    }
    assert load_config(env).interval == 3


def test_missing_token_names_the_variable_and_the_file(agent_home: Path) -> None:
    with pytest.raises(ConfigError, match=r"AGENT_TOKEN.*agent_config\.json"):
        load_config({"HOME": str(agent_home), "INGESTION_URL": "http://server:8001"})


@pytest.mark.parametrize(
    ("variables", "problem"),
    [
        ({"COLLECTION_INTERVAL": "0"}, "interval must be between"),
        ({"COLLECTION_INTERVAL": "soon"}, "interval must be a number"),
        ({"INGESTION_URL": "server:8001"}, "must start with http"),
        ({"AGENT_QUEUE_MAX_MB": "-1"}, "AGENT_QUEUE_MAX_MB must be positive"),
    ],
)
def test_invalid_settings_are_refused_with_the_reason(
    agent_home: Path, variables: dict[str, str], problem: str
) -> None:
    env = {"HOME": str(agent_home), "INGESTION_URL": "http://s", "AGENT_TOKEN": "t", **variables}
    with pytest.raises(ConfigError, match=problem):
        load_config(env)


def test_token_never_appears_in_the_config_repr(agent_home: Path) -> None:
    env = {"HOME": str(agent_home), "INGESTION_URL": "http://s", "AGENT_TOKEN": "sm_secret"}
    assert "sm_secret" not in repr(load_config(env))
