"""The one outbound guard: where the platform may connect on a user's behalf (SSRF protection).

Notification channels (and probes) connect to addresses users choose, so without a guard a
webhook, an Apprise URL or a monitor could point the platform at the cloud metadata endpoint
(169.254.169.254), at our own Redis, or at anything else on the internal network. Rules:

* always refused: link-local (169.254.0.0/16, fe80::/10: this covers the cloud metadata
  address), the AWS IPv6 and Alibaba metadata addresses, unspecified (0.0.0.0/8, ::),
  multicast and reserved addresses, and the same addresses embedded in IPv6 (IPv4-mapped,
  6to4, NAT64);
* refused unless the instance allows private targets (ALERT_OUTBOUND_ALLOW_PRIVATE):
  loopback, private (RFC 1918, fc00::/7), CGNAT (100.64.0.0/10) and the other non-public
  ranges;
* always refused, even where private targets are allowed: the platform's own stores
  (OwnStores: PostgreSQL, Redis, VictoriaMetrics as the settings name them). They hold every
  organization's data and ask a local caller for no password, so a webhook or an HTTP
  monitor aimed at them (VictoriaMetrics' delete_series, a forged import) would reach across
  organizations. A store on this host is protected on every local address (its port).

Enforced at the socket: inside `guarded()`, every socket connect and every datagram sent to
an address, by any library and protocol (TCP, UDP, TLS, HTTP, SMTP, IRC, syslog...), passes
through a process-wide audit hook (sys.addaudithook) that applies the rules above. The hook
is scoped by a context variable, so the platform's own connections (PostgreSQL, Redis) are
never affected, and `trusted()` lifts it for destinations the operator configured (their
SMTP relay, their Telegram API URL). Context variables follow asyncio tasks and
asyncio.to_thread, so work a library hands to such a thread stays guarded. What the hook
cannot check is refused inside `guarded()`: a host name handed to the socket unresolved (it
would be resolved again below Python, so a changing DNS answer could slip past), non-IP
sockets (Unix, netlink...), starting processes, and local syslog.

Where the hook cannot see: uvloop opens its sockets in C without audit events, so
`guarded()` refuses to run on it (run services that use the guard with `--loop asyncio`);
threads started from a guarded thread do not inherit the guard in Python 3.11 (and thread
starts raise no audit event), so code that hands network work to threads of its own is not
offered (see the Apprise channel); a proxy from the environment (HTTP_PROXY, which requests
and so Apprise honour) would be the only address checked, so give such services none.

HTTP adds a check before connecting (GuardedTransport): every address a name resolves to
must pass, and plain-HTTP requests are then sent to the checked address itself (the Host
header keeps the name), so a DNS answer that changes between check and connection (DNS
rebinding) cannot redirect them; HTTPS keeps the name, the certificate check and the socket
hook cover it.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
import psutil

from core.settings import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_METADATA = {
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IMDS over IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud metadata
}
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

ALLOW_HINT = "set ALERT_OUTBOUND_ALLOW_PRIVATE=true to allow internal targets"
_HTTP_SCHEMES = ("http", "https")
MAX_URL_LENGTH = 2048


class OutboundRefused(PermissionError):
    """A connection the outbound rules forbid. An OSError, so libraries that catch network
    errors treat it as one (and a retry cannot help)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- the address policy -----------------------------------------------------------------------

_STORE_PORTS = {"postgresql": 5432, "postgres": 5432, "redis": 6379, "rediss": 6379,
                "http": 80, "https": 443}  # fmt: skip


@dataclass(frozen=True)
class OwnStores:
    """Where the platform's own stores listen; connections there are refused while guarded.

    `remote` are (address, port) of stores on other hosts; `local` the ports of stores on
    this host, reachable through any of its addresses (127.0.0.2, ::1, its LAN address)."""

    remote: dict[tuple[IPAddress, int], str] = field(default_factory=dict)
    local: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, urls: dict[str, str]) -> OwnStores:
        """From {store name: its URL}; host names are resolved now (once, at start-up)."""
        return _own_stores(tuple(sorted(urls.items())))

    def holds(self, ip: IPAddress, port: int) -> str | None:
        """The store at ip:port, or None."""
        ip = _embedded_ipv4(ip) or ip
        if port in self.local and _is_this_host(ip):
            return self.local[port]
        return self.remote.get((ip, port))


@functools.lru_cache(maxsize=8)
def _own_stores(urls: tuple[tuple[str, str], ...]) -> OwnStores:
    _local_addresses()  # read now, not first inside the socket hook
    remote: dict[tuple[IPAddress, int], str] = {}
    local: dict[int, str] = {}
    for name, url in urls:
        parts = urlsplit(url)
        scheme = parts.scheme.split("+", 1)[0].lower()
        port = parts.port or _STORE_PORTS.get(scheme)
        if not parts.hostname or port is None:
            continue  # a Unix socket: no network destination can reach it
        try:
            infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
        except OSError:
            continue  # the service fails on its own connection; nothing to protect yet
        for info in infos:
            ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
            ip = _embedded_ipv4(ip) or ip
            if _is_this_host(ip):
                local[port] = name
            else:
                remote[(ip, port)] = name
    return OwnStores(remote, local)


def _is_this_host(ip: IPAddress) -> bool:
    return ip.is_loopback or ip.is_unspecified or ip in _local_addresses()


@functools.lru_cache(maxsize=1)
def _local_addresses() -> frozenset[IPAddress]:
    """This host's own interface addresses (a store listening on 0.0.0.0 answers on them)."""
    found: set[IPAddress] = set()
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family in (socket.AF_INET, socket.AF_INET6):
                try:
                    found.add(ipaddress.ip_address(address.address.split("%", 1)[0]))
                except ValueError:
                    continue
    return frozenset(found)


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
        return None if allow_private else f"{addr} is {private} ({ALLOW_HINT})"
    if not addr.is_global and not allow_private:
        return f"{addr} is not a public address ({ALLOW_HINT})"
    return None


def literal_address(host: str) -> IPAddress | None:
    """The address a host written as an IP literal means, legacy forms (2852039166,
    0xa9.0xfe.0xa9.0xfe, 169.254.43518) included, since resolvers accept them too."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


async def resolve_checked(host: str, port: int, allow_private: bool) -> list[str]:
    """The addresses `host` resolves to, each allowed; OutboundRefused when any is not.
    A name that does not resolve raises socket.gaierror (or UnicodeError)."""
    host = host.strip("[]")
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise socket.gaierror(f"{host} resolves to no address")
    for address in addresses:
        reason = check_address(address.split("%", 1)[0], allow_private)
        if reason:
            raise OutboundRefused(f"refused to connect to {host}: {reason}")
    return addresses


def validate_http_url(url: str) -> str:
    """Syntax check for user-supplied http(s) URLs (pydantic validators): raises ValueError.

    Addresses that depend on the allow-private setting or on DNS are checked when connecting.
    """
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"URL is longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        raise ValueError(f"not a valid URL: {exc}") from exc
    if parts.scheme.lower() not in _HTTP_SCHEMES:
        raise ValueError("URL must start with http:// or https://")
    if not host:
        raise ValueError("URL has no host")
    refuse_forbidden_literal(host)
    return url


def refuse_forbidden_literal(host: str) -> None:
    """ValueError when `host` is an IP literal that is refused whatever the settings."""
    addr = literal_address(host)
    reason = check_address(addr, allow_private=True) if addr is not None else None
    if reason:
        raise ValueError(f"URL points to a forbidden address: {reason}")


# --- what users write into destinations --------------------------------------------------------

_LINE_BREAKING = ("\r", "\n", "\0")
_DECODING_ROUNDS = 5
LINE_BREAK_PROBLEM = (
    "must not contain CR, LF or NUL characters, also not percent-encoded (%0D, %0A, %00)"
)


def breaks_lines(text: str) -> bool:
    """True when `text` holds CR, LF or NUL, raw or percent-encoded (%0d, %250d...): each can
    end a protocol line (IRC, SMTP, Redis, HTTP) and start another the user wrote."""
    for _ in range(_DECODING_ROUNDS):
        if any(char in text for char in _LINE_BREAKING):
            return True
        decoded = unquote(text)
        if decoded == text:
            return False
        text = decoded
    return any(char in text for char in _LINE_BREAKING)


def line_breaking_paths(
    value: Any, path: str, multiline: frozenset[str] = frozenset()
) -> list[str]:
    """Dotted paths of the strings (and mapping keys) within `value` that break lines. A
    string at a path in `multiline` may hold line breaks between lines, not inside them."""
    if isinstance(value, str):
        lines = value.split("\n") if path in multiline else [value]
        return [path] if any(breaks_lines(line.removesuffix("\r")) for line in lines) else []
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if breaks_lines(str(key)):
                found.append(f"{path} (a key)")
            else:
                found += line_breaking_paths(item, f"{path}.{key}", multiline)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found += line_breaking_paths(item, f"{path}.{index}", multiline)
    return found


# --- the socket guard -------------------------------------------------------------------------


@dataclass
class Guard:
    """One guarded piece of work: the rule it runs under and what the hook refused in it
    (libraries such as Apprise swallow the error, so the reason is kept here)."""

    allow_private: bool
    own: OwnStores = field(default_factory=OwnStores)
    refusals: list[str] = field(default_factory=list)

    @property
    def refused(self) -> str | None:
        return self.refusals[0] if self.refusals else None


_current: ContextVar[Guard | None] = ContextVar("outbound_guard", default=None)

_SOCKET_EVENTS = frozenset({"socket.connect", "socket.sendto", "socket.sendmsg"})
# Ways out the hook cannot check: refused while guarded.
_UNCHECKABLE_EVENTS = {
    "subprocess.Popen": "starting a process",
    "os.system": "starting a process",
    "os.exec": "starting a process",
    "os.posix_spawn": "starting a process",
    "os.spawn": "starting a process",
    "os.fork": "starting a process",
    "os.forkpty": "starting a process",
    "syslog.openlog": "writing to the local syslog",
    "syslog.syslog": "writing to the local syslog",
}
_WATCHED = _SOCKET_EVENTS | _UNCHECKABLE_EVENTS.keys()
_IP_FAMILIES = (socket.AF_INET, socket.AF_INET6)


def _judge_socket(args: tuple[Any, ...], guard: Guard) -> str | None:
    sock, address = args[0], args[1]
    if address is None:  # sendmsg on a connected socket: its connect was checked
        return None
    family = getattr(sock, "family", None)
    if family not in _IP_FAMILIES:
        return f"a {getattr(family, 'name', family)} socket cannot be checked"
    if not isinstance(address, tuple) or len(address) < 2:
        return f"cannot check the address {address!r}"
    raw = address[0]
    host = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return (
            f"refused to connect to {host}: the host name reached the socket unresolved, "
            "which the outbound guard cannot check (use the server's IP address)"
        )
    reason = check_address(ip, guard.allow_private)
    if reason is None and (store := guard.own.holds(ip, address[1])) is not None:
        reason = f"that is this platform's own {store}, which no user may reach"
    return f"refused to connect to {host} port {address[1]}: {reason}" if reason else None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    # Runs on every audit event of the process: the first two lines must stay cheap.
    if event not in _WATCHED:
        return
    guard = _current.get()
    if guard is None:
        return
    if event in _SOCKET_EVENTS:
        reason = _judge_socket(args, guard)
    else:
        reason = f"{_UNCHECKABLE_EVENTS[event]} cannot be checked by the outbound guard"
    if reason is not None:
        guard.refusals.append(reason)
        raise OutboundRefused(reason)


_install_lock = threading.Lock()
_installed = False


def _install() -> None:
    global _installed
    with _install_lock:
        if not _installed:
            sys.addaudithook(_audit)  # permanent by design: hooks cannot be removed
            _installed = True


def _refuse_unaudited_loop() -> None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return  # plain thread: its sockets are audited
    if not isinstance(loop, asyncio.BaseEventLoop):
        raise OutboundRefused(
            f"the outbound guard cannot see the sockets of {type(loop).__module__} event loops:"
            " run this service on asyncio's own loop (uvicorn --loop asyncio)"
        )


@contextmanager
def guarded(allow_private: bool, own: OwnStores | None = None) -> Iterator[Guard]:
    """Work done inside (and in asyncio tasks and to_thread calls started inside) may only
    connect where the rules allow, never to the `own` stores. A refused connection raises
    OutboundRefused in the library that attempted it, and is recorded in the yielded Guard."""
    _install()
    _refuse_unaudited_loop()
    guard = Guard(allow_private, own or OwnStores())
    token = _current.set(guard)
    try:
        yield guard
    finally:
        _current.reset(token)


@contextmanager
def trusted() -> Iterator[None]:
    """Lifts the guard for a connection the operator configured (their SMTP relay, their
    Telegram API URL), never for one a user chose."""
    token = _current.set(None)
    try:
        yield
    finally:
        _current.reset(token)


# --- HTTP -------------------------------------------------------------------------------------


class GuardedTransport(httpx.AsyncBaseTransport):
    """Checks the destination of every request (redirects included) before sending it, and
    pins plain HTTP to the checked address. Refusals raise OutboundRefused; names that do not
    resolve raise httpx.ConnectError."""

    def __init__(self, allow_private: bool, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self._allow_private = allow_private
        self._inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in _HTTP_SCHEMES:
            raise OutboundRefused(f"only http and https URLs are allowed, not {url.scheme}")
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            addresses = await resolve_checked(url.host, port, self._allow_private)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpx.ConnectError(f"cannot resolve {url.host}: {exc}", request=request) from exc
        if url.scheme == "http":
            # The Host header was set from the name when the request was built.
            request.url = url.copy_with(host=addresses[0])
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def platform_stores(settings: Settings) -> OwnStores:
    """The stores `settings` connect this process to (resolved once per distinct URL set)."""
    return OwnStores.of(
        {
            "PostgreSQL": settings.database_url,
            "Redis": settings.redis_url,
            "VictoriaMetrics": settings.tsdb_url,
        }
    )
