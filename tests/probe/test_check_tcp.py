"""The tcp monitor type: ports open and closed, with and without a TLS handshake."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.dev.datastores import free_port
from probe_service.checks import CheckContext, get_check
from probe_service.checks.tcp import TcpConfig
from tests.probe.conftest import WebServers
from tests.probe.running import check, check_unvalidated


async def test_an_open_port_is_up(web: WebServers, ctx: CheckContext) -> None:
    result = await check("tcp", "127.0.0.1", ctx, port=web.http_port)
    assert result.ok and result.error is None
    assert result.response_ms is not None and result.response_ms > 0


async def test_a_closed_port_is_down(ctx: CheckContext) -> None:
    result = await check("tcp", "127.0.0.1", ctx, port=free_port())
    assert not result.ok and result.error == "connection refused"


async def test_a_name_is_tried_at_each_of_its_addresses(web: WebServers, ctx: CheckContext) -> None:
    # localhost may resolve to ::1 first, where nothing listens: 127.0.0.1 answers.
    result = await check("tcp", "localhost", ctx, port=web.http_port)
    assert result.ok, result.error


async def test_a_tls_handshake_with_a_valid_certificate(web: WebServers, ctx: CheckContext) -> None:
    result = await check("tcp", "localhost", ctx, port=web.port("valid"), tls=True)
    assert result.ok, result.error


async def test_a_tls_handshake_on_a_plain_port_fails(web: WebServers, ctx: CheckContext) -> None:
    result = await check("tcp", "localhost", ctx, port=web.http_port, tls=True)
    assert not result.ok and result.error is not None
    assert result.error.startswith("TLS handshake failed")


async def test_an_expired_certificate_fails_the_handshake_unless_ignored(
    web: WebServers, ctx: CheckContext
) -> None:
    result = await check("tcp", "localhost", ctx, port=web.port("expired"), tls=True)
    assert not result.ok
    assert result.error == "certificate is not valid: certificate has expired"
    ignored = await check(
        "tcp", "localhost", ctx, port=web.port("expired"), tls=True, ignore_tls_errors=True
    )
    assert ignored.ok, ignored.error


async def test_loopback_is_refused_when_private_targets_are_not_allowed(
    web: WebServers, strict_ctx: CheckContext
) -> None:
    result = await check("tcp", "127.0.0.1", strict_ctx, port=web.http_port)
    assert not result.ok and result.error is not None
    assert "loopback" in result.error and "PROBE_OUTBOUND_ALLOW_PRIVATE" in result.error


async def test_a_host_resolving_to_the_metadata_address_is_refused(ctx: CheckContext) -> None:
    result = await check_unvalidated("tcp", "2852039166", ctx, port=80)
    assert not result.ok and result.error is not None
    assert "169.254.169.254" in result.error and "link-local" in result.error


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("", "empty"),
        ("169.254.169.254", "forbidden address"),
        ("[fe80::1]", "forbidden address"),
        ("example.com:80", "without port or path"),
        ("http://example.com", "without port or path"),
        ("exa mple.com", "not a valid host name"),
        ("-bad.example", "not a valid host name"),
        ("a\r\nb.example", "CR, LF or NUL"),
        ("a\0b", "CR, LF or NUL"),
        ("a" * 64 + ".example", "not a valid host name"),
    ],
)
def test_hosts_that_are_refused(host: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        get_check("tcp").validate_target(host)


@pytest.mark.parametrize("host", ["example.com", "10.0.0.1", "::1", "[2001:db8::1]", "bücher.de"])
def test_hosts_that_are_accepted(host: str) -> None:
    assert get_check("tcp").validate_target(f" {host} ") == host.strip("[]")


@pytest.mark.parametrize("port", [0, 65536, None])
def test_the_port_is_required_and_in_range(port: int | None) -> None:
    with pytest.raises(ValidationError):
        TcpConfig.model_validate({} if port is None else {"port": port})
