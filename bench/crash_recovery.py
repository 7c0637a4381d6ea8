"""Crash recovery under `make run`: restart times per process, and what a Redis crash loses.

1. The drill of tests/test_make_run_crashes.py: a real agent reports every second while each
   supervised process is killed with SIGKILL in turn; prints seconds until each served again
   and the agent's reports collected vs stored in history.
2. Redis killed with SIGKILL while reports pour into ingestion through the gateway: reports
   acknowledged (2xx) vs stored in VictoriaMetrics once all is drained. Redis runs with
   `appendonly yes, appendfsync everysec`: each write reaches the OS before Redis answers, so
   a process crash should lose nothing (a machine crash could lose about the last second).

    .venv/bin/python -m bench.crash_recovery [--skip-drill] [--senders 8] [--seconds 8]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import tempfile
import threading
import time
from pathlib import Path

import httpx

from harness.crash_drill import (
    DRILL_ENV,
    create_agent,
    run_drill,
    seconds_until,
    stored_timestamps,
)
from harness.make_run import MakeRun, make_run, run_env


def _sender(
    run: MakeRun, token: str, stop: threading.Event, start_ms: int, step: int, acked: list[int]
) -> None:
    """Posts reports with distinct millisecond timestamps; records the acknowledged ones."""
    headers = {"X-Agent-Token": token}
    with httpx.Client(base_url=run.gateway, trust_env=False, timeout=10) as client:
        ts = start_ms
        while not stop.is_set():
            body = {"cpu": {"percent": 10.0}, "memory": {"percent": 20.0}, "timestamp": ts / 1000}
            try:
                answer = client.post("/api/ingest", json=body, headers=headers)
            except httpx.HTTPError:
                answer = None
            if answer is not None and answer.is_success:
                acked.append(ts)
            elif answer is None or answer.status_code in (502, 503):
                time.sleep(0.05)  # Redis (or ingestion) is down: do not spin
            ts += step


def redis_crash(run: MakeRun, senders: int, seconds: float) -> dict[str, object]:
    agent_id, token = create_agent(run, "redis-crash")
    stop = threading.Event()
    acked: list[list[int]] = [[] for _ in range(senders)]
    start_ms = int(time.time() * 1000) - 60_000  # the past minute: within ingestion's window
    threads = [
        threading.Thread(target=_sender, args=(run, token, stop, start_ms + i, senders, acked[i]))
        for i in range(senders)
    ]
    for thread in threads:
        thread.start()
    time.sleep(seconds / 2)
    before_kill = sum(map(len, acked))
    os.kill(run.processes()["redis"]["pid"], signal.SIGKILL)
    time.sleep(seconds / 2)
    stop.set()
    for thread in threads:
        thread.join()
    acknowledged = {ts for part in acked for ts in part}
    seconds_until(lambda: acknowledged <= set(stored_timestamps(run, agent_id)), 240, interval=1)
    stored = set(stored_timestamps(run, agent_id))
    return {
        "appendfsync": "everysec",
        "acknowledged": len(acknowledged),
        "acknowledged_before_kill": before_kill,
        "stored": len(stored),
        "acknowledged_but_lost": len(acknowledged - stored),
        "stored_without_acknowledgement": len(stored - acknowledged),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-drill", action="store_true")
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        make_run(run_env(Path(tmp) / "data", **DRILL_ENV)) as run,
    ):
        run.wait_until_up()
        result: dict[str, object] = {}
        if not args.skip_drill:
            drill = run_drill(run, Path(tmp))
            result["restart_seconds"] = drill.restart_seconds
            result["agent"] = {
                "collected": drill.collected,
                "queued_at_stop": drill.queued_at_stop,
                "stored": drill.stored,
                "distinct_timestamps": drill.distinct_timestamps,
            }
        result["redis_crash"] = redis_crash(run, args.senders, args.seconds)
        run.stop()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
