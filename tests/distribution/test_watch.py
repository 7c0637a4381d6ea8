"""Which open sockets an access change re-checks, including one still authenticating."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import msgspec

from core.access_events import AccessChange
from distribution_service.domain.watch import AccessWatch


@dataclass(eq=False)
class Socket:
    user_id: int
    org_id: int | None
    rechecks: int = 0

    async def recheck(self) -> None:
        self.rechecks += 1


def _change(user_id: int, org_id: int | None = None) -> str:
    return msgspec.json.encode(AccessChange(user_id, "removed", org_id)).decode()


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_change_rechecks_that_users_sockets_in_that_organization_only() -> None:
    watch = AccessWatch()
    mine, other_org, other_user = Socket(7, 1), Socket(7, 2), Socket(8, 1)
    for socket in (mine, other_org, other_user):
        watch.add(socket, time.monotonic())
    watch.on_change(_change(7, org_id=1))
    await _settle()
    assert (mine.rechecks, other_org.rechecks, other_user.rechecks) == (1, 0, 0)
    watch.on_change(_change(7))  # the account itself: every organization
    await _settle()
    assert (mine.rechecks, other_org.rechecks, other_user.rechecks) == (2, 1, 0)


async def test_a_socket_that_was_authenticating_when_the_change_came_is_rechecked() -> None:
    """It read the old state, and registered only after the change was announced."""
    watch = AccessWatch()
    authenticating_since = time.monotonic()
    watch.on_change(_change(7))
    late = Socket(7, 1)
    watch.add(late, authenticating_since)
    after = Socket(7, 1)
    watch.add(after, time.monotonic())  # authenticated after the change: saw the new state
    await _settle()
    assert (late.rechecks, after.rechecks) == (1, 0)


async def test_a_resubscribed_feed_rechecks_every_socket_and_garbage_rechecks_none() -> None:
    watch = AccessWatch()
    sockets = [Socket(user, 1) for user in (1, 2, 3)]
    for socket in sockets:
        watch.add(socket, time.monotonic())
    watch.on_change("not json")
    watch.on_change('{"user_id": "1; DROP", "reason": "logout"}')
    await _settle()
    assert [socket.rechecks for socket in sockets] == [0, 0, 0]
    watch.on_subscribed()
    await _settle()
    assert [socket.rechecks for socket in sockets] == [1, 1, 1]
    watch.remove(sockets[0])
    watch.on_subscribed()
    await _settle()
    assert [socket.rechecks for socket in sockets] == [1, 2, 2]
