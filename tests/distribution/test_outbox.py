"""A client's outbox: bounded by dropping its oldest frames, snapshot first, no duplicates."""

from __future__ import annotations

import asyncio

from prometheus_client import REGISTRY

from distribution_service.domain.outbox import Outbox


def _dropped() -> float:
    return REGISTRY.get_sample_value("statusmonitor_ws_frames_dropped_total") or 0.0


async def _drain(outbox: Outbox) -> list[str]:
    return [await outbox.get() for _ in range(len(outbox))]


async def test_a_full_outbox_drops_its_oldest_frames_and_counts_them() -> None:
    outbox = Outbox(3)
    dropped = _dropped()
    for seq in range(10):
        outbox.deliver(1, f"frame-{seq}")
    assert await _drain(outbox) == ["frame-7", "frame-8", "frame-9"]
    assert _dropped() - dropped == 7


async def test_subscribe_answer_and_snapshot_come_before_frames_that_arrived_meanwhile() -> None:
    outbox = Outbox(10)
    outbox.hold(1)
    outbox.deliver(1, "live-1")
    outbox.deliver(2, "other-agent")
    outbox.release(1, "subscribed", "snapshot")
    assert await _drain(outbox) == ["other-agent", "subscribed", "snapshot", "live-1"]


async def test_a_snapshot_is_not_sent_twice_when_the_same_frame_also_arrives_live() -> None:
    held_back = Outbox(10)
    held_back.hold(1)
    held_back.deliver(1, "report-a")
    held_back.release(1, None, "report-a")
    assert await _drain(held_back) == ["report-a"]
    late = Outbox(10)
    late.hold(1)
    late.release(1, None, "report-a")
    late.deliver(1, "report-a")  # published just before the snapshot was read
    late.deliver(1, "report-b")
    assert await _drain(late) == ["report-a", "report-b"]


async def test_purging_an_agent_keeps_other_agents_frames_and_answers() -> None:
    outbox = Outbox(10)
    outbox.deliver(1, "one")
    outbox.push(None, "answer")
    outbox.deliver(2, "two")
    outbox.purge(1)
    assert await _drain(outbox) == ["answer", "two"]


async def test_get_waits_for_the_next_frame() -> None:
    outbox = Outbox(10)
    waiting = asyncio.create_task(outbox.get())
    await asyncio.sleep(0)
    assert not waiting.done()
    outbox.deliver(1, "frame")
    assert await asyncio.wait_for(waiting, 5) == "frame"


async def test_bytes_waiting_past_the_bound_overflow_once_and_free_the_backlog() -> None:
    overflows: list[int] = []
    outbox = Outbox(100, max_bytes=10, on_overflow=overflows.append)
    outbox.deliver(1, "abcd")
    outbox.deliver(1, "éfg")  # 4 bytes in UTF-8, not 3 characters
    assert outbox.pending_bytes == 8
    outbox.deliver(1, "xyz")
    outbox.deliver(1, "more")
    assert overflows == [11]
    assert outbox.overflowed and len(outbox) == 0 and outbox.pending_bytes == 0


async def test_a_frame_larger_than_the_bound_still_reaches_a_client_that_keeps_up() -> None:
    overflows: list[int] = []
    outbox = Outbox(100, max_bytes=10, on_overflow=overflows.append)
    outbox.deliver(1, "x" * 50)
    assert await outbox.get() == "x" * 50
    # Still being written: the next frame waits behind its 50 bytes.
    outbox.deliver(1, "y")
    assert overflows == [51]
    quick = Outbox(100, max_bytes=10, on_overflow=overflows.append)
    quick.deliver(1, "x" * 50)
    await quick.get()
    waiting = asyncio.create_task(quick.get())  # asking again: the big one went out
    await asyncio.sleep(0)
    quick.deliver(1, "y")
    assert await asyncio.wait_for(waiting, 5) == "y"
    assert overflows == [51]
