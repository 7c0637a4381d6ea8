"""Argon2id password hashing, with rehash-on-login when the parameters change.

One hash costs a core for a fraction of a second and 64 MiB, so hashing runs in a bounded
thread pool (argon2 releases the GIL) instead of on the event loop: health checks and token
refreshes stay fast during a login flood, and memory is bounded by PASSWORD_HASH_WORKERS.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from functools import lru_cache, partial
from typing import TypeVar
from weakref import WeakKeyDictionary

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.settings import Settings

T = TypeVar("T")
_HASHING_NICENESS = 10

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

# A real hash to verify against when the user does not exist, so timing does not reveal it.
_DUMMY_HASH = _hasher.hash("statusmonitor-timing-equaliser")


# Per event loop (tests run several; a service has one): who may hash now.
_turns: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = WeakKeyDictionary()


def _lower_priority() -> None:
    """Hashing threads yield the CPU to the event loop (and the database on the same host):
    the loop answers health checks and refreshes while a login flood keeps every core busy."""
    with suppress(AttributeError, OSError):  # per-thread nice values exist on Linux
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _HASHING_NICENESS)


@lru_cache
def _pool(workers: int) -> ThreadPoolExecutor:
    # One pool per size for the whole process, whatever event loop asks (tests run several).
    return ThreadPoolExecutor(
        max_workers=workers, thread_name_prefix="argon2", initializer=_lower_priority
    )


@asynccontextmanager
async def hashing_turn(settings: Settings) -> AsyncIterator[None]:
    """Waits for one of PASSWORD_HASH_WORKERS turns. A login takes its turn before it opens a
    database connection, so a flood waits here without holding the connections that other
    requests (token refresh) need."""
    loop = asyncio.get_running_loop()
    turns = _turns.get(loop)
    if turns is None:
        turns = _turns[loop] = asyncio.Semaphore(settings.password_hash_workers)
    async with turns:
        yield


def _verify(password: str, password_hash: str | None) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def _off_loop(settings: Settings, work: Callable[[], T]) -> T:
    return await asyncio.get_running_loop().run_in_executor(
        _pool(settings.password_hash_workers), work
    )


async def hash_password(settings: Settings, password: str) -> str:
    return await _off_loop(settings, partial(_hasher.hash, password))


async def verify_password(settings: Settings, password: str, password_hash: str | None) -> bool:
    """False for a wrong password or a missing user, after the same amount of work."""
    return await _off_loop(settings, partial(_verify, password, password_hash))


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)  # reads the parameters only: cheap
