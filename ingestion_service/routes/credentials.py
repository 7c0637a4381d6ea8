"""Where each kind of client puts its agent token."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

# How to send the token, for 401 answers (messages, not secrets).
SEND_AGENT_TOKEN = "send X-Agent-Token"  # noqa: S105
SEND_HOST_KEY = "send 'Authorization: Bearer <agent token>'"
SEND_API_KEY = "send X-API-Key"
SEND_INFLUX_TOKEN = "send 'Authorization: Token <agent token>'"  # noqa: S105


def _scheme(headers: Mapping[bytes, bytes], *schemes: bytes) -> str | None:
    """The credential of `Authorization: <scheme> <credential>` for one of `schemes`."""
    value = headers.get(b"authorization")
    if not value:
        return None
    scheme, _, credential = value.strip().partition(b" ")
    if scheme.lower() not in schemes:
        return None
    return credential.strip().decode("latin-1") or None


def agent_token(headers: Mapping[bytes, bytes]) -> str | None:
    """POST /ingest: X-Agent-Token (StatusMonitor v1), or a Bearer token."""
    token = headers.get(b"x-agent-token")
    if token:
        return token.strip().decode("latin-1")
    return _scheme(headers, b"bearer")


def host_key(headers: Mapping[bytes, bytes]) -> str | None:
    """The Data Monitoring Tool's `Authorization: Bearer <host_key>`."""
    return _scheme(headers, b"bearer")


def api_key(headers: Mapping[bytes, bytes]) -> str | None:
    """The Metrics Collection API's X-API-Key."""
    key = headers.get(b"x-api-key")
    return key.strip().decode("latin-1") if key else None


def influx_token(headers: Mapping[bytes, bytes], query: Mapping[str, str], v1: bool) -> str | None:
    """InfluxDB 2 clients send `Token <t>`; v1 clients `?p=<t>` or Basic auth with t as the
    password (the user name is ignored)."""
    token = _scheme(headers, b"token", b"bearer")
    if token or not v1:
        return token
    if query.get("p"):
        return query["p"]
    basic = _scheme(headers, b"basic")
    if basic:
        try:
            decoded = base64.b64decode(basic, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None
