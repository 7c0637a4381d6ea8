"""Fixtures for the agent's tests: a recording HTTP server and a HOME of the agent's own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.agent_recorder import RecordingServer


@pytest.fixture
def recorder() -> Iterator[RecordingServer]:
    with RecordingServer().running() as server:
        yield server


@pytest.fixture
def agent_home(tmp_path: Path) -> Path:
    """So no test reads or writes the real ~/.statusmonitor."""
    home = tmp_path / "home"
    home.mkdir()
    return home
