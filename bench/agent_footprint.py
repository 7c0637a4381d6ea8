"""Agent footprint: the real agent process at a 5 s interval, RSS and CPU sampled with psutil.

Targets (issue 4): RSS <= 40 MB, CPU <= 1 % of one core. The agent posts to a local sink that
answers 200, so the numbers include collection, JSON, gzip and HTTP. CPU is measured after a
warm-up (imports and the first collection are a one-off cost, reported separately).

    .venv/bin/python -m bench.agent_footprint [--duration 60] [--interval 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import psutil

from harness.agent import AgentProcess, agent_env
from harness.agent_recorder import RecordingServer

WARM_UP_S = 3.0
SINK_TOKEN = "sm_bench"  # noqa: S105 - the sink accepts anything


def measure(duration: float, interval: float) -> dict[str, float | int]:
    with RecordingServer().running() as sink, tempfile.TemporaryDirectory() as tmp:
        env = agent_env(
            Path(tmp),
            INGESTION_URL=sink.url,
            AGENT_TOKEN=SINK_TOKEN,
            COLLECTION_INTERVAL=str(interval),
        )
        agent = AgentProcess(env, Path(tmp) / "agent.log")
        process = psutil.Process(agent.process.pid)
        try:
            time.sleep(WARM_UP_S)
            start_cpu, start = _cpu_seconds(process), time.monotonic()
            rss = _sample_rss(process, duration)
            cpu = _cpu_seconds(process) - start_cpu
            elapsed = time.monotonic() - start
            uss = process.memory_full_info().uss / 2**20  # its own pages, shared libraries aside
        finally:
            agent.terminate()
        return {
            "interval_s": interval,
            "duration_s": round(elapsed, 1),
            "rss_mb_max": round(max(rss), 1),
            "rss_mb_avg": round(statistics.fmean(rss), 1),
            "uss_mb_end": round(uss, 1),
            "cpu_percent_of_one_core": round(cpu / elapsed * 100, 3),
            "startup_cpu_s": round(start_cpu, 3),
            "reports_sent": len(sink.accepted_reports()),
        }


def _sample_rss(process: psutil.Process, duration: float) -> list[float]:
    samples = []
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        samples.append(process.memory_info().rss / 2**20)
        time.sleep(0.5)
    return samples


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--interval", type=float, default=5.0)
    args = parser.parse_args()
    print(json.dumps(measure(args.duration, args.interval)))


if __name__ == "__main__":
    main()
