"""One WebSocket client from handshake to close: who it is, what it watches, how long it stays.

Every refusal happens after the handshake, as a close code with a reason (4401, 4403, 4404;
see domain/protocol.py), because a browser cannot read the HTTP status of a refused handshake.
An open connection keeps being checked: when its user's access changes (domain/watch.py) and
every WS_ACCESS_RECHECK_SECONDS; it closes as soon as its login or membership has ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Protocol

from fastapi import WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketDisconnected

from core.deps import Principal
from core.errors import STORES_UNAVAILABLE, Unauthorized
from core.live import latest_key
from core.logging import get_logger
from core.security.origins import origin_allowed
from core.state import AppState
from distribution_service.deps import LiveState
from distribution_service.domain import protocol
from distribution_service.domain.access import agent_visible, authenticate
from distribution_service.domain.metrics import CLIENTS, FRAMES_SENT, SERVER_CLOSES, SUBSCRIPTIONS
from distribution_service.domain.outbox import Outbox
from distribution_service.domain.protocol import ClientMessage, ProtocolError

log = get_logger(__name__)

_DISCONNECTED = (WebSocketDisconnect, WebSocketDisconnected, OSError)
_MAX_REASON_BYTES = 123  # the WebSocket protocol's limit for a close reason
# A new subscription re-checks access first when the last check is older than this, so one
# made just after a change is refused even before the change is announced.
_SUBSCRIBE_RECHECK_SECONDS = 1.0


class Topics(Protocol):
    """A topic's registry (domain/org_topic.py, domain/monitors_topic.py): who watches which
    organization's topic on this process."""

    async def join(self, org_id: int, outbox: Outbox, answer: str) -> None:
        """Queues `answer`, then the topic's frames."""

    async def leave(self, org_id: int, outbox: Outbox) -> None: ...


class Refused(Exception):
    def __init__(self, code: int, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class LiveConnection:
    def __init__(self, websocket: WebSocket, core: AppState, state: LiveState) -> None:
        self.ws = websocket
        self.core = core
        self.live = state.config
        self.hub = state.hub
        self.watch = state.watch
        self.topics: dict[str, Topics] = {
            protocol.ORG_TOPIC: state.topics,
            protocol.MONITORS_TOPIC: state.monitors,
        }
        self.outbox = Outbox(
            self.live.client_queue_frames, self.live.client_buffer_bytes, self._too_slow
        )
        self.principal: Principal | None = None
        self._token = ""
        self._authenticated_since = 0.0
        self._checked_at = 0.0
        self._ending: tuple[int, str] | None = None
        self._ended = asyncio.Event()
        self.subscriptions: set[int] = set()
        self._watching: set[str] = set()  # the topics of its organization this socket watches
        self._visible: set[int] = set()
        self._handlers: dict[str, Callable[[ClientMessage], Awaitable[None]]] = {
            "subscribe": self._on_subscribe,
            "unsubscribe": self._on_unsubscribe,
            "ping": self._on_ping,
            "auth": self._on_auth,
        }

    async def open(self) -> bool:
        """Accepts the handshake and authenticates; False (and closed) when refused."""
        await self.ws.accept()
        headers = self.ws.headers
        settings = self.core.settings
        if not origin_allowed(headers.get("origin"), headers.get("host"), settings.cors_origins):
            await self.close(protocol.CLOSE_FORBIDDEN, "origin not allowed")
            return False
        token = self.ws.query_params.get("token") or await self._token_from_first_message()
        if not token:
            await self.close(protocol.CLOSE_UNAUTHORIZED, protocol.NOT_AUTHENTICATED)
            return False
        self._token, self._authenticated_since = token, time.monotonic()
        try:
            self.principal = await self._authenticate()
        except Unauthorized as exc:
            await self.close(protocol.CLOSE_UNAUTHORIZED, exc.detail)
            return False
        except STORES_UNAVAILABLE as exc:
            log.warning("cannot check an access token", error=repr(exc))
            await self.close(protocol.CLOSE_UNAVAILABLE, "live view unavailable; try again")
            return False
        return True

    @property
    def user_id(self) -> int:
        assert self.principal is not None  # noqa: S101 - open() succeeded
        return self.principal.user.id

    @property
    def org_id(self) -> int | None:
        assert self.principal is not None  # noqa: S101 - open() succeeded
        return self.principal.org_id

    async def recheck(self) -> None:
        """Ends the connection if its login or its membership has ended since it opened."""
        assert self.principal is not None  # noqa: S101 - open() succeeded
        try:
            now = await self._authenticate()
        except Unauthorized as exc:  # logged out, password changed, deactivated
            self.end(protocol.CLOSE_UNAUTHORIZED, exc.detail)
            return
        except STORES_UNAVAILABLE as exc:  # the next periodic re-check tries again
            log.warning("cannot re-check an access token", error=repr(exc))
            return
        if now.org_id is None and self.principal.org_id is not None:
            self.end(protocol.CLOSE_FORBIDDEN, protocol.NO_LONGER_A_MEMBER)
        elif (now.org_id, now.role) != (self.principal.org_id, self.principal.role):
            # Every role may watch, but a connection only ever runs as the role it opened with.
            self.end(protocol.CLOSE_RECONNECT, protocol.ROLE_CHANGED)

    def end(self, code: int, reason: str) -> None:
        """Asks the connection to close with this code (the first reason given wins)."""
        if self._ending is None:
            self._ending = (code, reason)
            self._ended.set()

    async def run(self, agent_id: int | None = None) -> None:
        """Streams to the client until it leaves or its time is up; starts with `agent_id`."""
        assert self.principal is not None  # noqa: S101 - open() succeeded
        CLIENTS.inc()
        started = time.monotonic()
        log.info("client connected", user_id=self.principal.user.id, org_id=self.principal.org_id)
        self.watch.add(self, self._authenticated_since)
        try:
            if agent_id is not None:
                await self.subscribe(agent_id, answer=False)
            await self._serve()
        except Refused as refused:
            await self.close(refused.code, refused.detail)
        finally:
            self.watch.remove(self)
            CLIENTS.dec()
            for subscribed in list(self.subscriptions):
                await self.unsubscribe(subscribed)
            for topic in list(self._watching):
                await self.unsubscribe_topic(topic)
            log.info("client disconnected", seconds=round(time.monotonic() - started, 1))

    async def subscribe(self, agent_id: int, *, answer: bool) -> None:
        """Starts the agent's frames with the latest snapshot; raises Refused."""
        if agent_id not in self.subscriptions:
            if time.monotonic() - self._checked_at > _SUBSCRIBE_RECHECK_SECONDS:
                await self.recheck()
            if self._ending is not None:
                return  # closing: no new subscription
            await self._check_visible(agent_id)
            if len(self.subscriptions) >= self.live.max_subscriptions_per_connection:
                raise Refused(protocol.CLOSE_FORBIDDEN, "too many subscriptions on one connection")
            self.subscriptions.add(agent_id)
            SUBSCRIPTIONS.inc()
            self.outbox.hold(agent_id)
            await self.hub.subscribe(agent_id, self.outbox)
            snapshot = await self._snapshot(agent_id)
            answered = protocol.subscribed(agent_id) if answer else None
            self.outbox.release(agent_id, answered, snapshot)
        elif answer:
            self.outbox.push(None, protocol.subscribed(agent_id))

    async def unsubscribe(self, agent_id: int) -> None:
        if agent_id in self.subscriptions:
            self.subscriptions.discard(agent_id)
            SUBSCRIPTIONS.dec()
            await self.hub.unsubscribe(agent_id, self.outbox)
            self.outbox.purge(agent_id)

    async def subscribe_topic(self, topic: str) -> None:
        """Starts (or, when already watched, answers again; the org topic with a fresh
        snapshot) a topic of the token's organization; raises Refused."""
        if time.monotonic() - self._checked_at > _SUBSCRIBE_RECHECK_SECONDS:
            await self.recheck()
        if self._ending is not None:
            return  # closing: no new subscription
        org_id = self.org_id
        if org_id is None:
            raise Refused(protocol.CLOSE_FORBIDDEN, protocol.NO_ORGANIZATION)
        self._watching.add(topic)  # before the await: a close meanwhile still leaves it
        await self.topics[topic].join(org_id, self.outbox, protocol.subscribed_topic(topic, org_id))

    async def unsubscribe_topic(self, topic: str) -> None:
        org_id = self.org_id
        if topic in self._watching and org_id is not None:
            self._watching.discard(topic)
            await self.topics[topic].leave(org_id, self.outbox)

    async def close(self, code: int, reason: str) -> None:
        reason = reason.encode()[:_MAX_REASON_BYTES].decode(errors="ignore")
        with contextlib.suppress(*_DISCONNECTED, TimeoutError):
            await asyncio.wait_for(self.ws.close(code, reason), self.live.send_timeout_seconds)

    async def _check_visible(self, agent_id: int) -> None:
        if agent_id in self._visible:
            return
        assert self.principal is not None  # noqa: S101 - open() succeeded
        try:
            visible = await agent_visible(self.core.sessionmaker, self.principal.org_id, agent_id)
        except STORES_UNAVAILABLE as exc:
            log.warning("cannot look up an agent", error=repr(exc))
            raise Refused(protocol.CLOSE_UNAVAILABLE, "live view unavailable; try again") from None
        if not visible:
            raise Refused(protocol.CLOSE_NOT_FOUND, protocol.AGENT_NOT_FOUND)
        self._visible.add(agent_id)

    async def _snapshot(self, agent_id: int) -> str | None:
        assert self.principal is not None and self.principal.org_id is not None  # noqa: S101
        try:
            frame = await self.core.redis.hget(latest_key(self.principal.org_id), str(agent_id))
        except STORES_UNAVAILABLE as exc:  # the live frames still come once Redis is back
            log.warning("cannot read the latest report", error=repr(exc))
            return None
        return frame.decode() if isinstance(frame, bytes) else frame

    async def _authenticate(self) -> Principal:
        principal = await authenticate(
            self.core.settings, self.core.sessionmaker, self.core.redis, self._token
        )
        self._checked_at = time.monotonic()
        return principal

    def _too_slow(self, pending_bytes: int) -> None:
        limit = self.live.client_buffer_bytes
        log.warning(
            "client too slow; disconnecting",
            user_id=self.user_id,
            pending_bytes=pending_bytes,
            limit_bytes=limit,
        )
        self.end(protocol.CLOSE_TOO_SLOW, f"too slow: over {limit} bytes waiting; reconnect")

    async def _token_from_first_message(self) -> str | None:
        try:
            message = await asyncio.wait_for(self.ws.receive(), self.live.auth_timeout_seconds)
            first = protocol.decode_client_message(message.get("text"))
        except (TimeoutError, ProtocolError):
            return None
        return first.token if first.type == "auth" else None

    def _lifetime(self) -> float:
        """Seconds until the connection is closed: its cap, or the token's expiry if sooner."""
        assert self.principal is not None  # noqa: S101 - open() succeeded
        token_left = (self.principal.claims.exp - datetime.now(UTC)).total_seconds()
        return max(0.0, min(self.live.max_connection_seconds, token_left))

    async def _serve(self) -> None:
        tasks = {
            asyncio.create_task(self._send_loop()),
            asyncio.create_task(self._receive_loop()),
            asyncio.create_task(self._recheck_loop()),
            asyncio.create_task(self._ended.wait()),
        }
        done, _ = await asyncio.wait(
            tasks, timeout=self._lifetime(), return_when=asyncio.FIRST_COMPLETED
        )
        for task in tasks:
            task.cancel()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        for result in results:
            if isinstance(result, Exception) and not isinstance(result, _DISCONNECTED):
                log.error("live connection failed", exc_info=result)
        if self._ending is not None:
            code, reason = self._ending
            SERVER_CLOSES.labels(code=str(code)).inc()
            log.info("closing a client", user_id=self.user_id, code=code, reason=reason)
            await self.close(code, reason)
        elif not done:
            await self._send_quietly(protocol.RECONNECT)
            await self.close(protocol.CLOSE_RECONNECT, "connection lifetime reached; reconnect")

    async def _recheck_loop(self) -> None:
        """The backstop for an access change this replica did not hear about."""
        while True:
            jitter = random.uniform(0.9, 1.1)  # noqa: S311 - spreads the re-checks, not a secret
            await asyncio.sleep(self.live.access_recheck_seconds * jitter)
            await self.recheck()

    async def _send_loop(self) -> None:
        while True:
            text = await self.outbox.get()
            await self.ws.send_text(text)
            FRAMES_SENT.inc()

    async def _send_quietly(self, text: str) -> None:
        with contextlib.suppress(*_DISCONNECTED, TimeoutError):
            await asyncio.wait_for(self.ws.send_text(text), self.live.send_timeout_seconds)

    async def _receive_loop(self) -> None:
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            try:
                parsed = protocol.decode_client_message(message.get("text"))
            except ProtocolError as exc:
                self.outbox.push(None, protocol.error(str(exc)))
                continue
            handler = self._handlers.get(parsed.type)
            if handler is None:
                self.outbox.push(None, protocol.error(f"unknown message type {parsed.type!r}"))
            else:
                await handler(parsed)

    async def _on_subscribe(self, message: ClientMessage) -> None:
        if self._target_problem(message):
            return
        try:
            if message.topic is not None:
                await self.subscribe_topic(message.topic)
            elif message.agent_id is not None:
                await self.subscribe(message.agent_id, answer=True)
        except Refused as refused:
            self.outbox.push(None, protocol.error(refused.detail, message.agent_id, message.topic))

    async def _on_unsubscribe(self, message: ClientMessage) -> None:
        if self._target_problem(message):
            return
        if message.topic is not None:
            await self.unsubscribe_topic(message.topic)
            self.outbox.push(None, protocol.unsubscribed_topic(message.topic))
        elif message.agent_id is not None:
            await self.unsubscribe(message.agent_id)
            self.outbox.push(None, protocol.unsubscribed(message.agent_id))

    def _target_problem(self, message: ClientMessage) -> bool:
        """Answers a (un)subscribe that names no target, two, or an unknown topic; True then."""
        problem, known = None, protocol.KNOWN_TOPICS
        if (message.agent_id is None) == (message.topic is None):
            problem = f'{message.type} needs either an agent_id or a "topic": {known}'
        elif message.topic not in (None, *protocol.TOPICS):
            problem = f"unknown topic {message.topic[:40]!r}; there are {known}"
        if problem is not None:
            self.outbox.push(None, protocol.error(problem))
        return problem is not None

    async def _on_ping(self, _: ClientMessage) -> None:
        self.outbox.push(None, protocol.PONG)

    async def _on_auth(self, _: ClientMessage) -> None:
        """Already authenticated (a client may send its token both ways): nothing to do."""
