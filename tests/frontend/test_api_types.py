"""The dashboard's generated API types match the services: frontend/scripts/gen-api.mjs
regenerates the OpenAPI schemas and their TypeScript into a temporary directory, and each must
equal the committed copy (frontend/openapi/*.json, frontend/src/lib/api/schema/*.ts)."""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest

from deploy import frontend

COMMITTED = {
    "openapi": frontend.FRONTEND / "openapi",
    "schema": frontend.FRONTEND / "src" / "lib" / "api" / "schema",
}
SUFFIX = {"openapi": ".json", "schema": ".ts"}
DIFF_LINES = 40


def _drift(generated: Path, committed: Path, suffix: str) -> list[str]:
    problems = []
    fresh = {path.name for path in generated.glob(f"*{suffix}")}
    kept = {path.name for path in committed.glob(f"*{suffix}")}
    for name in sorted(fresh - kept):
        problems.append(f"{committed / name}: missing (a new service or file)")
    for name in sorted(kept - fresh):
        problems.append(f"{committed / name}: no longer generated")
    for name in sorted(fresh & kept):
        new, old = (generated / name).read_text(), (committed / name).read_text()
        if new != old:
            diff = difflib.unified_diff(
                old.splitlines(),
                new.splitlines(),
                f"committed/{name}",
                f"generated/{name}",
                n=1,
                lineterm="",
            )
            shown = list(diff)[:DIFF_LINES]
            problems.append(f"{committed / name} differs:\n" + "\n".join(shown))
    return problems


@pytest.mark.timeout(600)
def test_the_committed_api_types_match_the_services(node: frontend.Node, tmp_path: Path) -> None:
    out = tmp_path / "api"
    result = subprocess.run(
        [str(node.node), "scripts/gen-api.mjs", "--out", str(out)],
        cwd=frontend.FRONTEND,
        env=node.env(PYTHON=sys.executable),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"gen-api.mjs failed:\n{result.stdout}\n{result.stderr}"
    problems = [
        problem
        for kind, committed in COMMITTED.items()
        for problem in _drift(out / kind, committed, SUFFIX[kind])
    ]
    assert not problems, (
        "The dashboard's API types are out of date with the services' OpenAPI: run "
        "`cd frontend && npm run gen:api` and commit frontend/openapi and "
        "frontend/src/lib/api/schema.\n\n" + "\n\n".join(problems)
    )
