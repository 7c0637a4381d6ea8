"""The ping monitor type: ICMP echo to 127.0.0.1 (CI runs as root: raw sockets)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from probe_service.checks import CheckContext
from probe_service.checks.ping import PingConfig, verdict
from tests.probe.running import check, check_unvalidated


async def test_loopback_answers_every_ping(ctx: CheckContext) -> None:
    result = await check("ping", "127.0.0.1", ctx, count=3)
    assert result.ok and not result.degraded and result.error is None, result.error
    metrics = result.metrics
    assert metrics["ping_packet_loss_percent"] == 0
    rtt_min, rtt_avg, rtt_max = (metrics[f"ping_rtt_{kind}_ms"] for kind in ("min", "avg", "max"))
    assert 0 < rtt_min <= rtt_avg <= rtt_max
    assert result.response_ms == rtt_avg
    assert result.details == {"address": "127.0.0.1", "sent": 3, "received": 3}


async def test_a_name_is_resolved_and_its_address_pinged(ctx: CheckContext) -> None:
    result = await check("ping", "localhost", ctx, count=1)
    assert result.ok, result.error
    assert result.details["address"] in ("127.0.0.1", "::1")


async def test_a_host_that_never_answers_is_down(ctx: CheckContext) -> None:
    # TEST-NET-2 (documentation addresses): nothing answers there. (Not TEST-NET-1: some CI
    # sandboxes put their gateway at 192.0.2.1.)
    result = await check("ping", "198.51.100.7", ctx, seconds=1, count=2)
    assert not result.ok and result.error == "no reply (100% packet loss)"
    assert result.metrics == {"ping_packet_loss_percent": 100.0}
    assert result.response_ms is None


async def test_loopback_is_refused_when_private_targets_are_not_allowed(
    strict_ctx: CheckContext,
) -> None:
    result = await check("ping", "127.0.0.1", strict_ctx, count=1)
    assert not result.ok and result.error is not None and "loopback" in result.error


async def test_the_metadata_address_is_refused(ctx: CheckContext) -> None:
    result = await check_unvalidated("ping", "2852039166", ctx, count=1)
    assert not result.ok and result.error is not None and "link-local" in result.error


@pytest.mark.parametrize(
    ("loss", "received", "limit", "expected"),
    [
        (0, 3, 100, (True, False, None)),
        (33.3, 2, 100, (True, True, "33.3% packet loss")),
        (33.3, 2, 50, (True, True, "33.3% packet loss")),
        (66.7, 1, 50, (False, False, "66.7% packet loss (more than 50%)")),
        (10, 9, 0, (False, False, "10% packet loss (more than 0%)")),
        (100, 0, 100, (False, False, "no reply (100% packet loss)")),
    ],
)
def test_packet_loss_verdicts(
    loss: float, received: int, limit: float, expected: tuple[bool, bool, str | None]
) -> None:
    assert verdict(loss, received, limit) == expected


@pytest.mark.parametrize("config", [{"count": 0}, {"count": 11}, {"packet_loss_max_percent": 101}])
def test_configs_that_are_refused(config: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        PingConfig.model_validate(config)
