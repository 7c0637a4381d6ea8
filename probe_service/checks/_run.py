"""Running one check: under the outbound guard, within its timeout, never raising."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterator
from typing import TypeVar

from core import outbound
from core.logging import get_logger
from probe_service.checks.base import Check, CheckContext, CheckResult, Target

log = get_logger(__name__)
E = TypeVar("E", bound=BaseException)

_PROBE_HINT = "this instance does not allow private targets: PROBE_OUTBOUND_ALLOW_PRIVATE=false"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and what caused it, groups opened (anyio reports every failed address)."""
    pending, seen = [exc], set()
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                pending.append(linked)


def _first(exc: BaseException, kind: type[E]) -> E | None:
    return next((item for item in _chain(exc) if isinstance(item, kind)), None)


def describe_error(exc: BaseException) -> str:
    """What went wrong, for a person: the most telling exception in the chain."""
    if refused := _first(exc, outbound.OutboundRefused):
        return refused.reason.replace(outbound.ALLOW_HINT, _PROBE_HINT)
    if invalid := _first(exc, ssl.SSLCertVerificationError):
        return f"certificate is not valid: {invalid.verify_message or invalid.reason}"
    if tls := _first(exc, ssl.SSLError):
        return f"TLS handshake failed: {tls.reason or tls}"
    if _first(exc, ConnectionRefusedError):
        return "connection refused"
    if unresolved := _first(exc, socket.gaierror):
        return f"cannot resolve the host: {unresolved.strerror or unresolved}"
    if _first(exc, TimeoutError):
        return "timed out"
    if os_error := _first(exc, OSError):
        return os_error.strerror or str(os_error) or type(os_error).__name__
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _seconds(value: float) -> str:
    return f"{value:g}"


async def run_check(check: Check, target: Target, ctx: CheckContext) -> CheckResult:
    """`check.run` under the outbound guard and the monitor's timeout. Whatever goes wrong
    (refused, timed out, a bug in a check) is a failed result with a readable error."""
    try:
        with outbound.guarded(ctx.allow_private, ctx.own_stores):
            async with asyncio.timeout(target.timeout):
                return await check.run(target, ctx)
    except TimeoutError:
        return CheckResult(ok=False, error=f"timed out after {_seconds(target.timeout)} s")
    except Exception as exc:
        known = isinstance(exc, OSError) or _first(exc, OSError) is not None
        if not known:  # a check is meant to return its failures: this one is a bug
            log.exception("check raised", type=check.type)
        return CheckResult(ok=False, error=describe_error(exc))
