"""One `make run` platform shared by the end-to-end modules that drive it through its gateway
(starting one costs ~30 s): the older tools' doors and the uptime monitors."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from harness.make_run import MakeRun, make_run, run_env


@pytest.fixture(scope="package")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MakeRun]:
    env = run_env(
        tmp_path_factory.mktemp("gateway-platform") / "data",
        # Alert webhooks to a local receiver, each alert told at once (no group wait).
        ALERT_OUTBOUND_ALLOW_PRIVATE="true",
        ALERT_GROUP_WAIT_SECONDS="0",
        ALERT_GROUP_INTERVAL_SECONDS="0",
    )
    with make_run(env) as run:
        run.wait_until_up()
        yield run
        assert run.stop() == 0, run.output.text


@pytest.fixture(scope="package")
def gateway(platform: MakeRun) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=platform.gateway, timeout=10.0, trust_env=False) as client:
        yield client
