"""Which browser pages may act on a user's behalf: our own origin or a configured CORS origin.

Shared by the live view's WebSocket handshake and the auth service's session cookie: both are
credentials a browser attaches by itself, so a request from another site's page must not use
them (cross-site WebSocket hijacking, cross-site request forgery).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit


def origin_allowed(origin: str | None, host: str | None, allowed: Iterable[str]) -> bool:
    """A browser page may act from our own host or a configured CORS origin.

    Browsers always send Origin on a WebSocket handshake and on a POST, so another site's page
    is refused; tools and agents without an Origin are let through (they carry no browser's
    credentials). "null" (sandboxed frames, files) is no origin of ours.
    """
    if origin is None:
        return True
    origin = origin.rstrip("/").lower()
    if origin in {entry.rstrip("/").lower() for entry in allowed}:
        return True
    netloc = urlsplit(origin).netloc
    return bool(netloc) and host is not None and netloc == host.lower()
