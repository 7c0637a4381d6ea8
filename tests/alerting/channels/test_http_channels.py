"""Slack, Discord and generic webhooks against a local recording server."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import UTC, datetime
from email.utils import format_datetime

import msgspec
import pytest
from pydantic import ValidationError

from alert_service.channels import CHANNELS, get_channel, secret_fields
from alert_service.channels.base import DeliveryError, RateLimited
from alert_service.channels.discord import DiscordConfig
from alert_service.channels.slack import SlackConfig
from alert_service.channels.webhook import WebhookConfig
from core.notifications import Notification
from core.typed_config import describe_errors
from harness.http_recorder import Recorder
from tests.alerting.channels.conftest import ContextFactory, make_note

slack = get_channel("slack")
discord = get_channel("discord")
webhook = get_channel("webhook")
SLACK_PATH = "/services/T000/B000/sEcReTtOkEn123"


def test_every_channel_is_registered_with_its_secrets() -> None:
    assert {t: secret_fields(c.Config) for t, c in CHANNELS.items()} == {
        "telegram": {"bot_token"},
        "email": {"password"},
        "slack": {"webhook_url"},
        "discord": {"webhook_url"},
        "webhook": {"secret", "secret_headers"},
        "apprise": {"url"},
    }


async def test_slack_posts_colored_attachment_with_fields(
    recorder: Recorder, make_ctx: ContextFactory
) -> None:
    note = make_note(fields={"host": "<!channel>", "value": "97.5", "threshold": "90"})
    await slack.send(SlackConfig(webhook_url=recorder.url(SLACK_PATH)), note, make_ctx())
    [request] = recorder.requests
    assert request.path == SLACK_PATH
    assert request.headers["content-type"] == "application/json"
    body = request.json()
    assert body["text"] == "🔴 [CRITICAL] cpu &gt; 90 on web-1"
    [attachment] = body["attachments"]
    assert attachment["color"] == "#d92d20"
    assert attachment["title_link"] == "http://localhost:8080/alerts/17"
    # A host name cannot mention @channel: Slack's control characters are escaped.
    assert attachment["fields"] == [
        {"title": "Host", "value": "&lt;!channel&gt;", "short": True},
        {"title": "Value", "value": "97.5", "short": True},
        {"title": "Threshold", "value": "90", "short": True},
    ]


async def test_slack_resolved_is_green_and_text_only_message_shows_text(
    recorder: Recorder, make_ctx: ContextFactory
) -> None:
    config = SlackConfig(webhook_url=recorder.url(SLACK_PATH))
    await slack.send(config, make_note(kind="resolved"), make_ctx())
    await slack.send(
        config, make_note(kind="test", fields={}, text="Test from StatusMonitor"), make_ctx()
    )
    resolved, test = (r.json()["attachments"][0] for r in recorder.requests)
    assert resolved["color"] == "#12b76a"
    assert test["text"] == "Test from StatusMonitor" and test["fields"] == []


async def test_slack_errors_hide_the_webhook_url(
    recorder: Recorder, make_ctx: ContextFactory
) -> None:
    recorder.status["*"], recorder.reply["*"] = 404, b"no_service"
    config = SlackConfig(webhook_url=recorder.url(SLACK_PATH))
    with pytest.raises(DeliveryError) as failed:
        await slack.send(config, make_note(), make_ctx())
    assert not failed.value.retryable
    assert failed.value.reason == "Slack answered HTTP 404: no_service"
    recorder.status["*"] = 500
    with pytest.raises(DeliveryError) as failed:
        await slack.send(config, make_note(), make_ctx())
    assert failed.value.retryable and "500" in failed.value.reason
    with pytest.raises(DeliveryError) as refused:
        await slack.send(config, make_note(), make_ctx(outbound_allow_private=False))
    assert "sEcReTtOkEn123" not in refused.value.reason and not refused.value.retryable


async def test_discord_posts_embed_without_mentions(
    recorder: Recorder, make_ctx: ContextFactory
) -> None:
    recorder.status["*"], recorder.reply["*"] = 204, b""
    await discord.send(
        DiscordConfig(webhook_url=recorder.url("/api/webhooks/1/tok")),
        make_note(severity="warning"),
        make_ctx(),
    )
    body = recorder.requests[0].json()
    assert body["content"] == "🟠 [CRITICAL] cpu > 90 on web-1"
    assert body["allowed_mentions"] == {"parse": []}
    [embed] = body["embeds"]
    assert embed["title"] == "[CRITICAL] cpu > 90 on web-1"
    assert embed["color"] == 0xF79009 and embed["url"] == "http://localhost:8080/alerts/17"
    assert embed["timestamp"] == "2025-01-01T12:00:00+00:00"
    assert {f["name"]: f["value"] for f in embed["fields"]} == {
        "Host": "web-1",
        "Metric": "cpu",
        "Value": "97.5",
        "Threshold": "90",
        "Condition": "gt",
        "Started": "2025-01-01 12:00 UTC",
    }


async def test_discord_rate_limit_is_retryable(
    recorder: Recorder, make_ctx: ContextFactory
) -> None:
    recorder.status["*"], recorder.reply["*"] = 429, b'{"message": "You are being rate limited."}'
    with pytest.raises(DeliveryError) as failed:
        await discord.send(
            DiscordConfig(webhook_url=recorder.url("/api/webhooks/1/tok")), make_note(), make_ctx()
        )
    assert failed.value.retryable and "rate limited" in failed.value.reason
    assert "/tok" not in failed.value.reason


async def test_discord_429_says_how_long_to_wait(
    recorder: Recorder, make_ctx: ContextFactory
) -> None:
    recorder.status["*"] = 429
    recorder.reply["*"] = b'{"message": "You are being rate limited.", "retry_after": 1.5}'
    recorder.headers["Retry-After"] = "2"  # rounded up; the body's value is the precise one
    with pytest.raises(RateLimited) as limited:
        await discord.send(
            DiscordConfig(webhook_url=recorder.url("/api/webhooks/1/tok")), make_note(), make_ctx()
        )
    assert limited.value.retry_after == 1.5 and "/tok" not in limited.value.reason


async def test_discord_used_up_allowance_asks_for_a_pause(
    recorder: Recorder, make_ctx: ContextFactory
) -> None:
    config = DiscordConfig(webhook_url=recorder.url("/api/webhooks/1/tok"))
    recorder.headers |= {"X-RateLimit-Remaining": "1", "X-RateLimit-Reset-After": "0.8"}
    assert await discord.send(config, make_note(), make_ctx()) is None
    recorder.headers |= {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "0.8"}
    assert await discord.send(config, make_note(), make_ctx()) == 0.8


@pytest.mark.parametrize(
    ("retry_after", "seconds"),
    [("3", 3.0), (format_datetime(datetime(2000, 1, 1, tzinfo=UTC), usegmt=True), 0.0)],
)
async def test_slack_and_webhook_429_retry_after_is_honoured(
    recorder: Recorder, make_ctx: ContextFactory, retry_after: str, seconds: float
) -> None:
    recorder.status["*"], recorder.reply["*"] = 429, b"rate_limited"
    recorder.headers["Retry-After"] = retry_after
    with pytest.raises(RateLimited) as limited:
        await slack.send(SlackConfig(webhook_url=recorder.url(SLACK_PATH)), make_note(), make_ctx())
    assert limited.value.retry_after == seconds and SLACK_PATH not in limited.value.reason
    with pytest.raises(RateLimited) as limited:
        await webhook.send(WebhookConfig(url=recorder.url()), make_note(), make_ctx())
    assert limited.value.retry_after == seconds


def test_chat_services_are_paced_to_their_rate_limits() -> None:
    slack_config = SlackConfig(webhook_url="https://hooks.slack.com/services/T/B/x")
    assert slack.pace(slack_config) == 1.0
    assert discord.pace(DiscordConfig(webhook_url="https://discord.com/api/webhooks/1/t")) == 2.0
    assert webhook.pace(WebhookConfig(url="https://example.com/hook")) == 0.0


@pytest.mark.parametrize("model", [SlackConfig, DiscordConfig])
@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data", "file:///etc/passwd", "hooks.slack.com"]
)
def test_webhook_urls_validated(model: type[SlackConfig | DiscordConfig], url: str) -> None:
    with pytest.raises(ValidationError, match="webhook_url"):
        model(webhook_url=url)


async def test_webhook_posts_the_notification_signed(
    recorder: Recorder, make_ctx: ContextFactory
) -> None:
    config = WebhookConfig(
        url=recorder.url("/in?src=sm"),
        secret="s3cret-value",
        headers={"X-Team": "ops"},
        secret_headers="Authorization: Bearer abc\n\nX-Api-Key:  k-123 ",
    )
    note = make_note()
    before = int(time.time())
    await webhook.send(config, note, make_ctx())
    [request] = recorder.requests
    assert request.path == "/in?src=sm"
    assert msgspec.json.decode(request.body, type=Notification) == note
    headers = request.headers
    assert headers["content-type"] == "application/json"
    assert headers["x-statusmonitor-event"] == "firing"
    assert headers["x-statusmonitor-delivery"] == "alert:17:firing"
    assert headers["authorization"] == "Bearer abc" and headers["x-team"] == "ops"
    assert headers["x-api-key"] == "k-123"
    timestamp = headers["x-statusmonitor-timestamp"]
    assert before <= int(timestamp) <= time.time()
    expected = hmac.new(b"s3cret-value", timestamp.encode() + b"." + request.body, hashlib.sha256)
    assert headers["x-statusmonitor-signature"] == "sha256=" + expected.hexdigest()


async def test_webhook_without_secret_is_unsigned(
    recorder: Recorder, make_ctx: ContextFactory
) -> None:
    await webhook.send(WebhookConfig(url=recorder.url()), make_note(kind="test"), make_ctx())
    headers = recorder.requests[0].headers
    assert headers["x-statusmonitor-event"] == "test"
    assert "x-statusmonitor-signature" not in headers


@pytest.mark.parametrize(
    ("status", "retryable"),
    [
        (500, True),
        (503, True),
        (408, True),
        (429, True),
        (400, False),
        (404, False),
        (410, False),
        (301, False),
    ],
)
async def test_webhook_answers_classified_with_status_and_excerpt(
    recorder: Recorder, make_ctx: ContextFactory, status: int, retryable: bool
) -> None:
    recorder.status["*"], recorder.reply["*"] = status, b"receiver says\n  no " + b"x" * 500
    config = WebhookConfig(url=recorder.url(), secret="s3cret-value")
    with pytest.raises(DeliveryError) as failed:
        await webhook.send(config, make_note(), make_ctx())
    assert failed.value.retryable is retryable
    assert f"HTTP {status}" in failed.value.reason
    if status < 300 or status >= 400:
        assert "receiver says no xxx" in failed.value.reason and len(failed.value.reason) < 300
    assert "s3cret-value" not in failed.value.reason


async def test_hanging_receiver_times_out_as_retryable(
    recorder: Recorder, make_ctx: ContextFactory
) -> None:
    recorder.delay["*"] = 30
    ctx = make_ctx(delivery_timeout_seconds=0.5)
    started = time.monotonic()
    with pytest.raises(DeliveryError) as failed:
        await webhook.send(WebhookConfig(url=recorder.url()), make_note(), ctx)
    assert time.monotonic() - started < 1.5
    assert failed.value.retryable and "no answer within 0.5 s" in failed.value.reason


async def test_webhook_to_loopback_needs_the_switch(
    recorder: Recorder, make_ctx: ContextFactory
) -> None:
    config = WebhookConfig(url=recorder.url(host="localhost"))
    with pytest.raises(DeliveryError) as refused:
        await webhook.send(config, make_note(), make_ctx(outbound_allow_private=False))
    assert not refused.value.retryable and "ALERT_OUTBOUND_ALLOW_PRIVATE" in refused.value.reason
    assert recorder.requests == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "evil.example"},
        {"content-length": "1"},
        {"X-StatusMonitor-Signature": "sha256=forged"},
        {"Bad Header": "x"},
        {"X-Ok": "line\r\nInjected: yes"},
        {f"X-H{i}": "v" for i in range(21)},
    ],
)
def test_webhook_header_rules(headers: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="headers"):
        WebhookConfig(url="https://example.com/hook", headers=headers)


def test_webhook_url_validated() -> None:
    with pytest.raises(ValidationError, match="forbidden address"):
        WebhookConfig(url="http://[fe80::1]/hook")


@pytest.mark.parametrize(
    "lines",
    ["Authorization Bearer abc", "Host: evil.example", "X-StatusMonitor-Event: forged"],
)
def test_secret_header_rules_never_echo_the_value(lines: str) -> None:
    with pytest.raises(ValidationError, match="header") as refused:
        WebhookConfig(url="https://example.com/hook", secret_headers=lines)
    shown = describe_errors(refused.value)  # what the API answers
    assert "header" in shown and "abc" not in shown and "evil" not in shown
