"""Connections outside HTTP (tcp, tls checks) and what a peer's certificate says."""

from __future__ import annotations

import asyncio
import math
import ssl
from datetime import UTC, datetime
from typing import Any

from cryptography import x509

from core import outbound


async def open_checked(
    host: str, port: int, allow_private: bool, tls: ssl.SSLContext | None = None
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A connection to `host`: its addresses checked by the outbound rules, then tried in
    order (localhost is ::1 and 127.0.0.1; a server may listen on one). With `tls`, the
    handshake names `host` (SNI and the host-name check)."""
    addresses = await outbound.resolve_checked(host, port, allow_private)
    failure = OSError(f"{host} has no address")  # resolve_checked returns at least one
    for address in addresses:
        try:
            return await asyncio.open_connection(
                address, port, ssl=tls, server_hostname=host.strip("[]") if tls else None
            )
        except ssl.SSLError:
            raise  # the server answered: its certificate is the result, not another address
        except OSError as exc:
            failure = exc
    raise failure


def peer_certificate(ssl_object: Any) -> x509.Certificate | None:
    """The peer's leaf certificate from an ssl.SSLObject/SSLSocket (verified or not)."""
    if ssl_object is None:
        return None
    der = ssl_object.getpeercert(binary_form=True)
    return x509.load_der_x509_certificate(der) if der else None


def days_left(cert: x509.Certificate, now: datetime | None = None) -> int:
    """Whole days until the certificate expires, rounded down: negative once it has."""
    remaining = cert.not_valid_after_utc - (now or datetime.now(UTC))
    return math.floor(remaining.total_seconds() / 86400)


def describe_certificate(cert: x509.Certificate) -> dict[str, Any]:
    return {
        "subject": cert.subject.rfc4514_string()[:200],
        "issuer": cert.issuer.rfc4514_string()[:200],
        "not_after": cert.not_valid_after_utc.isoformat(),
    }
