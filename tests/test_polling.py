"""The harness's one way to wait: it must really wait, and really fail, or every test that
waits through it could pass without having seen what it waited for."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest

from harness.polling import eventually, eventually_sync


async def test_waits_for_the_first_truthy_answer_of_a_sync_or_async_check() -> None:
    answers: Iterator[object] = itertools.chain([0, None, []], itertools.repeat("done"))
    assert await eventually(lambda: next(answers), interval=0.01) == "done"

    calls = itertools.count()

    async def third_time() -> int | None:
        n = next(calls)
        return n if n >= 2 else None

    assert await eventually(third_time, interval=0.01) == 2


async def test_fails_after_the_time_given_naming_what_and_the_last_assertion() -> None:
    def not_yet() -> bool:
        raise AssertionError("lag 3")

    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"the group draining did not happen within 0\.3 s"):
        await eventually(not_yet, within=0.3, interval=0.05, what="the group draining")
    assert time.monotonic() - started >= 0.3
    with pytest.raises(AssertionError, match="lag 3"):
        await eventually(not_yet, within=0.1, interval=0.05)


def test_sync_waits_and_fails_alike_and_other_errors_end_the_wait_at_once() -> None:
    answers = itertools.chain([False, False], itertools.repeat(True))
    assert eventually_sync(lambda: next(answers), interval=0.01) is True
    with pytest.raises(AssertionError, match=r"within 0\.2 s"):
        eventually_sync(lambda: False, within=0.2, interval=0.05)

    def died() -> bool:
        raise RuntimeError("the process exited")

    started = time.monotonic()
    with pytest.raises(RuntimeError, match="exited"):
        eventually_sync(died, within=10)
    assert time.monotonic() - started < 5
