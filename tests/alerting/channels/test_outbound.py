"""The outbound guard's address rules (core/outbound.py) and the channels' guarded HTTP client,
which checks and pins every request before connecting."""

from __future__ import annotations

import time

import pytest

from alert_service.channels.base import DeliveryError
from alert_service.channels.outbound import resolve_and_check
from core.outbound import OutboundRefused, check_address, validate_http_url
from harness.http_recorder import Recorder
from tests.alerting.channels.conftest import ContextFactory

ALWAYS_REFUSED = [
    "169.254.169.254",  # AWS/GCP/Azure metadata
    "::ffff:169.254.169.254",  # the same, IPv4-mapped
    "64:ff9b::a9fe:a9fe",  # the same, through NAT64
    "2002:a9fe:a9fe::1",  # the same, 6to4
    "fe80::1",
    "fd00:ec2::254",  # AWS metadata over IPv6
    "100.100.100.200",  # Alibaba metadata
    "0.0.0.0",
    "0.1.2.3",
    "::",
    "224.0.0.1",
    "ff02::1",
    "240.0.0.1",
    "255.255.255.255",
]
PRIVATE = [
    "127.0.0.1",
    "::1",
    "::ffff:127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "100.64.0.1",
    "fd12:3456::1",
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "64:ff9b::808:808"]


@pytest.mark.parametrize("ip", ALWAYS_REFUSED)
def test_metadata_link_local_and_reserved_refused_even_when_private_allowed(ip: str) -> None:
    assert check_address(ip, allow_private=True) is not None
    assert check_address(ip, allow_private=False) is not None


@pytest.mark.parametrize("ip", PRIVATE)
def test_private_and_loopback_need_the_admin_switch(ip: str) -> None:
    reason = check_address(ip, allow_private=False)
    assert reason is not None and "ALERT_OUTBOUND_ALLOW_PRIVATE" in reason
    assert check_address(ip, allow_private=True) is None


@pytest.mark.parametrize("ip", PUBLIC)
def test_public_addresses_allowed(ip: str) -> None:
    assert check_address(ip, allow_private=False) is None


async def test_name_resolving_to_loopback_refused_without_switch() -> None:
    with pytest.raises(DeliveryError) as refused:
        await resolve_and_check("localhost", 80, allow_private=False)
    assert not refused.value.retryable and "loopback" in refused.value.reason
    assert "127.0.0.1" in await resolve_and_check("localhost", 80, allow_private=True)


async def test_decimal_ip_that_means_metadata_is_refused() -> None:
    with pytest.raises(DeliveryError) as refused:
        await resolve_and_check("2852039166", 80, allow_private=True)
    assert "169.254.169.254" in refused.value.reason


async def test_client_refuses_metadata_even_with_private_allowed(make_ctx: ContextFactory) -> None:
    ctx = make_ctx(outbound_allow_private=True)
    started = time.monotonic()
    with pytest.raises(OutboundRefused) as refused:
        await ctx.http.get("http://169.254.169.254/latest/meta-data/")
    # Refused before any connection attempt, so at once rather than after a timeout.
    assert time.monotonic() - started < 1
    assert "169.254.169.254" in refused.value.reason


async def test_client_reaches_loopback_only_with_switch(
    make_ctx: ContextFactory, recorder: Recorder
) -> None:
    with pytest.raises(OutboundRefused) as refused:
        await make_ctx(outbound_allow_private=False).http.post(recorder.url(), content=b"x")
    assert "127.0.0.1" in refused.value.reason
    assert recorder.requests == []
    response = await make_ctx(outbound_allow_private=True).http.post(recorder.url(), content=b"x")
    assert response.status_code == 200 and [r.body for r in recorder.requests] == [b"x"]


async def test_plain_http_keeps_the_host_header_of_the_name(
    make_ctx: ContextFactory, recorder: Recorder
) -> None:
    await make_ctx().http.post(recorder.url(host="localhost"), content=b"x")
    assert recorder.requests[0].headers["host"] == f"localhost:{recorder.port}"


async def test_redirect_to_metadata_is_checked_too(
    make_ctx: ContextFactory, recorder: Recorder
) -> None:
    recorder.status["*"] = 302
    recorder.headers = {"Location": "http://169.254.169.254/latest/meta-data/"}
    ctx = make_ctx()
    # Not followed by default...
    assert (await ctx.http.post(recorder.url(), content=b"x")).status_code == 302
    # ...and refused when a caller asks to follow.
    with pytest.raises(OutboundRefused, match=r"169\.254\.169\.254"):
        await ctx.http.post(recorder.url(), content=b"x", follow_redirects=True)


async def test_only_http_schemes(make_ctx: ContextFactory) -> None:
    with pytest.raises(OutboundRefused, match="only http and https"):
        await make_ctx().http.get("ftp://example.com/file")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/x", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("http://", "no host"),
        ("http://169.254.169.254/latest", "forbidden address"),
        ("http://[::ffff:a9fe:a9fe]/", "forbidden address"),
        ("http://2852039166/", "forbidden address"),
        ("http://0xa9.0xfe.0xa9.0xfe/", "forbidden address"),
        ("http://100.100.100.200/", "forbidden address"),
        ("http://example.com:99999/", "not a valid URL"),
    ],
)
def test_validate_url_refuses_with_a_clear_reason(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_http_url(url)


def test_validate_url_accepts_ordinary_urls() -> None:
    assert (
        validate_http_url(" https://hooks.example.com/a?b=c ") == "https://hooks.example.com/a?b=c"
    )
    # Private targets depend on the admin switch, which only send time knows.
    assert validate_http_url("http://10.0.0.5:8080/hook") == "http://10.0.0.5:8080/hook"
