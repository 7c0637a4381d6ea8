"""core.outbound's socket guard: inside guarded(), every socket of any library and protocol
meets the address rules; outside it (our PostgreSQL, Redis...) nothing changes."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import uvloop
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from core.outbound import OutboundRefused, guarded, platform_stores, trusted
from core.settings import Settings
from harness.sockets import udp_listener


@pytest.fixture
def tcp_listener() -> Iterator[socket.socket]:
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0.2)
        yield server


@pytest.fixture
def udp_server() -> Iterator[socket.socket]:
    with udp_listener() as server:
        yield server


def _port(sock: socket.socket) -> int:
    port: int = sock.getsockname()[1]
    return port


def _nobody_connected(server: socket.socket) -> bool:
    try:
        server.accept()[0].close()
    except TimeoutError:
        return True
    return False


def test_tcp_to_loopback_is_refused_unless_allowed(tcp_listener: socket.socket) -> None:
    address = ("127.0.0.1", _port(tcp_listener))
    with guarded(allow_private=False) as guard, pytest.raises(OutboundRefused):
        socket.create_connection(address, timeout=5)
    assert guard.refused is not None and "loopback" in guard.refused
    assert _nobody_connected(tcp_listener)
    with guarded(allow_private=True) as guard, socket.create_connection(address, timeout=5):
        pass
    assert guard.refused is None


def test_udp_datagrams_meet_the_same_rules(udp_server: socket.socket) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        with guarded(allow_private=True), pytest.raises(OutboundRefused, match="link-local"):
            sender.sendto(b"x", ("169.254.169.254", 514))
        with guarded(allow_private=False), pytest.raises(OutboundRefused, match="loopback"):
            sender.sendto(b"x", ("127.0.0.1", _port(udp_server)))
        with guarded(allow_private=False), pytest.raises(OutboundRefused, match="loopback"):
            sender.sendmsg([b"x"], [], 0, ("127.0.0.1", _port(udp_server)))
        with guarded(allow_private=True):
            sender.sendto(b"allowed", ("127.0.0.1", _port(udp_server)))
    assert udp_server.recvfrom(100)[0] == b"allowed"
    with (
        socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sender6,
        guarded(allow_private=True),
        pytest.raises(OutboundRefused, match="embeds"),
    ):
        sender6.sendto(b"x", ("::ffff:169.254.169.254", 514))


@pytest.mark.parametrize("host", ["localhost", "2852039166"])
def test_a_name_handed_to_the_socket_unresolved_is_refused(
    tcp_listener: socket.socket, host: str
) -> None:
    """The socket would resolve it below Python, past the check: refused even when allowed
    (2852039166 is 169.254.169.254 written as one number)."""
    with (
        guarded(allow_private=True),
        socket.socket() as sock,
        pytest.raises(OutboundRefused, match="unresolved"),
    ):
        sock.connect((host, _port(tcp_listener)))
    assert _nobody_connected(tcp_listener)


def test_what_cannot_be_checked_is_refused() -> None:
    with guarded(allow_private=True):
        with socket.socket(socket.AF_UNIX) as unix, pytest.raises(OutboundRefused, match="AF_UNIX"):
            unix.connect("/var/run/redis.sock")
        with pytest.raises(OutboundRefused, match="process"):
            subprocess.run([sys.executable, "-c", "pass"], check=False)


async def test_work_handed_to_a_thread_stays_guarded(tcp_listener: socket.socket) -> None:
    address = ("127.0.0.1", _port(tcp_listener))
    with guarded(allow_private=False) as guard:
        with pytest.raises(OutboundRefused):
            await asyncio.to_thread(socket.create_connection, address, 5)
        with pytest.raises(OSError, match="refused to connect"):
            await asyncio.open_connection(*address)
    assert len(guard.refusals) == 2
    assert _nobody_connected(tcp_listener)


async def test_our_own_connections_are_never_guarded(base_settings: Settings) -> None:
    """While a guarded send to a refused address is in flight, other tasks reach the loopback
    Redis; inside trusted() the operator's destinations are reached too."""
    started, finish = asyncio.Event(), asyncio.Event()

    async def guarded_send() -> None:
        with guarded(allow_private=False):
            started.set()
            await finish.wait()
            with pytest.raises(OSError):
                await asyncio.open_connection("127.0.0.1", 9)
            with trusted():
                own = Redis.from_url(base_settings.redis_url)
                assert await own.ping()
                await own.aclose()

    task = asyncio.create_task(guarded_send())
    await started.wait()
    redis = Redis.from_url(base_settings.redis_url)
    assert await redis.ping()
    await redis.aclose()
    finish.set()
    await task


def test_uvloop_is_refused_because_its_sockets_cannot_be_seen() -> None:
    async def enter() -> None:
        with guarded(allow_private=True):
            pass

    with pytest.raises(OutboundRefused, match="--loop asyncio"):
        uvloop.run(enter())


def _store_ports(settings: Settings) -> dict[str, int]:
    urls = {
        "PostgreSQL": settings.database_url,
        "Redis": settings.redis_url,
        "VictoriaMetrics": settings.tsdb_url,
    }
    return {name: urlsplit(url).port or 0 for name, url in urls.items()}


async def test_the_platforms_own_stores_are_refused_even_where_private_targets_are_allowed(
    base_settings: Settings, tcp_listener: socket.socket
) -> None:
    """They hold every organization's data and ask a local caller for no password: no user's
    destination may reach them, by any of this host's addresses."""
    stores = platform_stores(base_settings)
    for name, port in _store_ports(base_settings).items():
        for family, host in [(socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::ffff:127.0.0.1")]:
            with (
                guarded(allow_private=True, own=stores) as guard,
                socket.socket(family) as sock,
                pytest.raises(OutboundRefused, match=f"this platform's own {name}"),
            ):
                sock.connect((host, port))
            assert guard.refused is not None and f"port {port}" in guard.refused
    with guarded(allow_private=True, own=stores):
        redis = Redis.from_url(base_settings.redis_url)
        with pytest.raises(RedisConnectionError, match="own Redis"):
            await redis.ping()
        await redis.aclose()
        # Anything else on the host stays reachable where private targets are allowed.
        socket.create_connection(("127.0.0.1", _port(tcp_listener)), timeout=5).close()
    redis = Redis.from_url(base_settings.redis_url)  # our own connection, unguarded
    assert await redis.ping()
    await redis.aclose()
