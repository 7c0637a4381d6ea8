"""Fan-out from Redis pub/sub to local clients: one pub/sub connection per process.

A channel is subscribed in Redis when the first local client wants that agent and
unsubscribed when the last one leaves; one reader task hands every message to the outboxes
of the local subscribers. Replicas each do the same independently, sharing nothing but Redis.
When the connection breaks (Redis restarted) the reader reconnects and resubscribes.

Besides the agents' channels it hands channels to listeners: fixed ones (`listen`), such as
the access changes the auth service publishes, and ones taken and given back while the hub runs
(`add_listener`, `remove_listener`), such as an organization's channel while someone watches
its topic. A listener also hears each time Redis confirms its channel is subscribed (again),
because messages published while the feed was down are lost.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from redis.asyncio.client import PubSub
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from core.backoff import Backoff
from core.live import agent_channel
from core.logging import get_logger
from core.redis import create_fail_fast_redis
from core.tasks import stop_task
from distribution_service.domain.metrics import CHANNELS
from distribution_service.domain.outbox import Outbox

log = get_logger(__name__)

# An idle connection is pinged this often; two silent periods in a row mean it is dead.
HEARTBEAT_SECONDS = 15.0


class Hub:
    def __init__(self, redis_url: str, *, confirm_timeout: float = 5.0) -> None:
        self._redis = create_fail_fast_redis(redis_url)
        self._confirm_timeout = confirm_timeout
        self._outboxes: dict[int, set[Outbox]] = {}
        self._confirmed: dict[int, asyncio.Event] = {}
        self._agents_by_channel: dict[str, int] = {}
        self._pubsub: PubSub | None = None
        self._task: asyncio.Task[None] | None = None
        self._listeners: dict[str, tuple[Callable[[str], None], Callable[[], None]]] = {}

    def listen(
        self, channel: str, on_message: Callable[[str], None], on_subscribed: Callable[[], None]
    ) -> None:
        """Hands every message of `channel` to `on_message` as long as the hub runs; calls
        `on_subscribed` whenever Redis confirms the subscription, after a reconnect too."""
        self._listeners[channel] = (on_message, on_subscribed)

    async def add_listener(
        self, channel: str, on_message: Callable[[str], None], on_subscribed: Callable[[], None]
    ) -> None:
        """`listen`, while the hub runs: subscribes the channel now (or when Redis is back)."""
        self._listeners[channel] = (on_message, on_subscribed)
        await self._command("subscribe", channel)

    async def remove_listener(self, channel: str) -> None:
        if self._listeners.pop(channel, None) is not None:
            await self._command("unsubscribe", channel)

    @property
    def connected(self) -> bool:
        return self._pubsub is not None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="live-hub-reader")

    async def stop(self) -> None:
        if self._task is not None:
            await stop_task(self._task)
        await self._disconnect()
        await self._redis.aclose()

    async def subscribe(self, agent_id: int, outbox: Outbox) -> bool:
        """Adds a local subscriber; True once Redis confirmed the channel is subscribed."""
        outboxes = self._outboxes.get(agent_id)
        first = outboxes is None
        if outboxes is None:
            outboxes = self._outboxes[agent_id] = set()
            self._confirmed[agent_id] = asyncio.Event()
            self._agents_by_channel[agent_channel(agent_id)] = agent_id
            CHANNELS.inc()
        outboxes.add(outbox)
        confirmed = self._confirmed[agent_id]
        if first:
            await self._command("subscribe", agent_channel(agent_id))
        try:
            await asyncio.wait_for(confirmed.wait(), self._confirm_timeout)
        except TimeoutError:
            # Redis is away; the reader subscribes the channel as soon as it is back.
            return False
        return True

    async def unsubscribe(self, agent_id: int, outbox: Outbox) -> None:
        outboxes = self._outboxes.get(agent_id)
        if outboxes is None or outbox not in outboxes:
            return
        outboxes.discard(outbox)
        if outboxes:
            return
        del self._outboxes[agent_id], self._confirmed[agent_id]
        del self._agents_by_channel[agent_channel(agent_id)]
        CHANNELS.dec()
        await self._command("unsubscribe", agent_channel(agent_id))

    async def _command(self, command: str, channel: str) -> None:
        pubsub = self._pubsub
        if pubsub is None:
            return  # disconnected: the reader subscribes whatever is wanted when it reconnects
        try:
            if command == "subscribe":
                await pubsub.subscribe(channel)
            else:
                await pubsub.unsubscribe(channel)
        except (RedisError, OSError) as exc:
            # The reader sees the same broken connection, reconnects and resubscribes.
            log.warning("live feed command failed", command=command, error=repr(exc))

    async def _run(self) -> None:
        backoff = Backoff(base=0.1, cap=5.0)
        while True:
            try:
                await self._connect()
                backoff.reset()
                await self._read()
            except (RedisError, OSError) as exc:
                log.warning("live feed lost Redis; reconnecting", error=repr(exc))
            except Exception:  # a bug must not end the live view for every client
                log.exception("live feed reader failed; reconnecting")
            await self._disconnect()
            await asyncio.sleep(backoff.next_delay())

    async def _connect(self) -> None:
        pubsub = self._redis.pubsub()
        try:
            await pubsub.ping()  # connects, so the reader can wait even before any SUBSCRIBE
        except BaseException:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]
            raise
        # No await between publishing the connection and listing the wanted channels, so a
        # client subscribing meanwhile is either in the list or sends its own SUBSCRIBE.
        self._pubsub = pubsub
        channels = list(self._agents_by_channel)
        wanted = [*channels, *self._listeners]
        if wanted:
            await pubsub.subscribe(*wanted)
        log.info("live feed connected to Redis", channels=len(channels))

    async def _disconnect(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        for event in self._confirmed.values():
            event.clear()
        if pubsub is not None:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def _read(self) -> None:
        assert self._pubsub is not None  # noqa: S101 - set by _connect just before
        pubsub = self._pubsub
        silent = 0
        while True:
            message = await pubsub.get_message(timeout=HEARTBEAT_SECONDS)
            if message is not None:
                silent = 0
                self._handle(message)
                # Reading buffered messages never suspends: yield, so the clients' senders
                # drain their queues between messages instead of after a whole burst.
                await asyncio.sleep(0)
                continue
            silent += 1
            if silent > 1:
                raise RedisConnectionError("no answer to the live feed's pings")
            await pubsub.ping()

    def _handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        channel = message.get("channel") or ""
        listener = self._listeners.get(channel)
        if listener is not None:
            on_message, on_subscribed = listener
            if kind == "message":
                on_message(message["data"])
            elif kind == "subscribe":
                on_subscribed()
            return
        agent_id = self._agents_by_channel.get(channel)
        if agent_id is None:
            return  # a pong, or a channel given up since
        if kind == "message":
            for outbox in self._outboxes.get(agent_id, ()):
                outbox.deliver(agent_id, message["data"])
        elif kind == "subscribe":
            self._confirmed[agent_id].set()
