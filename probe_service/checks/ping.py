"""Ping: ICMP echo requests to a host, with packet loss and round-trip times (icmplib)."""

from __future__ import annotations

import os

from icmplib import async_ping
from icmplib.exceptions import ICMPLibError
from pydantic import Field

from core import outbound
from core.reports import (
    PING_PACKET_LOSS_PERCENT,
    PING_RTT_AVG_MS,
    PING_RTT_MAX_MS,
    PING_RTT_MIN_MS,
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

INTERVAL_SECONDS = 0.2  # between requests: a whole check stays well within its timeout
MAX_WAIT_SECONDS = 2.0  # for one reply


class PingConfig(CheckConfig):
    count: int = Field(default=3, ge=1, le=10)
    # Down when more packets are lost than this, and always when every one is; a loss within
    # it is up but degraded. 100 (the default) is ping's own verdict: up while any reply comes.
    packet_loss_max_percent: float = Field(default=100, ge=0, le=100)


def _reply_wait(timeout: float, count: int) -> float:
    """Seconds to wait for each reply so that all `count` fit in the check's timeout."""
    budget = timeout * 0.9 - INTERVAL_SECONDS * (count - 1)
    return max(0.1, min(MAX_WAIT_SECONDS, budget / count))


def verdict(loss: float, received: int, limit: float) -> tuple[bool, bool, str | None]:
    """(ok, degraded, error) for a loss in percent."""
    if received == 0:
        return False, False, "no reply (100% packet loss)"
    if loss > limit:
        return False, False, f"{loss:g}% packet loss (more than {limit:g}%)"
    if loss > 0:
        return True, True, f"{loss:g}% packet loss"
    return True, False, None


@register
class PingCheck(HostCheck):
    type = "ping"
    title = "Ping"
    target_label = "Host"
    Config = PingConfig

    async def run(self, target: Target, ctx: CheckContext) -> CheckResult:
        config: PingConfig = target.config
        try:
            # The name is resolved and checked here; icmplib gets the address.
            [address, *_] = await outbound.resolve_checked(target.target, 0, ctx.allow_private)
            # Raw sockets need root; otherwise the kernel's ICMP sockets, which need the
            # process's group in net.ipv4.ping_group_range.
            host = await async_ping(
                address,
                count=config.count,
                interval=INTERVAL_SECONDS,
                timeout=_reply_wait(target.timeout, config.count),
                privileged=os.geteuid() == 0,
            )
        except (OSError, UnicodeError) as exc:
            return CheckResult(ok=False, error=describe_error(exc))
        except ICMPLibError as exc:
            return CheckResult(ok=False, error=f"ping failed: {exc}")
        received = host.packets_received
        # Lost out of those asked for: icmplib counts a request it could not send as none.
        loss = round(100 * (config.count - received) / config.count, 1)
        ok, degraded, error = verdict(loss, received, config.packet_loss_max_percent)
        metrics = {PING_PACKET_LOSS_PERCENT: loss}
        if received:
            metrics |= {
                PING_RTT_MIN_MS: host.min_rtt,
                PING_RTT_AVG_MS: host.avg_rtt,
                PING_RTT_MAX_MS: host.max_rtt,
            }
        return CheckResult(
            ok=ok,
            degraded=degraded,
            error=error,
            response_ms=host.avg_rtt if received else None,
            metrics=metrics,
            details={"address": address, "sent": config.count, "received": received},
        )
