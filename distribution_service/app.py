"""distribution_service factory: `uvicorn --factory distribution_service.app:create_app`."""

from __future__ import annotations

from contextlib import AsyncExitStack

from fastapi import FastAPI, Request

from core.access_events import ACCESS_CHANNEL
from core.app_factory import DEFAULT_CHECKS, create_service_app
from core.settings import Settings
from core.state import AppState, service_state
from distribution_service.config import LiveSettings
from distribution_service.deps import LiveState
from distribution_service.domain.hub import Hub
from distribution_service.domain.latest import LatestHosts
from distribution_service.domain.monitors_topic import MonitorsTopics
from distribution_service.domain.org_topic import OrgTopics
from distribution_service.domain.watch import AccessWatch
from distribution_service.routes import ws


def create_app(settings: Settings | None = None, config: LiveSettings | None = None) -> FastAPI:
    config = config or LiveSettings()

    async def start(core: AppState, stack: AsyncExitStack) -> LiveState:
        hub = Hub(core.settings.redis_url)
        watch = AccessWatch()
        hub.listen(ACCESS_CHANNEL, watch.on_change, watch.on_subscribed)
        await hub.start()
        stack.push_async_callback(hub.stop)
        stack.push_async_callback(watch.stop)
        topics = OrgTopics(
            hub,
            LatestHosts(core.redis, core.sessionmaker),
            period=config.org_frame_seconds,
            max_missed=core.settings.offline_after_missed_intervals,
        )
        stack.push_async_callback(topics.stop)
        return LiveState(config, hub, watch, topics, MonitorsTopics(hub))

    return create_service_app(
        "distribution_service",
        settings or Settings(),
        [ws.router],
        title="StatusMonitor live view (WebSocket)",
        checks={**DEFAULT_CHECKS, "live_feed": _check_live_feed},
        start=start,
    )


async def _check_live_feed(request: Request) -> None:
    if not service_state(request.app, LiveState).hub.connected:
        raise ConnectionError("the live feed is not subscribed to Redis")
