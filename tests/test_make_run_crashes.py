"""`make run` survives a SIGKILL of any of its processes, and history loses nothing.

A real agent reports every second through the gateway while every supervised process in turn
(each service, each worker, the gateway, PostgreSQL, Redis, VictoriaMetrics) is killed with
SIGKILL. Each must serve again within 10 s while the others keep running, and at the end
every report the agent collected is in VictoriaMetrics exactly once: the agent buffers while
the gateway, ingestion or Redis are down, Redis keeps acknowledged reports in its AOF, and the
history worker writes again what a killed VictoriaMetrics had not yet persisted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crash_drill import BACK_WITHIN_S, DRILL_ENV, kill_order, run_drill
from harness.make_run import make_run, run_env

pytestmark = pytest.mark.e2e


@pytest.mark.timeout(1200)
def test_every_process_killed_in_turn_comes_back_and_history_keeps_every_report(
    tmp_path: Path,
) -> None:
    with make_run(run_env(tmp_path / "data", **DRILL_ENV)) as run:
        run.wait_until_up()
        expected = kill_order(run)
        assert expected[-3:] == ["postgres", "redis", "victoria-metrics"], expected
        assert {"gateway", "history-worker", "alert-worker", "auth"} <= set(expected)

        result = run_drill(run, tmp_path)

        slow = {
            name: seconds
            for name, seconds in result.restart_seconds.items()
            if seconds is None or seconds > BACK_WITHIN_S
        }
        assert slow == {}, (result, run.output.text[-20000:])
        assert set(result.restart_seconds) == set(expected)
        # Nothing else restarted: each process was killed once and came back once.
        assert all(info["statename"] == "RUNNING" for info in run.processes().values())
        assert result.queued_at_stop == 0, result
        assert result.stored == result.distinct_timestamps == result.collected, result
        assert run.stop() == 0, run.output.text[-20000:]
