"""The tls monitor type: certificate chain, host name and expiry with warning days."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.dev.datastores import free_port
from probe_service.checks import CheckContext
from probe_service.checks._context import check_context
from probe_service.checks.tls import TlsConfig
from tests.probe.conftest import WebServers
from tests.probe.running import check, check_unvalidated


async def test_a_valid_certificate_is_up_with_its_days_left(
    web: WebServers, ctx: CheckContext
) -> None:
    result = await check("tls", "localhost", ctx, port=web.port("valid"))
    assert result.ok and not result.degraded and result.error is None
    assert result.metrics == {"cert_days_left": 59.0}
    assert result.details["subject"] == "CN=localhost"
    assert result.details["issuer"] == "CN=StatusMonitor Test CA"
    assert result.details["not_after"].endswith("+00:00")
    assert result.response_ms is not None and result.response_ms > 0


async def test_a_certificate_near_expiry_is_up_but_degraded(
    web: WebServers, ctx: CheckContext
) -> None:
    result = await check("tls", "localhost", ctx, port=web.port("expiring"))
    assert result.ok and result.degraded
    assert result.error == "certificate expires in 5 days (warning at 7)"
    assert result.metrics == {"cert_days_left": 5.0}


@pytest.mark.parametrize(
    ("warning_days", "error"),
    [
        ([3], None),
        ([5], "certificate expires in 5 days (warning at 5)"),
        ([60, 10], "certificate expires in 5 days (warning at 10)"),
    ],
)
async def test_warning_days_are_per_monitor(
    web: WebServers, ctx: CheckContext, warning_days: list[int], error: str | None
) -> None:
    result = await check(
        "tls", "localhost", ctx, port=web.port("expiring"), warning_days=warning_days
    )
    assert result.ok and result.error == error and result.degraded is (error is not None)


async def test_an_expired_certificate_is_down(web: WebServers, ctx: CheckContext) -> None:
    result = await check("tls", "localhost", ctx, port=web.port("expired"))
    assert not result.ok and not result.degraded
    assert result.error == "certificate is not valid: certificate has expired"
    assert result.metrics == {"cert_days_left": -1.0}  # read again without verifying
    assert result.details["subject"] == "CN=localhost"


async def test_a_certificate_for_another_host_is_down_unless_the_name_is_not_checked(
    web: WebServers, ctx: CheckContext
) -> None:
    result = await check("tls", "localhost", ctx, port=web.port("wrong_host"))
    assert not result.ok and result.error is not None
    assert result.error.startswith("certificate is not valid: Hostname mismatch")
    assert result.details["subject"] == "CN=wrong.example"

    chain_only = await check(
        "tls", "localhost", ctx, port=web.port("wrong_host"), check_hostname=False
    )
    assert chain_only.ok, chain_only.error


async def test_a_certificate_from_an_unknown_ca_is_down(web: WebServers) -> None:
    async with check_context(allow_private=True) as system_trust_only:
        result = await check("tls", "localhost", system_trust_only, port=web.port("valid"))
    assert not result.ok and result.error is not None
    assert result.error.startswith("certificate is not valid: unable to get local issuer")
    assert result.metrics == {"cert_days_left": 59.0}


async def test_nothing_listening_is_down(ctx: CheckContext) -> None:
    result = await check("tls", "127.0.0.1", ctx, port=free_port())
    assert not result.ok and result.error == "connection refused"


async def test_loopback_is_refused_when_private_targets_are_not_allowed(
    web: WebServers, strict_ctx: CheckContext
) -> None:
    result = await check("tls", "localhost", strict_ctx, port=web.port("valid"))
    assert not result.ok and result.error is not None
    assert "loopback" in result.error


async def test_the_metadata_address_is_refused(ctx: CheckContext) -> None:
    result = await check_unvalidated("tls", "169.254.169.254", ctx)
    assert not result.ok and result.error is not None and "link-local" in result.error


@pytest.mark.parametrize(
    "config", [{"warning_days": []}, {"warning_days": [0]}, {"port": 0}, {"extra": 1}]
)
def test_configs_that_are_refused(config: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        TlsConfig.model_validate(config)


def test_defaults() -> None:
    assert TlsConfig() == TlsConfig(port=443, warning_days=[30, 14, 7], check_hostname=True)
