"""HTTP for notification channels, through the outbound guard (core/outbound.py).

Channel URLs are chosen by users; the rules for where they may point, and the socket-level
enforcement that covers every channel whatever its protocol, live in core.outbound. This
module gives channels a guarded HTTP client, maps refusals and receiver answers to
DeliveryError, and keeps secrets out of the reasons.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import httpx
import orjson
from pydantic import SecretStr, field_validator

from alert_service.channels.base import ChannelConfig, DeliveryError, SendContext
from alert_service.config import AlertSettings
from core import outbound

_EXCERPT = 200


async def resolve_and_check(host: str, port: int, allow_private: bool) -> list[str]:
    """The addresses `host` resolves to; DeliveryError when any of them is refused."""
    try:
        return await outbound.resolve_checked(host, port, allow_private)
    except outbound.OutboundRefused as exc:
        raise DeliveryError(exc.reason, retryable=False) from exc
    except (OSError, UnicodeError) as exc:
        # DNS hiccups pass; a name that never resolves ends in the retry limit.
        raise DeliveryError(f"cannot resolve {host.strip('[]')}: {exc}", retryable=True) from exc


def create_outbound_client(settings: AlertSettings) -> httpx.AsyncClient:
    """The HTTP client channels send through (SendContext.http)."""
    return httpx.AsyncClient(
        transport=outbound.GuardedTransport(settings.outbound_allow_private),
        timeout=httpx.Timeout(settings.delivery_timeout_seconds),
        follow_redirects=False,
        # A proxy from the environment would bypass the per-request address check.
        trust_env=False,
        headers={"User-Agent": "StatusMonitor-Alerts/1"},
    )


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every secret value replaced, for reasons and logs."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return text


def _excerpt(response: httpx.Response) -> str:
    body = " ".join(response.text[: _EXCERPT * 2].split())
    return body[:_EXCERPT] or "(empty body)"


def raise_for_delivery(response: httpx.Response, target: str) -> None:
    """Maps a receiver's answer to success or a DeliveryError naming status and body."""
    status = response.status_code
    if 200 <= status < 300:
        return
    if 300 <= status < 400:
        raise DeliveryError(
            f"{target} answered HTTP {status} (redirects are not followed: use the final URL)",
            retryable=False,
        )
    # 408/429 and 5xx are the receiver's temporary trouble; other 4xx will not change.
    retryable = status >= 500 or status in (408, 429)
    raise DeliveryError(
        f"{target} answered HTTP {status}: {_excerpt(response)}", retryable=retryable
    )


async def post(
    ctx: SendContext,
    url: str,
    *,
    target: str,
    content: bytes,
    headers: dict[str, str],
    secrets: Iterable[str | None] = (),
) -> httpx.Response:
    """POSTs through the guard within the delivery timeout; errors become DeliveryError
    whose reason has `secrets` (e.g. a webhook URL holding a token) redacted."""
    hidden = [url, *secrets]
    try:
        async with asyncio.timeout(ctx.settings.delivery_timeout_seconds):
            response = await ctx.http.post(url, content=content, headers=headers)
        raise_for_delivery(response, target)
    except DeliveryError as exc:
        exc.reason = redact(exc.reason, hidden)
        exc.args = (exc.reason,)
        raise
    except outbound.OutboundRefused as exc:
        raise DeliveryError(redact(exc.reason, hidden), retryable=False) from exc
    except (TimeoutError, httpx.TimeoutException) as exc:
        timeout = ctx.settings.delivery_timeout_seconds
        raise DeliveryError(f"{target} gave no answer within {timeout:g} s") from exc
    except httpx.HTTPError as exc:
        detail = redact(str(exc) or type(exc).__name__, hidden)
        raise DeliveryError(f"could not reach {target}: {detail}") from exc
    return response


class IncomingWebhookConfig(ChannelConfig):
    """A chat service's incoming-webhook URL (Slack, Discord). The URL is the credential:
    anyone holding it can post, so it is a secret (stored encrypted, never returned,
    redacted from delivery errors)."""

    webhook_url: SecretStr

    @field_validator("webhook_url")
    @classmethod
    def _url(cls, value: SecretStr) -> SecretStr:
        return SecretStr(outbound.validate_http_url(value.get_secret_value()))


async def post_json(
    ctx: SendContext, config: IncomingWebhookConfig, *, target: str, body: object
) -> httpx.Response:
    """POSTs `body` as JSON to the configured incoming webhook (see post)."""
    return await post(
        ctx,
        config.webhook_url.get_secret_value(),
        target=target,
        content=orjson.dumps(body),
        headers={"Content-Type": "application/json"},
    )
