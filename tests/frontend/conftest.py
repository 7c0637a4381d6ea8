"""The dashboard's Node.js toolchain, its npm packages and its production build, each made
once per session through deploy/frontend.py (what `make run` uses)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy import frontend


@pytest.fixture(scope="session")
def node() -> frontend.Node:
    """The Node.js `make run` would use, with the frontend's npm packages installed."""
    found = frontend.find_node()
    frontend.install_packages(found)
    return found


@pytest.fixture(scope="session")
def dashboard(node: frontend.Node) -> Path:
    """frontend/dist, built from the current sources (no-op when it already is)."""
    frontend.build(node)
    return frontend.FRONTEND / "dist"
