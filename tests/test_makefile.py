"""The make targets in the order they run (`make -n` prints the recipes without running them):
`make run` builds the dashboard before it starts anything, `make lint` checks the frontend too,
and `make test` runs the whole pytest suite, the frontend's tests included."""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _recipe(target: str) -> list[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_ARGS"}
    result = subprocess.run(
        ["make", "-n", target],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


def _index(lines: list[str], fragment: str) -> int:
    matches = [i for i, line in enumerate(lines) if fragment in line]
    assert matches, f"{fragment!r} not in {lines}"
    return matches[0]


def test_make_run_builds_the_dashboard_before_it_starts() -> None:
    lines = _recipe("run")
    install = _index(lines, "deploy/install.sh")
    build = _index(lines, "python -m deploy.frontend build")
    start = _index(lines, "python -m deploy.run")
    assert install < build < start


def test_make_lint_runs_the_frontend_typecheck_and_eslint() -> None:
    lines = _recipe("lint")
    assert _index(lines, "mypy") < _index(lines, "python -m deploy.frontend lint")


def test_make_test_runs_the_whole_suite_which_holds_the_frontend_tests() -> None:
    [pytest_line] = [line for line in _recipe("test") if "pytest" in line]
    assert pytest_line == ".venv/bin/pytest -p no:cacheprovider"  # nothing narrowed
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["tool"]["pytest"]["ini_options"]["testpaths"] == ["tests"]
    frontend_tests = {path.name for path in (ROOT / "tests" / "frontend").glob("test_*.py")}
    assert {"test_api_types.py", "test_vitest.py", "test_playwright.py"} <= frontend_tests
