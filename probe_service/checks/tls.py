"""TLS certificate: valid (chain, host name, dates) and not about to expire."""

from __future__ import annotations

import ssl
import time
from typing import Annotated, Any

from cryptography import x509
from pydantic import Field

from core.reports import CERT_DAYS_LEFT
from probe_service.checks._context import tls_contexts
from probe_service.checks._net import (
    days_left,
    describe_certificate,
    open_checked,
    peer_certificate,
)
from probe_service.checks._run import describe_error
from probe_service.checks.base import (
    CheckConfig,
    CheckContext,
    CheckResult,
    HostCheck,
    Target,
    register,
)

WarningDay = Annotated[int, Field(ge=1, le=3650)]


class TlsConfig(CheckConfig):
    port: int = Field(default=443, ge=1, le=65535)
    # Up but degraded from the largest of these days before expiry; alert rules on
    # cert_days_left can notify at each of them.
    warning_days: list[WarningDay] = Field(
        default_factory=lambda: [30, 14, 7], min_length=1, max_length=10
    )
    check_hostname: bool = True


async def _certificate(
    host: str, port: int, allow_private: bool, tls: ssl.SSLContext
) -> x509.Certificate | None:
    _, writer = await open_checked(host, port, allow_private, tls)
    try:
        return peer_certificate(writer.get_extra_info("ssl_object"))
    finally:
        writer.close()


def _warning(days: int, warning_days: list[int]) -> str | None:
    """ "certificate expires in 5 days (warning at 7)": the nearest warning day reached."""
    reached = [day for day in warning_days if days <= day]
    if not reached:
        return None
    return f"certificate expires in {days} days (warning at {min(reached)})"


@register
class TlsCheck(HostCheck):
    type = "tls"
    title = "TLS certificate"
    target_label = "Host"
    Config = TlsConfig

    async def run(self, target: Target, ctx: CheckContext) -> CheckResult:
        config: TlsConfig = target.config
        contexts = tls_contexts(ctx.extra_ca_file)
        verify = contexts.verify if config.check_hostname else contexts.verify_chain
        host, port, allow = target.target, config.port, ctx.allow_private
        started = time.perf_counter()
        invalid = None
        try:
            try:
                cert = await _certificate(host, port, allow, verify)
            except ssl.SSLCertVerificationError as exc:
                # Rejected: look again without verifying, for the dates and names to show.
                invalid = describe_error(exc)
                cert = await _certificate(host, port, allow, contexts.insecure)
        except (OSError, UnicodeError) as exc:
            return CheckResult(ok=False, error=invalid or describe_error(exc))
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        if cert is None:
            return CheckResult(ok=False, error=invalid or "the server sent no certificate")
        days = days_left(cert)
        details: dict[str, Any] = describe_certificate(cert)
        metrics = {CERT_DAYS_LEFT: float(days)}
        warning = None if invalid else _warning(days, config.warning_days)
        return CheckResult(
            ok=invalid is None,
            degraded=warning is not None,
            error=invalid or warning,
            response_ms=elapsed,
            metrics=metrics,
            details=details,
        )
