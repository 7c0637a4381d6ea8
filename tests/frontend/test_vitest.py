"""The dashboard's Vitest suite: unit tests (src/**/*.test.ts, in Node) and component tests
(src/**/*.test.tsx, in browser mode on Debian's chromium), as `npx vitest run` runs them."""

from __future__ import annotations

import os

import pytest

from deploy import frontend


@pytest.mark.timeout(900)
def test_vitest_unit_and_browser_tests_pass(node: frontend.Node) -> None:
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    result = frontend.npx(node, "vitest", "run", env={**os.environ, "CHROMIUM_PATH": chromium})
    assert result.returncode == 0, f"npx vitest run failed:\n{result.stdout}"
    assert "Test Files" in result.stdout, result.stdout
