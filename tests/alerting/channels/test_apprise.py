"""Apprise, through its json:// plugin against a local recording server, sent as deliveries
are (channels.deliver: under the outbound guard)."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest
from pydantic import SecretStr, ValidationError

from alert_service.channels import deliver, get_channel
from alert_service.channels.apprise import AppriseConfig
from alert_service.channels.base import DeliveryError
from harness.http_recorder import Recorder
from harness.sockets import udp_listener
from tests.alerting.channels.conftest import ContextFactory, make_note

apprise = get_channel("apprise")


def _url(recorder: Recorder, host: str = "127.0.0.1") -> str:
    return f"json://user:pw-secret@{host}:{recorder.port}/notify"


async def test_delivers_title_and_body(recorder: Recorder, make_ctx: ContextFactory) -> None:
    await deliver(apprise, AppriseConfig(url=_url(recorder)), make_note(), make_ctx())
    [request] = recorder.requests
    assert request.method == "POST" and request.path == "/notify"
    assert request.headers["authorization"].startswith("Basic ")
    body = request.json()
    assert body["title"] == "[CRITICAL] cpu > 90 on web-1"
    assert "Host: web-1" in body["message"] and "Value: 97.5" in body["message"]
    assert body["type"] == "failure"


async def test_resolved_is_success(recorder: Recorder, make_ctx: ContextFactory) -> None:
    await deliver(
        apprise, AppriseConfig(url=_url(recorder)), make_note(kind="resolved"), make_ctx()
    )
    assert recorder.requests[0].json()["type"] == "success"


async def test_failure_is_retryable_without_credentials_in_reason(
    recorder: Recorder, make_ctx: ContextFactory
) -> None:
    recorder.status["*"] = 500
    with pytest.raises(DeliveryError) as failed:
        await deliver(apprise, AppriseConfig(url=_url(recorder)), make_note(), make_ctx())
    assert failed.value.retryable and "json://" in failed.value.reason
    assert "pw-secret" not in failed.value.reason


async def test_internal_targets_need_the_switch(
    recorder: Recorder, make_ctx: ContextFactory
) -> None:
    config = AppriseConfig(url=_url(recorder, host="localhost"))
    with pytest.raises(DeliveryError) as refused:
        await deliver(apprise, config, make_note(), make_ctx(outbound_allow_private=False))
    assert not refused.value.retryable and "loopback" in refused.value.reason
    assert recorder.requests == []
    with pytest.raises(ValidationError, match="forbidden address"):
        AppriseConfig(url="json://169.254.169.254/latest")
    # Settings that skipped validation (written to the database directly) meet the guard.
    meta = AppriseConfig.model_construct(url=SecretStr("json://169.254.169.254/latest"))
    with pytest.raises(DeliveryError, match="link-local"):
        await deliver(apprise, meta, make_note(), make_ctx(outbound_allow_private=True))


@pytest.mark.parametrize(
    "url", ["nonsense://user:passw0rd@host/x", "not a url", "json://user:passw0rd@"]
)
def test_unparseable_url_refused_without_echoing_it(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ValidationError) as invalid:
        AppriseConfig(url=url)
    [error] = invalid.value.errors()
    assert error["loc"] == ("url",) and "Apprise cannot use this URL" in error["msg"]
    assert "passw0rd" not in error["msg"] and "passw0rd" not in caplog.text


@pytest.mark.parametrize("scheme", ["hassio", "signal"])
async def test_every_plugin_connects_only_where_the_guard_allows(
    recorder: Recorder, make_ctx: ContextFactory, scheme: str
) -> None:
    """Home Assistant and Signal are self-hosted services that no pre-check knows about: the
    guard still stops them at connection time, and lets them through when allowed."""
    url = {
        "hassio": f"hassio://127.0.0.1:{recorder.port}/long-lived-token-secret",
        "signal": f"signal://127.0.0.1:{recorder.port}/+12345678901/+12345678902",
    }[scheme]
    config = AppriseConfig(url=url)
    with pytest.raises(DeliveryError) as refused:
        await deliver(apprise, config, make_note(), make_ctx(outbound_allow_private=False))
    assert not refused.value.retryable
    assert "refused to connect to 127.0.0.1" in refused.value.reason
    assert "loopback" in refused.value.reason and "token-secret" not in refused.value.reason
    assert recorder.requests == []
    await deliver(apprise, config, make_note(), make_ctx(outbound_allow_private=True))
    assert len(recorder.requests) == 1


@pytest.fixture
def syslog_listener() -> Iterator[socket.socket]:
    """A local rsyslog server: one UDP socket that keeps what arrives."""
    with udp_listener() as server:
        yield server


async def test_rsyslog_over_udp_is_guarded_at_the_socket(
    syslog_listener: socket.socket, make_ctx: ContextFactory
) -> None:
    """rsyslog:// sends one UDP datagram from its own socket, which no HTTP check sees."""
    port = syslog_listener.getsockname()[1]
    config = AppriseConfig(url=f"rsyslog://127.0.0.1:{port}/local0")
    with pytest.raises(DeliveryError) as refused:
        await deliver(apprise, config, make_note(), make_ctx(outbound_allow_private=False))
    assert not refused.value.retryable and "loopback" in refused.value.reason
    await deliver(apprise, config, make_note(), make_ctx(outbound_allow_private=True))
    datagram, _ = syslog_listener.recvfrom(65536)
    assert b"cpu > 90 on web-1" in datagram  # the only datagram: the refused one never left


async def test_rsyslog_by_host_name_is_refused(
    syslog_listener: socket.socket, make_ctx: ContextFactory
) -> None:
    """The plugin hands the name to the socket, which resolves it past any check: refused."""
    port = syslog_listener.getsockname()[1]
    config = AppriseConfig(url=f"rsyslog://localhost:{port}/local0")
    with pytest.raises(DeliveryError, match="unresolved"):
        await deliver(apprise, config, make_note(), make_ctx(outbound_allow_private=True))


async def test_irc_to_an_internal_server_never_connects(make_ctx: ContextFactory) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0.5)
        config = AppriseConfig(url=f"irc://bot@127.0.0.1:{server.getsockname()[1]}/#ops")
        with pytest.raises(DeliveryError) as refused:
            await deliver(apprise, config, make_note(), make_ctx(outbound_allow_private=False))
        assert "refused to connect to 127.0.0.1" in refused.value.reason
        with pytest.raises(TimeoutError):
            server.accept()


def test_plugins_the_guard_cannot_see_are_not_offered() -> None:
    """Local syslog writes through the C library to /dev/log, past any socket check."""
    with pytest.raises(ValidationError, match="syslog:// is not offered"):
        AppriseConfig(url="syslog://")
