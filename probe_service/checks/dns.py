"""DNS: a name resolves, with the expected answer code and values (dnspython)."""

from __future__ import annotations

import ipaddress
import time
from typing import Annotated, Any, Literal

import dns.asyncquery
import dns.exception
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.resolver
import dns.reversename
from pydantic import Field, field_validator

from core import outbound
from probe_service.checks._run import describe_error
from probe_service.checks._values import is_ip, refuse_line_breaks
from probe_service.checks.base import (
    CheckConfig,
    CheckContext,
    CheckResult,
    HostCheck,
    Target,
    register,
)

RecordType = Literal["A", "AAAA", "CAA", "CNAME", "MX", "NS", "PTR", "SOA", "SRV", "TXT"]
Rcode = Literal["NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED"]
MAX_ANSWERS_KEPT = 50
Value = Annotated[str, Field(min_length=1, max_length=500)]


class DnsConfig(CheckConfig):
    record_type: RecordType = "A"
    resolver: str | None = None  # an IP address; none: the system's (/etc/resolv.conf)
    port: int = Field(default=53, ge=1, le=65535)
    # All must be among the answers; none: any answer passes.
    expected_values: list[Value] = Field(default_factory=list, max_length=20)
    expected_rcode: Rcode = "NOERROR"  # NXDOMAIN: passes when the name does not exist

    @field_validator("resolver")
    @classmethod
    def _resolver_is_an_address(cls, resolver: str | None) -> str | None:
        if not resolver:
            return None
        if not is_ip(resolver):
            raise ValueError("the resolver is an IP address, such as 1.1.1.1")
        reason = outbound.check_address(resolver, allow_private=True)
        if reason:
            raise ValueError(f"the resolver is a forbidden address: {reason}")
        return resolver

    @field_validator("expected_values")
    @classmethod
    def _one_line_each(cls, values: list[str]) -> list[str]:
        return [refuse_line_breaks(value, "an expected value") for value in values]


def _normal(value: str, record_type: str) -> str:
    """How answers and expected values are compared: addresses canonical, names without the
    final dot and case-insensitive, TXT as written."""
    value = value.strip()
    if record_type == "TXT":
        return value
    if record_type in ("A", "AAAA") and is_ip(value):
        return str(ipaddress.ip_address(value))
    return " ".join(token.rstrip(".") for token in value.lower().split())


def _answers(response: dns.message.Message, rdtype: dns.rdatatype.RdataType) -> list[str]:
    found = []
    for rrset in response.answer:
        if rrset.rdtype != rdtype:
            continue  # the CNAMEs leading to an A record, say
        for rdata in rrset:
            if rdtype == dns.rdatatype.TXT:
                found.append(b"".join(rdata.strings).decode(errors="replace"))
            else:
                found.append(_normal(rdata.to_text(), dns.rdatatype.to_text(rdtype)))
    return found


def _query_name(target: str, record_type: str) -> dns.name.Name:
    """The name asked about: for PTR an address may be given (192.0.2.1 → its in-addr.arpa)."""
    if record_type == "PTR" and is_ip(target):
        return dns.reversename.from_address(target)
    return dns.name.from_text(target)


def _nameservers(config: DnsConfig) -> list[str]:
    if config.resolver:
        return [config.resolver]
    # Read per check (a small file), so a changed resolv.conf is followed.
    return [str(server) for server in dns.resolver.Resolver().nameservers]


async def _query(
    query: dns.message.Message, servers: list[str], port: int, seconds: float
) -> dns.message.Message:
    """The first answer from the servers, tried in order (each guarded like any socket).
    Each gets an equal share of 90% of the check's time, so its own error comes before the
    check's timeout."""
    failure: Exception = OSError("no DNS resolver is configured")
    wait = seconds * 0.9 / max(1, len(servers))
    for server in servers:
        try:
            response, _ = await dns.asyncquery.udp_with_fallback(
                query, server, timeout=wait, port=port
            )
            return response
        except dns.exception.Timeout:
            # A closed UDP port looks the same: asyncio drops the ICMP error.
            failure = OSError(f"no answer from {server} port {port} within {wait:.2g} s")
        except (OSError, dns.exception.DNSException) as exc:
            failure = exc
    raise failure


def _failure(config: DnsConfig, rcode: str, answers: list[str]) -> str | None:
    if rcode != config.expected_rcode:
        return f"rcode {rcode} (expected {config.expected_rcode})"
    if config.expected_rcode != "NOERROR":
        return None
    if not answers:
        return f"no {config.record_type} records"
    missing = [
        value
        for value in config.expected_values
        if _normal(value, config.record_type) not in answers
    ]
    if missing:
        return f"{missing[0]!r} is not among the answers ({', '.join(answers)[:200]})"
    return None


@register
class DnsCheck(HostCheck):
    type = "dns"
    title = "DNS"
    target_label = "Name"
    Config = DnsConfig

    async def run(self, target: Target, ctx: CheckContext) -> CheckResult:
        config: DnsConfig = target.config
        rdtype = dns.rdatatype.from_text(config.record_type)
        started = time.perf_counter()
        try:
            name = _query_name(target.target, config.record_type)
            servers = _nameservers(config)
            query = dns.message.make_query(name, rdtype)
            response = await _query(query, servers, config.port, target.timeout)
        except (OSError, dns.exception.DNSException) as exc:
            return CheckResult(ok=False, error=describe_error(exc))
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        rcode = dns.rcode.to_text(response.rcode())
        answers = _answers(response, rdtype)
        kept = [answer[:300] for answer in answers[:MAX_ANSWERS_KEPT]]
        details: dict[str, Any] = {"rcode": rcode, "answers": kept}
        error = _failure(config, rcode, answers)
        return CheckResult(ok=error is None, error=error, response_ms=elapsed, details=details)
