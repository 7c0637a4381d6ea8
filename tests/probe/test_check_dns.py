"""The dns monitor type against a real dnsmasq on a loopback port."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.dev.datastores import free_port
from probe_service.checks import CheckContext
from probe_service.checks.dns import DnsConfig
from tests.probe.running import check


@pytest.mark.parametrize(
    ("name", "record_type", "answers"),
    [
        ("www.test", "A", ["192.0.2.10"]),
        ("www.test", "AAAA", ["2001:db8::10"]),
        ("alias.test", "CNAME", ["www.test"]),
        ("txt.test", "TXT", ["v=spf1 -all"]),
        ("mail.test", "MX", ["10 mx1.test"]),
        ("_http._tcp.test", "SRV", ["0 5 80 www.test"]),
        ("caa.test", "CAA", ['0 issue "letsencrypt.org"']),
        ("192.0.2.10", "PTR", ["www.test"]),  # an address: its in-addr.arpa name is asked
    ],
)
async def test_record_types_and_their_answers(
    dns_port: int, ctx: CheckContext, name: str, record_type: str, answers: list[str]
) -> None:
    result = await check(
        "dns",
        name,
        ctx,
        record_type=record_type,
        resolver="127.0.0.1",
        port=dns_port,
        expected_values=answers,
    )
    assert result.ok and result.error is None, result.error
    assert result.details == {"rcode": "NOERROR", "answers": answers}
    assert result.response_ms is not None and result.response_ms > 0


async def test_expected_values_are_compared_as_dns_writes_them(
    dns_port: int, ctx: CheckContext
) -> None:
    # Names in any case and with the final dot, addresses in any notation.
    for record_type, value in [("CNAME", "WWW.Test."), ("AAAA", "2001:0db8:0:0::10")]:
        name = "alias.test" if record_type == "CNAME" else "www.test"
        result = await check(
            "dns",
            name,
            ctx,
            record_type=record_type,
            resolver="127.0.0.1",
            port=dns_port,
            expected_values=[value],
        )
        assert result.ok, result.error


async def test_a_value_not_among_the_answers_fails(dns_port: int, ctx: CheckContext) -> None:
    result = await check(
        "dns",
        "www.test",
        ctx,
        resolver="127.0.0.1",
        port=dns_port,
        expected_values=["192.0.2.10", "192.0.2.99"],
    )
    assert not result.ok
    assert result.error == "'192.0.2.99' is not among the answers (192.0.2.10)"


async def test_any_answer_passes_without_expected_values(dns_port: int, ctx: CheckContext) -> None:
    result = await check("dns", "www.test", ctx, resolver="127.0.0.1", port=dns_port)
    assert result.ok, result.error
    empty = await check(
        "dns", "txt.test", ctx, record_type="MX", resolver="127.0.0.1", port=dns_port
    )
    assert not empty.ok and empty.error == "no MX records"


async def test_a_missing_name_fails_unless_nxdomain_is_expected(
    dns_port: int, ctx: CheckContext
) -> None:
    missing = await check("dns", "gone.test", ctx, resolver="127.0.0.1", port=dns_port)
    assert not missing.ok and missing.error == "rcode NXDOMAIN (expected NOERROR)"
    expected = await check(
        "dns", "gone.test", ctx, resolver="127.0.0.1", port=dns_port, expected_rcode="NXDOMAIN"
    )
    assert expected.ok and expected.details["rcode"] == "NXDOMAIN"
    present = await check(
        "dns", "www.test", ctx, resolver="127.0.0.1", port=dns_port, expected_rcode="NXDOMAIN"
    )
    assert not present.ok and present.error == "rcode NOERROR (expected NXDOMAIN)"


async def test_a_resolver_that_does_not_answer_is_down(ctx: CheckContext) -> None:
    port = free_port()
    result = await check("dns", "www.test", ctx, seconds=1, resolver="127.0.0.1", port=port)
    assert not result.ok and result.error == f"no answer from 127.0.0.1 port {port} within 0.9 s"


async def test_a_loopback_resolver_is_refused_when_private_targets_are_not_allowed(
    dns_port: int, strict_ctx: CheckContext
) -> None:
    result = await check("dns", "www.test", strict_ctx, resolver="127.0.0.1", port=dns_port)
    assert not result.ok and result.error is not None
    assert result.error.startswith(f"refused to connect to 127.0.0.1 port {dns_port}")
    assert "loopback" in result.error


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        ({"resolver": "dns.google"}, "is an IP address"),
        ({"resolver": "169.254.169.254"}, "forbidden address"),
        ({"record_type": "ANY"}, "Input should be"),
        ({"expected_rcode": "YXDOMAIN"}, "Input should be"),
        ({"expected_values": ["a\nb"]}, "CR, LF or NUL"),
        ({"expected_values": ["v"] * 21}, "at most 20"),
        ({"port": 0}, "greater than or equal to 1"),
    ],
)
def test_configs_that_are_refused(config: dict[str, object], reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        DnsConfig.model_validate(config)
