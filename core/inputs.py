"""Rules every input obeys, whatever door it comes through, and the 4xx answers that name them.

PostgreSQL refuses NUL (U+0000) in text and JSONB, so text holding one is refused where it
enters: in request bodies (core.schemas.common.TextInput) and in the URL (NulInUrlGuard); the
agent doors refuse it with every other control character (core.reports.text_problem). A JSON
text that Python's or msgspec's decoder cannot even walk (nested past the recursion limit, not
UTF-8) is a client error too.
"""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

NUL_REFUSED = "NUL characters (\\u0000) are not allowed in text"
_NUL_IN_URL = "the URL holds a NUL character (%00), which no parameter may contain"


def contains_nul(value: object) -> bool:
    """Whether a NUL is in any string of `value`, dict keys and nested containers included.

    A loop rather than recursion: a body nested 900 levels deep must not crash the check.
    """
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            pending.extend(item)
    return False


def undecodable_json(exc: BaseException | None) -> str | None:
    """What made a JSON decoder fail beyond a syntax error, said for the client; else None."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 (byte {exc.start})"
    return None


class NulInUrlGuard:
    """Answers 422 for a NUL in the path or query string, so no parameter can carry one to
    PostgreSQL (or anywhere else): one rule for every route of every service."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _url_has_nul(scope):
            body = orjson.dumps({"detail": _NUL_IN_URL})
            length = str(len(body)).encode()
            headers = [(b"content-type", b"application/json"), (b"content-length", length)]
            await send({"type": "http.response.start", "status": 422, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def _url_has_nul(scope: Scope) -> bool:
    query: bytes = scope.get("query_string", b"")
    return "\x00" in scope["path"] or b"%00" in query or b"\x00" in query
