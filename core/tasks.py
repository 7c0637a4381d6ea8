"""Stopping background tasks reliably."""

from __future__ import annotations

import asyncio
from typing import Any


async def stop_task(task: asyncio.Task[Any]) -> None:
    """Cancels `task` until it has ended: redis-py swallows a cancellation that lands while
    a connection is being set up, so a single cancel() can leave the task running."""
    while not task.done():
        task.cancel()
        await asyncio.wait([task], timeout=0.5)
