"""Fan-out under stress: slow clients, several replicas, a Redis restart, capped lifetimes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path

import httpx
import psutil
import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError
from websockets.asyncio.client import ClientConnection

from core.settings import Settings
from harness.datastores import Datastores
from harness.factories import user_with_agent
from harness.live import LiveService, live_service
from harness.polling import eventually
from tests.distribution.helpers import (
    StuckClient,
    close_of,
    connect,
    metric_value,
    publish,
    receive,
    receive_cpu_values,
    report,
    store_latest,
    until_metric,
    ws_url,
)

pytestmark = pytest.mark.e2e

FRAMES = 2000
BATCH = 50
MB = 1 << 20


async def _publish_in_step_with(
    fast: ClientConnection,
    redis: Redis,
    org_id: int,
    agent_id: int,
    *,
    frames: int = FRAMES,
    batch_size: int = BATCH,
    samples: int = 100,
    after_batch: Callable[[], object] = lambda: None,
) -> list[float]:
    """Publishes `frames` frames in batches, each once the fast client has the previous one.

    The pace is the fast client's: if the stuck client held up the fan-out, the fast one
    would stop receiving altogether.
    """
    received: list[float] = []
    for start in range(0, frames, batch_size):
        batch = range(start, min(start + batch_size, frames))
        for seq in batch:
            await publish(redis, report(org_id, agent_id, seq, samples=samples))
        received += await receive_cpu_values(fast, len(batch))
        after_batch()
    return received


async def test_a_client_that_never_reads_does_not_hold_back_the_others(
    service: LiveService, auth: httpx.AsyncClient, redis: Redis
) -> None:
    agent = await user_with_agent(auth, "lea@example.com")
    await store_latest(redis, report(agent.org_id, agent.id, -1))
    dropped_before = metric_value(service, "statusmonitor_ws_frames_dropped_total")
    stuck = StuckClient(service, f"/ws/{agent.id}?token={agent.owner.access_token}")
    try:
        async with connect(ws_url(service, f"/ws/{agent.id}", agent.owner.access_token)) as fast:
            assert (await receive(fast))["metrics"]["cpu_percent"] == -1
            await until_metric(service, "statusmonitor_ws_subscriptions", 2)  # both watching
            received = await _publish_in_step_with(fast, redis, agent.org_id, agent.id)
            assert received == [float(seq) for seq in range(FRAMES)]
            # The stuck client is still connected; its queue stayed bounded by dropping.
            assert metric_value(service, "statusmonitor_ws_clients") == 2
            dropped = metric_value(service, "statusmonitor_ws_frames_dropped_total")
            assert dropped - dropped_before > 0
    finally:
        stuck.close()


async def test_a_client_that_never_reads_is_cut_off_at_its_byte_limit_and_memory_stays_flat(
    settings: Settings, auth: httpx.AsyncClient, redis: Redis, log_dir: Path
) -> None:
    """The attack: subscribe, never read, let large frames pile up in the server (57 MB)."""
    agent = await user_with_agent(auth, "liv@example.com")
    await store_latest(redis, report(agent.org_id, agent.id, -1))
    # ~400 KB a frame, 80 MB in all.
    publish_big = partial(_publish_in_step_with, frames=200, batch_size=5, samples=10_000)
    # A long send timeout, so the close frame still waits for the stuck client to read.
    limits = {"WS_CLIENT_BUFFER_BYTES": str(MB), "WS_SEND_TIMEOUT_SECONDS": "60"}
    with live_service("distribution_service", settings, log_dir, extra_env=limits) as live:
        server = psutil.Process(live.process.pid)
        async with connect(ws_url(live, f"/ws/{agent.id}", agent.owner.access_token)) as fast:
            await receive(fast)
            # The same load once without the stuck client: what serving it costs anyway.
            await publish_big(fast, redis, agent.org_id, agent.id)
            baseline = peak = server.memory_info().rss

            def measure() -> None:
                nonlocal peak
                peak = max(peak, server.memory_info().rss)

            stuck = StuckClient(live, f"/ws/{agent.id}?token={agent.owner.access_token}")
            try:
                await until_metric(live, "statusmonitor_ws_subscriptions", 2)
                received = await publish_big(
                    fast, redis, agent.org_id, agent.id, after_batch=measure
                )
                assert received == [float(seq) for seq in range(200)]
                await until_metric(live, "statusmonitor_ws_server_closes_total", 1, code="4408")
                close = await stuck.close_frame()
                await until_metric(live, "statusmonitor_ws_clients", 1)
            finally:
                stuck.close()
        assert close is not None and close.code == 4408, close
        assert close.reason == f"too slow: over {MB} bytes waiting; reconnect"
        assert "client too slow; disconnecting" in live.logs()
        # Without the bound the stuck client's queue alone held 100 frames, about 40 MB.
        assert peak - baseline < 12 * MB, f"grew by {(peak - baseline) / MB:.1f} MB"


async def test_replicas_side_by_side_each_deliver_with_one_redis_subscription_per_process(
    settings: Settings, auth: httpx.AsyncClient, redis: Redis, log_dir: Path
) -> None:
    agent = await user_with_agent(auth, "max@example.com")
    await store_latest(redis, report(agent.org_id, agent.id, -1))
    with (
        live_service("distribution_service", settings, log_dir) as one,
        live_service("distribution_service", settings, log_dir) as two,
    ):
        async with (
            connect(ws_url(one, f"/ws/{agent.id}", agent.owner.access_token)) as a,
            connect(ws_url(one, f"/ws/{agent.id}", agent.owner.access_token)) as b,
            connect(ws_url(two, f"/ws/{agent.id}", agent.owner.access_token)) as c,
        ):
            for ws in (a, b, c):
                await receive(ws)  # the snapshot: subscribed
            receivers = [
                await publish(redis, report(agent.org_id, agent.id, seq)) for seq in range(50)
            ]
            assert set(receivers) == {2}  # one subscription per process, not per client
            for ws in (a, b, c):
                assert await receive_cpu_values(ws, 50) == [float(seq) for seq in range(50)]
            assert metric_value(one, "statusmonitor_ws_clients") == 2
            assert metric_value(one, "statusmonitor_ws_subscriptions") == 2
            assert metric_value(one, "statusmonitor_ws_redis_channels") == 1
            assert metric_value(two, "statusmonitor_ws_clients") == 1


async def test_clients_keep_receiving_after_redis_restarts(
    datastores: Datastores, settings: Settings, auth: httpx.AsyncClient, log_dir: Path
) -> None:
    agent = await user_with_agent(auth, "ned@example.com")
    with live_service("distribution_service", settings, log_dir) as live:
        redis = Redis.from_url(settings.redis_url, decode_responses=True)
        try:
            await store_latest(redis, report(agent.org_id, agent.id, -1))
            async with connect(ws_url(live, f"/ws/{agent.id}", agent.owner.access_token)) as ws:
                await receive(ws)
                datastores.redis.stop()
                try:
                    await asyncio.sleep(1)
                finally:
                    datastores.redis.start()
                await _wait_until_resubscribed(redis, agent.org_id, agent.id)
                assert (await receive(ws))["metrics"]["cpu_percent"] == -2
                for seq in range(20):
                    await publish(redis, report(agent.org_id, agent.id, seq))
                assert await receive_cpu_values(ws, 20) == [float(seq) for seq in range(20)]
            assert await _becomes_ready(live)
        finally:
            await redis.aclose()


async def _becomes_ready(live: LiveService) -> bool:
    """/ready answers 200 again (a pooled connection may fail once after the restart)."""
    async with httpx.AsyncClient(base_url=live.url, timeout=5) as http:

        async def ready() -> httpx.Response | None:
            answer = await http.get("/ready")
            return answer if answer.status_code == 200 else None

        answer = await eventually(ready, within=10, what="/ready answering 200")
    return bool(answer.json()["checks"]["live_feed"] == "ok")


async def _wait_until_resubscribed(redis: Redis, org_id: int, agent_id: int) -> None:
    """Publishes a marker (cpu -2) until a subscriber receives it."""

    async def received() -> int:
        try:
            return await publish(redis, report(org_id, agent_id, -2))
        except (RedisError, OSError):
            return 0

    await eventually(received, within=30, what="the service resubscribing after Redis came back")


async def test_connections_are_capped_in_time_and_must_authenticate_promptly(
    settings: Settings, auth: httpx.AsyncClient, redis: Redis, log_dir: Path
) -> None:
    agent = await user_with_agent(auth, "ola@example.com")
    await store_latest(redis, report(agent.org_id, agent.id, 1))
    limits = {"WS_MAX_CONNECTION_SECONDS": "1", "WS_AUTH_TIMEOUT_SECONDS": "0.5"}
    with live_service("distribution_service", settings, log_dir, extra_env=limits) as live:
        async with connect(ws_url(live, f"/ws/{agent.id}", agent.owner.access_token)) as ws:
            assert (await receive(ws))["target_id"] == agent.id
            assert await receive(ws) == {"type": "reconnect"}
            assert await close_of(ws) == (4000, "connection lifetime reached; reconnect")
        async with connect(ws_url(live, f"/ws/{agent.id}")) as silent:
            code, reason = await close_of(silent)
        assert code == 4401 and "not authenticated" in reason
