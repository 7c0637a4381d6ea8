"""TCP port: the port accepts a connection, and optionally completes a TLS handshake."""

from __future__ import annotations

import time

from pydantic import Field

from probe_service.checks._context import tls_contexts
from probe_service.checks._net import open_checked
from probe_service.checks._run import describe_error
from probe_service.checks.base import (
    CheckConfig,
    CheckContext,
    CheckResult,
    HostCheck,
    Target,
    register,
)


class TcpConfig(CheckConfig):
    port: int = Field(ge=1, le=65535)
    tls: bool = False  # also a TLS handshake (the certificate verified unless ignored)
    ignore_tls_errors: bool = False


@register
class TcpCheck(HostCheck):
    type = "tcp"
    title = "TCP port"
    target_label = "Host"
    Config = TcpConfig

    async def run(self, target: Target, ctx: CheckContext) -> CheckResult:
        config: TcpConfig = target.config
        tls = None
        if config.tls:
            contexts = tls_contexts(ctx.extra_ca_file)
            tls = contexts.insecure if config.ignore_tls_errors else contexts.verify
        started = time.perf_counter()
        try:
            _, writer = await open_checked(target.target, config.port, ctx.allow_private, tls)
        except (OSError, UnicodeError) as exc:  # refused, unreachable, TLS failed, the guard
            return CheckResult(ok=False, error=describe_error(exc))
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        writer.close()
        details = {"port": config.port, "tls": config.tls}
        return CheckResult(ok=True, response_ms=elapsed, details=details)
