"""Slack (Device Monitoring Backend): a message through an incoming webhook.

The webhook URL is the credential (anyone holding it can post), so it is a secret: stored
encrypted, never returned, and redacted from delivery errors.

Rate limit: about one message a second per incoming webhook; past that Slack answers 429 with
Retry-After, which outbound.raise_for_delivery turns into RateLimited.
"""

from __future__ import annotations

from alert_service.channels import _format
from alert_service.channels.base import (
    Channel,
    SendContext,
    register,
)
from alert_service.channels.outbound import IncomingWebhookConfig, post_json
from core.notifications import Notification

_MAX_TEXT = 3000


class SlackConfig(IncomingWebhookConfig):
    pass  # the webhook URL is all it takes


def _escape(text: str) -> str:
    # Slack's mrkdwn treats <...> as links and mentions (<!channel>): escape as documented.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def payload(note: Notification) -> dict[str, object]:
    rows = _format.details(note)
    attachment: dict[str, object] = {
        "color": _format.hex_color(note),
        "title": _escape(note.title),
        "fields": [{"title": _escape(k), "value": _escape(v), "short": True} for k, v in rows],
        "footer": "StatusMonitor",
    }
    if not rows:
        attachment["text"] = _escape(_format.truncate(note.text, _MAX_TEXT))
    if note.link:
        attachment["title_link"] = note.link
    if note.created > 0:
        attachment["ts"] = int(note.created)
    # `text` is what notifications and screen readers show.
    return {"text": f"{_format.emoji(note)} {_escape(note.title)}", "attachments": [attachment]}


@register
class SlackChannel(Channel):
    type = "slack"
    label = "Slack"
    Config = SlackConfig
    min_interval = 1.0

    async def send(self, config: SlackConfig, note: Notification, ctx: SendContext) -> None:
        await post_json(ctx, config, target="Slack", body=payload(note))
