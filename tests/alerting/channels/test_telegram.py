"""Telegram against a fake Bot API: the exact request, and how its errors are classified."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from alert_service.channels import deliver, get_channel
from alert_service.channels.base import DeliveryError
from alert_service.channels.telegram import TelegramConfig
from tests.alerting.channels.conftest import ContextFactory, TelegramApi, make_note

TOKEN = "123456:global-TOKEN_abc"
telegram = get_channel("telegram")


async def test_sends_html_message_to_the_chat(
    telegram_api: TelegramApi, make_ctx: ContextFactory
) -> None:
    ctx = make_ctx(telegram_api_url=telegram_api.url, telegram_bot_token=TOKEN)
    note = make_note(
        fields={
            "host": "<web&1>",
            "metric": "cpu",
            "value": "97.5",
            "threshold": "90",
            "started": "2025-01-01 12:00 UTC",
        }
    )
    await telegram.send(TelegramConfig(chat_id="-100200300"), note, ctx)
    [request] = telegram_api.recorder.requests
    assert request.method == "POST" and request.path == f"/bot{TOKEN}/sendMessage"
    form = request.form()
    assert form["chat_id"] == "-100200300" and form["parse_mode"] == "HTML"
    text = form["text"]
    assert text.startswith("🔴 <b>[CRITICAL] cpu &gt; 90 on web-1</b>")
    # User-controlled values are escaped, so a host name cannot break the HTML.
    assert "<b>Host:</b> &lt;web&amp;1&gt;" in text
    assert "<b>Value:</b> 97.5" in text and "<b>Threshold:</b> 90" in text
    assert "<b>Started:</b> 2025-01-01 12:00 UTC" in text
    assert '<a href="http://localhost:8080/alerts/17">' in text
    assert json.loads(form["link_preview_options"]) == {"is_disabled": True}


async def test_channel_token_overrides_the_global_one(
    telegram_api: TelegramApi, make_ctx: ContextFactory
) -> None:
    ctx = make_ctx(telegram_api_url=telegram_api.url + "/", telegram_bot_token=TOKEN)
    config = TelegramConfig(chat_id="@ops_alerts", bot_token="999:own-token")
    await telegram.send(config, make_note(kind="resolved"), ctx)
    [request] = telegram_api.recorder.requests
    assert request.path == "/bot999:own-token/sendMessage"
    assert request.form()["chat_id"] == "@ops_alerts"
    assert request.form()["text"].startswith("✅")


async def test_no_token_anywhere_is_a_configuration_error(
    telegram_api: TelegramApi, make_ctx: ContextFactory
) -> None:
    ctx = make_ctx(telegram_api_url=telegram_api.url, telegram_bot_token=None)
    with pytest.raises(DeliveryError) as failed:
        await telegram.send(TelegramConfig(chat_id="42"), make_note(), ctx)
    assert not failed.value.retryable and "TELEGRAM_BOT_TOKEN" in failed.value.reason
    assert telegram_api.recorder.requests == []


@pytest.mark.parametrize(
    ("answer", "retryable", "says"),
    [
        ("forbidden", False, "bot was blocked"),
        ("chat_not_found", False, "Chat not found"),
        ("server_error", True, "Internal Server Error"),
        ("retry_after", True, "7"),
    ],
)
async def test_api_errors_are_classified(
    telegram_api: TelegramApi,
    make_ctx: ContextFactory,
    answer: str,
    retryable: bool,
    says: str,
) -> None:
    telegram_api.answer(answer)
    ctx = make_ctx(telegram_api_url=telegram_api.url, telegram_bot_token=TOKEN)
    with pytest.raises(DeliveryError) as failed:
        await telegram.send(TelegramConfig(chat_id="42"), make_note(), ctx)
    assert failed.value.retryable is retryable and says in failed.value.reason
    assert TOKEN not in failed.value.reason


async def test_unreachable_api_is_retryable_and_hides_the_token(make_ctx: ContextFactory) -> None:
    from core.dev.datastores import free_port

    ctx = make_ctx(telegram_api_url=f"http://127.0.0.1:{free_port()}", telegram_bot_token=TOKEN)
    with pytest.raises(DeliveryError) as failed:
        await telegram.send(TelegramConfig(chat_id="42"), make_note(), ctx)
    assert failed.value.retryable and TOKEN not in failed.value.reason


@pytest.mark.parametrize("chat_id", ["", "abc", "@x", "12 34", "-"])
def test_bad_chat_ids_refused(chat_id: str) -> None:
    with pytest.raises(ValidationError, match="chat_id"):
        TelegramConfig(chat_id=chat_id)


async def test_the_operators_bot_api_url_is_not_guarded(
    telegram_api: TelegramApi, make_ctx: ContextFactory
) -> None:
    """TELEGRAM_API_URL is the operator's (a local Bot API server): reached with private
    targets refused, as the delivery worker sends (under the outbound guard)."""
    ctx = make_ctx(
        telegram_api_url=telegram_api.url, telegram_bot_token=TOKEN, outbound_allow_private=False
    )
    await deliver(telegram, TelegramConfig(chat_id="42"), make_note(), ctx)
    assert len(telegram_api.recorder.requests) == 1
