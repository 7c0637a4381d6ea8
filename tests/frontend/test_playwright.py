"""The Playwright suite (frontend/e2e/*.spec.ts) in Debian's chromium against the real
platform, started the way `make run` starts it (harness/make_run.py: its own datastores on free
ports, a temporary data dir) with the dashboard built as `make run` builds it.

The specs get SM_BASE_URL, SM_ADMIN_USER and SM_ADMIN_PASSWORD (the first admin), SM_REPO
(whose .venv/bin/statusmonitor-agent they may start, see e2e/platform.ts) and SM_TMP (a scratch
directory, e.g. for the agents' HOME). The alert service may send to loopback addresses
(ALERT_OUTBOUND_ALLOW_PRIVATE), so a webhook channel can target a receiver the spec starts, and
sends each notification at once (no group wait). Screenshots go to frontend/e2e/screenshots.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from deploy import frontend
from harness.make_run import ADMIN_EMAIL, make_run, run_env

pytestmark = pytest.mark.e2e

PLATFORM_SETTINGS = {
    "ALERT_OUTBOUND_ALLOW_PRIVATE": "true",
    "ALERT_GROUP_WAIT_SECONDS": "0",
}
PLATFORM_LINES = 200  # of make run's output, shown when a spec fails
SUITE_TIMEOUT = 1500.0


def _assert_the_gateway_serves_the_build(gateway: str, dist: Path) -> None:
    index = (dist / "index.html").read_text()
    script = re.search(r'src="(/assets/[^"]+\.js)"', index)
    assert script is not None, index
    with httpx.Client(base_url=gateway, trust_env=False) as client:
        page = client.get("/hosts")  # a deep link: the SPA's page
        assert page.status_code == 200 and page.text == index
        asset = client.get(script.group(1), headers={"Accept-Encoding": "gzip"})
        assert asset.status_code == 200 and asset.headers["content-encoding"] == "gzip"
        assert asset.content == (dist / script.group(1).lstrip("/")).read_bytes()


def _text(output: bytes | str | None) -> str:
    if isinstance(output, bytes):
        return output.decode(errors="replace")
    return output or ""


@pytest.mark.timeout(SUITE_TIMEOUT + 300)
def test_the_playwright_suite_passes_against_the_platform_as_make_run_starts_it(
    node: frontend.Node, dashboard: Path, tmp_path: Path
) -> None:
    scratch = tmp_path / "e2e"
    scratch.mkdir()
    with make_run(run_env(tmp_path / "data", **PLATFORM_SETTINGS)) as run:
        run.wait_until_up()
        _assert_the_gateway_serves_the_build(run.gateway, dashboard)
        specs = {
            "SM_BASE_URL": run.gateway,
            "SM_ADMIN_USER": ADMIN_EMAIL,
            "SM_ADMIN_PASSWORD": run.admin_password(),
            "SM_REPO": str(frontend.ROOT),
            "SM_TMP": str(scratch),
            "CHROMIUM_PATH": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            "SM_OUTBOUND_ALLOW_PRIVATE": "1",  # as PLATFORM_SETTINGS allow (e2e/alerts.spec.ts)
            "CI": "1",  # Playwright: no interactive report server, forbid test.only
        }
        try:
            # E2E_SPECS="e2e/hosts.spec.ts ..." runs only those (while working on a page).
            only = os.environ.get("E2E_SPECS", "").split()
            result = frontend.npx(
                node,
                "playwright",
                "test",
                *only,
                env={**os.environ, **specs},
                timeout=SUITE_TIMEOUT,
            )
            returncode, output = result.returncode, result.stdout
        except subprocess.TimeoutExpired as exc:  # its output so far says where it hangs
            returncode, output = -1, _text(exc.output)
        sys.stdout.write(output)  # shown with -rP, and in the failure below
        platform = "\n".join(run.output.text.splitlines()[-PLATFORM_LINES:])
        assert returncode == 0, (
            f"npx playwright test failed (exit {returncode}):\n{output}\n"
            f"--- the platform's last {PLATFORM_LINES} lines ---\n{platform}"
        )
        assert run.stop() == 0, run.output.text
