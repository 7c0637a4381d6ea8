"""This process's open sockets by user, re-checked as soon as that user's access changes.

The auth service and the admin CLI publish an access change (core.access_events) after their
commit; every replica's hub hands it here, and each affected socket re-checks its token and
membership against the committed state and closes if access has ended. After the feed
(re)subscribes, every socket is re-checked, since a change may have been published meanwhile.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import Protocol

from core import access_events
from core.logging import get_logger
from core.tasks import stop_task

log = get_logger(__name__)

# A change is remembered this long, for sockets that were authenticating when it arrived
# (they read the old state, then registered too late to hear about it).
_REMEMBER_SECONDS = 600.0


class Watched(Protocol):
    @property
    def user_id(self) -> int: ...

    @property
    def org_id(self) -> int | None: ...

    async def recheck(self) -> None:
        """Closes the socket if its access has ended."""


class AccessWatch:
    def __init__(self, concurrency: int = 4) -> None:
        self._by_user: dict[int, set[Watched]] = {}
        self._changed_at: dict[int, float] = {}  # user id -> monotonic time of the last change
        self._limit = asyncio.Semaphore(concurrency)  # re-checks share the database pool
        self._tasks: set[asyncio.Task[None]] = set()

    def add(self, socket: Watched, authenticated_since: float) -> None:
        """Starts watching a socket whose authentication began at `authenticated_since`."""
        self._by_user.setdefault(socket.user_id, set()).add(socket)
        if self._changed_at.get(socket.user_id, -1.0) >= authenticated_since:
            self._recheck([socket])

    def remove(self, socket: Watched) -> None:
        sockets = self._by_user.get(socket.user_id)
        if sockets is not None:
            sockets.discard(socket)
            if not sockets:
                del self._by_user[socket.user_id]

    def on_change(self, data: str) -> None:
        change = access_events.decode(data)
        if change is None:
            return
        now = time.monotonic()
        self._forget_before(now - _REMEMBER_SECONDS)
        self._changed_at[change.user_id] = now
        affected = [
            socket
            for socket in self._by_user.get(change.user_id, ())
            if change.org_id is None or socket.org_id == change.org_id
        ]
        log.info(
            "access changed",
            user_id=change.user_id,
            org_id=change.org_id,
            reason=change.reason,
            sockets=len(affected),
        )
        self._recheck(affected)

    def on_subscribed(self) -> None:
        """The feed is (again) subscribed: changes published before may have been missed."""
        every = [socket for sockets in self._by_user.values() for socket in sockets]
        if every:
            log.info("access feed subscribed; re-checking every socket", sockets=len(every))
        self._recheck(every)

    async def stop(self) -> None:
        for task in list(self._tasks):
            await stop_task(task)

    def _recheck(self, sockets: Iterable[Watched]) -> None:
        for socket in sockets:
            task = asyncio.create_task(self._limited_recheck(socket))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _limited_recheck(self, socket: Watched) -> None:
        async with self._limit:
            try:
                await socket.recheck()
            except Exception:  # one socket's failure must not stop the others' re-checks
                log.exception("access re-check failed")

    def _forget_before(self, cutoff: float) -> None:
        for user_id, at in list(self._changed_at.items()):
            if at < cutoff:
                del self._changed_at[user_id]
