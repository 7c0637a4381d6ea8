"""The guard every outbound notification request goes through (SSRF protection).

Channel URLs are chosen by users, so without a guard a webhook could point the alert service
at the cloud metadata endpoint (169.254.169.254), at the admin's Redis, or at anything else on
the internal network. Rules:

* always refused: link-local (169.254.0.0/16, fe80::/10: this covers the cloud metadata
  address), the AWS IPv6 and Alibaba metadata addresses, unspecified (0.0.0.0/8, ::),
  multicast and reserved addresses, and the same addresses embedded in IPv6 (IPv4-mapped,
  6to4, NAT64);
* refused unless ALERT_OUTBOUND_ALLOW_PRIVATE: loopback, private (RFC 1918, fc00::/7),
  CGNAT (100.64.0.0/10) and the other non-public ranges.

Every address a host name resolves to must pass, so a name that resolves to one public and
one internal address is refused. Plain-HTTP requests are then sent to the checked address
itself (the Host header keeps the name), so a DNS answer that changes between the check and
the connection (DNS rebinding) cannot redirect them. HTTPS requests keep the name: TLS
certificate verification already refuses a connection that rebinding moved to another server,
and pinning would let the connection pool share one TLS session between names.

Libraries with their own network stack (Apprise) run under guard_this_thread, which applies
the same rules to every address their thread resolves and then connects to.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
from pydantic import SecretStr, field_validator

from alert_service.channels import _ratelimit as ratelimit
from alert_service.channels.base import ChannelConfig, DeliveryError, RateLimited, SendContext
from alert_service.config import AlertSettings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_METADATA = {
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IMDS over IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud metadata
}
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

_ALLOW_HINT = "set ALERT_OUTBOUND_ALLOW_PRIVATE=true to allow internal targets"
_SCHEMES = ("http", "https")
_MAX_URL_LENGTH = 2048
_EXCERPT = 200


def _embedded_ipv4(addr: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one reaches (mapped, 6to4, NAT64), judged like the IPv4 one."""
    if not isinstance(addr, ipaddress.IPv6Address):
        return None
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr in _NAT64:
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    return None


def _always_refused(addr: IPAddress) -> str | None:
    if addr in _METADATA:
        return "a cloud metadata address"
    if addr.is_link_local:
        return "a link-local address (cloud metadata lives there)"
    if addr.is_unspecified or addr in _THIS_NETWORK:
        return "an unspecified address"
    if addr.is_multicast:
        return "a multicast address"
    return None


def _private_kind(addr: IPAddress) -> str | None:
    if addr.is_loopback:
        return "a loopback address"
    if addr.is_private or addr in _CGNAT or addr in _UNIQUE_LOCAL:
        return "a private address"
    return None


def check_address(ip: str | IPAddress, allow_private: bool) -> str | None:
    """Why connecting to `ip` is refused, or None when it is allowed."""
    try:
        addr = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    except ValueError:
        return f"{ip!r} is not an IP address"
    embedded = _embedded_ipv4(addr)
    if embedded is not None:
        inner = check_address(embedded, allow_private)
        return f"{addr} embeds {embedded}: {inner}" if inner else None
    reason = _always_refused(addr)
    if reason:
        return f"{addr} is {reason}"
    # Python counts ::1 as reserved and 240.0.0.0/4 as private: hence this order.
    if addr.is_reserved and not addr.is_loopback:
        return f"{addr} is a reserved address"
    private = _private_kind(addr)
    if private:
        return None if allow_private else f"{addr} is {private} ({_ALLOW_HINT})"
    if not addr.is_global and not allow_private:
        return f"{addr} is not a public address ({_ALLOW_HINT})"
    return None


async def resolve_and_check(host: str, port: int, allow_private: bool) -> list[str]:
    """The addresses `host` resolves to; DeliveryError when any of them is refused."""
    host = host.strip("[]")
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        # DNS hiccups pass; a name that never resolves ends in the retry limit.
        raise DeliveryError(f"cannot resolve {host}: {exc}", retryable=True) from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise DeliveryError(f"{host} resolves to no address", retryable=True)
    for address in addresses:
        reason = check_address(address.split("%", 1)[0], allow_private)
        if reason:
            raise DeliveryError(f"refused to connect to {host}: {reason}", retryable=False)
    return addresses


# --- Libraries with their own network stack (Apprise: requests, smtplib...) -------------------

_guard = threading.local()
_unguarded_getaddrinfo = socket.getaddrinfo
_install_lock = threading.Lock()


def _checked_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    infos = _unguarded_getaddrinfo(host, port, *args, **kwargs)
    allow_private: bool | None = getattr(_guard, "allow_private", None)
    if allow_private is None:  # not a guarded thread
        return infos
    for info in infos:
        reason = check_address(str(info[4][0]).split("%", 1)[0], allow_private)
        if reason:
            _guard.refused = f"refused to connect to {host}: {reason}"
            raise OSError(_guard.refused)
    return infos


@contextmanager
def guard_this_thread(allow_private: bool) -> Iterator[Callable[[], str | None]]:
    """While inside, every connection this thread makes through the socket module (requests,
    urllib3, smtplib... all resolve with socket.getaddrinfo, then connect to what it returned)
    must pass check_address, DNS rebinding included. Yields a function telling why a
    connection was refused, since libraries like Apprise swallow the error."""
    with _install_lock:
        socket.getaddrinfo = _checked_getaddrinfo
    _guard.allow_private, _guard.refused = allow_private, None
    try:
        yield lambda: _guard.refused
    finally:
        del _guard.allow_private


class GuardedTransport(httpx.AsyncBaseTransport):
    """Checks the destination of every request (redirects included) before sending it."""

    def __init__(self, allow_private: bool, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self._allow_private = allow_private
        self._inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in _SCHEMES:
            raise DeliveryError(
                f"only http and https URLs are allowed, not {url.scheme}", retryable=False
            )
        port = url.port or (443 if url.scheme == "https" else 80)
        addresses = await resolve_and_check(url.host, port, self._allow_private)
        if url.scheme == "http":
            # The Host header was set from the name when the request was built.
            request.url = url.copy_with(host=addresses[0])
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def create_outbound_client(settings: AlertSettings) -> httpx.AsyncClient:
    """The HTTP client channels send through (SendContext.http)."""
    return httpx.AsyncClient(
        transport=GuardedTransport(settings.outbound_allow_private),
        timeout=httpx.Timeout(settings.delivery_timeout_seconds),
        follow_redirects=False,
        # A proxy from the environment would bypass the per-request address check.
        trust_env=False,
        headers={"User-Agent": "StatusMonitor-Alerts/1"},
    )


def _literal_address(host: str) -> IPAddress | None:
    """The address a host written as an IP literal means, legacy forms (2852039166,
    0xa9.0xfe.0xa9.0xfe, 169.254.43518) included, since resolvers accept them too."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def validate_url(url: str) -> str:
    """Syntax check for user-supplied URLs (pydantic validators): raises ValueError.

    Addresses that depend on ALERT_OUTBOUND_ALLOW_PRIVATE or on DNS are checked at send time.
    """
    url = url.strip()
    if len(url) > _MAX_URL_LENGTH:
        raise ValueError(f"URL is longer than {_MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        raise ValueError(f"not a valid URL: {exc}") from exc
    if parts.scheme.lower() not in _SCHEMES:
        raise ValueError("URL must start with http:// or https://")
    if not host:
        raise ValueError("URL has no host")
    addr = _literal_address(host)
    if addr is not None:
        reason = check_address(addr, allow_private=True)
        if reason:
            raise ValueError(f"URL points to a forbidden address: {reason}")
    return url


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every secret value replaced, for reasons and logs."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return text


def _excerpt(response: httpx.Response) -> str:
    body = " ".join(response.text[: _EXCERPT * 2].split())
    return body[:_EXCERPT] or "(empty body)"


def raise_for_delivery(response: httpx.Response, target: str) -> None:
    """Maps a receiver's answer to success or a DeliveryError naming status and body."""
    status = response.status_code
    if 200 <= status < 300:
        return
    if 300 <= status < 400:
        raise DeliveryError(
            f"{target} answered HTTP {status} (redirects are not followed: use the final URL)",
            retryable=False,
        )
    wait = ratelimit.retry_after(response) if status == 429 else None
    if wait is not None:
        raise RateLimited(f"{target} answered HTTP 429: rate limited for {wait:g} s", wait)
    # 408/429 and 5xx are the receiver's temporary trouble; other 4xx will not change.
    retryable = status >= 500 or status in (408, 429)
    raise DeliveryError(
        f"{target} answered HTTP {status}: {_excerpt(response)}", retryable=retryable
    )


async def post(
    ctx: SendContext,
    url: str,
    *,
    target: str,
    content: bytes,
    headers: dict[str, str],
    secrets: Iterable[str | None] = (),
) -> httpx.Response:
    """POSTs through the guard within the delivery timeout; errors become DeliveryError
    whose reason has `secrets` (e.g. a webhook URL holding a token) redacted."""
    hidden = [url, *secrets]
    try:
        async with asyncio.timeout(ctx.settings.delivery_timeout_seconds):
            response = await ctx.http.post(url, content=content, headers=headers)
        raise_for_delivery(response, target)
    except DeliveryError as exc:
        exc.reason = redact(exc.reason, hidden)
        exc.args = (exc.reason,)
        raise
    except (TimeoutError, httpx.TimeoutException) as exc:
        timeout = ctx.settings.delivery_timeout_seconds
        raise DeliveryError(f"{target} gave no answer within {timeout:g} s") from exc
    except httpx.HTTPError as exc:
        detail = redact(str(exc) or type(exc).__name__, hidden)
        raise DeliveryError(f"could not reach {target}: {detail}") from exc
    return response


class IncomingWebhookConfig(ChannelConfig):
    """A chat service's incoming-webhook URL (Slack, Discord). The URL is the credential:
    anyone holding it can post, so it is a secret (stored encrypted, never returned,
    redacted from delivery errors)."""

    webhook_url: SecretStr

    @field_validator("webhook_url")
    @classmethod
    def _url(cls, value: SecretStr) -> SecretStr:
        return SecretStr(validate_url(value.get_secret_value()))


async def post_json(
    ctx: SendContext, config: IncomingWebhookConfig, *, target: str, body: object
) -> httpx.Response:
    """POSTs `body` as JSON to the configured incoming webhook (see post)."""
    return await post(
        ctx,
        config.webhook_url.get_secret_value(),
        target=target,
        content=orjson.dumps(body),
        headers={"Content-Type": "application/json"},
    )
