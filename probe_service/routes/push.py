"""Push URLs for cron jobs and batch work (no sign-in: the key in the URL is the secret).

Healthchecks' forms: /ping/<key> (success), /ping/<key>/start, /ping/<key>/fail,
/ping/<key>/<exit status>, /ping/<key>/log; and Uptime Kuma's
/api/push/<key>?status=up|down&msg=...&ping=... GET, POST and HEAD all work (curl -fsS -m 10
--retry 5 -d @log sends the log as the body).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request

from core.deps import CoreDep, RedisDep
from core.errors import STORES_UNAVAILABLE, ServiceUnavailable, Unprocessable
from core.logging import get_logger
from core.security.tokens import sha256_hex
from probe_service.deps import ProbeDep
from probe_service.domain.budget import spend
from probe_service.domain.push import MAX_LOG_BYTES, Call, receive

router = APIRouter(tags=["push"])
log = get_logger(__name__)

Key = Annotated[str, Path(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
METHODS = ["GET", "POST", "HEAD"]
ACTIONS = {"start": "start", "fail": "fail", "log": "log"}


async def _body(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) >= MAX_LOG_BYTES:
            break
    return body[:MAX_LOG_BYTES]


async def _record(
    key: str, call: Call, core: CoreDep, redis: RedisDep, probe: ProbeDep
) -> dict[str, object]:
    # Hashed: the key is the URL's secret, and Redis keys show up in its tooling.
    budget = f"probe:push:{sha256_hex(key)}"
    try:
        await spend(redis, budget, probe.config.push_per_minute, "calls to one push URL")
        status = await receive(
            core.sessionmaker,
            redis,
            key,
            call,
            maxlen=core.settings.reports_stream_maxlen,
            runs_kept=probe.config.push_runs_kept,
        )
    except STORES_UNAVAILABLE as exc:
        # Nothing was stored: a 503 tells the job's curl --retry to call again.
        log.warning("push not stored", error=type(exc).__name__)
        raise ServiceUnavailable(
            "the call could not be stored just now: try again", {"Retry-After": "5"}
        ) from None
    return {"ok": True, "status": status}


async def ping_success(
    key: Key, request: Request, core: CoreDep, redis: RedisDep, probe: ProbeDep
) -> dict[str, object]:
    return await _record(key, Call("success", body=await _body(request)), core, redis, probe)


async def ping_action(
    key: Key,
    action: Annotated[str, Path(pattern=r"^(start|fail|log|\d{1,3})$")],
    request: Request,
    core: CoreDep,
    redis: RedisDep,
    probe: ProbeDep,
) -> dict[str, object]:
    body = await _body(request)
    if action.isdigit():
        exit_status = int(action)
        if exit_status > 255:
            raise Unprocessable("an exit status is between 0 and 255")
        call = Call("success", exit_status=exit_status, body=body)
    else:
        call = Call(ACTIONS[action], body=body)
    return await _record(key, call, core, redis, probe)


async def kuma_push(
    key: Key,
    request: Request,
    core: CoreDep,
    redis: RedisDep,
    probe: ProbeDep,
    status: Literal["up", "down"] = "up",
    msg: Annotated[str | None, Query(max_length=1000)] = None,
    ping: Annotated[float | None, Query(ge=0, le=86_400_000, allow_inf_nan=False)] = None,
) -> dict[str, object]:
    kind = "success" if status == "up" else "fail"
    call = Call(kind, body=await _body(request), message=msg, ping_ms=ping)
    return await _record(key, call, core, redis, probe)


def _route(path: str, endpoint: Callable[..., Awaitable[dict[str, object]]]) -> None:
    """GET, POST and HEAD for one endpoint, each with its own operation id (one route with
    three methods would give the OpenAPI document three operations of the same id)."""
    for method in METHODS:
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            operation_id=f"{endpoint.__name__}_{method.lower()}",
            include_in_schema=method != "HEAD",
        )


_route("/ping/{key}", ping_success)
_route("/ping/{key}/{action}", ping_action)
_route("/api/push/{key}", kuma_push)
