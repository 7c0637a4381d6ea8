"""The workers' shared lifecycle (core.worker_factory): metrics, graceful stop, resources."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import httpx

from alert_service.config import AlertSettings
from core.dev.datastores import free_port
from core.settings import Settings
from core.worker_factory import WorkerContext, serve
from tests.harness.live import module_process


async def _metrics(port: int, within: float = 60) -> str:
    """The worker's metrics page, once it serves one with the consumers' series on it."""
    deadline = time.monotonic() + within
    async with httpx.AsyncClient() as client:
        while True:
            try:
                page = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
                if all(f'group="{group}"' in page for group in ("alerts", "delivery")):
                    return page
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the worker never served its metrics"
            await asyncio.sleep(0.2)


async def test_alert_worker_serves_its_metrics_and_stops_cleanly_on_sigterm(
    settings: Settings, log_dir: Path
) -> None:
    port = free_port()
    env = {"ALERT_METRICS_PORT": str(port)}
    with module_process("alert_service.worker", settings, log_dir, extra_env=env) as worker:
        page = await _metrics(port)
        processed = "statusmonitor_stream_entries_processed_total"
        assert f'{processed}{{group="alerts",stream="reports"}}' in page
        assert f'{processed}{{group="delivery",stream="notifications"}}' in page
        worker.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(worker.wait, 30) == 0  # a clean stop, not killed
    log = (log_dir / "alert_service.worker.log").read_text()
    assert "stream consumer stopped" in log and "worker stopped" in log


async def test_a_stop_asked_for_during_start_up_still_stops_the_worker(
    settings: Settings,
) -> None:
    """SIGTERM may come while a worker still loads its state, before it registered what to
    stop: that stop must not be lost (the worker would run on until killed)."""
    stop = asyncio.Event()
    stopped: list[str] = []

    async def worker(context: WorkerContext[AlertSettings]) -> None:
        stop.set()  # as a signal would, while the worker is still starting
        await asyncio.wait_for(context.stopping.wait(), 10)
        # Registered late, as a consumer made after a slow start would be.
        context.on_stop(lambda: stopped.append("consumer"))
        await context.every(0.05, _nothing)  # returns once the worker stops

    await asyncio.wait_for(serve(worker, settings, AlertSettings(), stop=stop), 30)
    assert stopped == ["consumer"]


async def _nothing() -> None:
    return None
