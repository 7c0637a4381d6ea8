"""Login brute-force protection: failures counted in Redis per (IP, username)."""

from __future__ import annotations

from redis.asyncio import Redis

from core.errors import TooManyRequests
from core.security.tokens import sha256_hex
from core.settings import Settings


def _key(ip: str | None, username: str) -> str:
    # Hashed so the key never holds what someone typed into the username box.
    return f"auth:login-failures:{sha256_hex(f'{ip}|{username.strip().lower()}')}"


async def check_login_allowed(
    redis: Redis, settings: Settings, ip: str | None, username: str
) -> None:
    key = _key(ip, username)
    failures = int(await redis.get(key) or 0)
    if failures >= settings.login_max_failures:
        retry_after = int(await redis.ttl(key))
        raise TooManyRequests(
            "too many failed logins: try again later",
            retry_after if retry_after > 0 else settings.login_failure_window_seconds,
        )


async def record_login_failure(
    redis: Redis, settings: Settings, ip: str | None, username: str
) -> None:
    key = _key(ip, username)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, settings.login_failure_window_seconds, nx=True)
        await pipe.execute()


async def clear_login_failures(redis: Redis, ip: str | None, username: str) -> None:
    await redis.delete(_key(ip, username))
