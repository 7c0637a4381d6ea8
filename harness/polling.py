"""The one way tests and benchmarks wait for something: ask again until it holds.

A check answers with a value: anything truthy ends the wait and is returned; falsy, or an
AssertionError raised by the check, means "not yet". When `within` seconds are up, the wait
fails with an AssertionError naming `what` (and the check's last assertion, if it made one).
Any other exception from the check ends the wait at once (a process that died, say).

`eventually` is for async code and takes sync or async checks (a sync one must not block:
it runs on the event loop); `eventually_sync` is the same for threads and sync tests.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, overload

T = TypeVar("T")

WITHIN = 20.0  # seconds; generous, as the 2-core CI machine is shared
INTERVAL = 0.1


class _Deadline:
    def __init__(self, within: float, what: str) -> None:
        self.within, self.what = within, what
        self.end = time.monotonic() + within
        self.reason: AssertionError | None = None

    def passed(self) -> bool:
        return time.monotonic() >= self.end

    def fail(self) -> AssertionError:
        detail = f": {self.reason}" if self.reason is not None and str(self.reason) else ""
        return AssertionError(f"{self.what} did not happen within {self.within:g} s{detail}")


@overload
async def eventually(
    check: Callable[[], Awaitable[T | None]],
    *,
    within: float = ...,
    interval: float = ...,
    what: str = ...,
) -> T: ...


@overload
async def eventually(
    check: Callable[[], T | None], *, within: float = ..., interval: float = ..., what: str = ...
) -> T: ...


async def eventually(
    check: Callable[[], Any],
    *,
    within: float = WITHIN,
    interval: float = INTERVAL,
    what: str = "the condition",
) -> Any:
    """The check's first truthy answer, asked every `interval` s for up to `within` s."""
    deadline = _Deadline(within, what)
    while True:
        try:
            value = check()
            if inspect.isawaitable(value):
                value = await value
            if value:
                return value
        except AssertionError as not_yet:
            deadline.reason = not_yet
        if deadline.passed():
            raise deadline.fail() from deadline.reason
        await asyncio.sleep(interval)


def eventually_sync(
    check: Callable[[], T | None],
    *,
    within: float = WITHIN,
    interval: float = INTERVAL,
    what: str = "the condition",
) -> T:
    """`eventually` for sync code: blocks the calling thread between checks."""
    deadline = _Deadline(within, what)
    while True:
        try:
            if value := check():
                return value
        except AssertionError as not_yet:
            deadline.reason = not_yet
        if deadline.passed():
            raise deadline.fail() from deadline.reason
        time.sleep(interval)
