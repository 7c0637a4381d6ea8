"""Discord: an embed posted through a channel webhook.

The webhook URL embeds its token, so it is a secret (stored encrypted, never returned,
redacted from delivery errors).

Rate limits: a webhook takes a few requests per couple of seconds and about 30 messages a
minute per Discord channel, hence one message every 2 s. A 429 says how long to wait (JSON
`retry_after`, honoured as RateLimited); a success that used up the allowance says so in
X-RateLimit-Remaining / X-RateLimit-Reset-After, and the next message waits that long.
"""

from __future__ import annotations

from alert_service.channels import _format, _ratelimit
from alert_service.channels.base import (
    Channel,
    SendContext,
    register,
)
from alert_service.channels.outbound import IncomingWebhookConfig, post_json
from core.notifications import Notification

# Discord's documented embed limits: longer values make it refuse the whole message.
_MAX_CONTENT = 2000
_MAX_TITLE = 256
_MAX_DESCRIPTION = 4096
_MAX_FIELDS = 25
_MAX_FIELD_NAME = 256
_MAX_FIELD_VALUE = 1024


class DiscordConfig(IncomingWebhookConfig):
    pass  # the webhook URL is all it takes


def payload(note: Notification) -> dict[str, object]:
    rows = _format.details(note)[:_MAX_FIELDS]
    embed: dict[str, object] = {
        "title": _format.truncate(note.title, _MAX_TITLE),
        "color": _format.color(note),
        "fields": [
            {
                "name": _format.truncate(k, _MAX_FIELD_NAME),
                "value": _format.truncate(v, _MAX_FIELD_VALUE),
                "inline": True,
            }
            for k, v in rows
        ],
        "footer": {"text": "StatusMonitor"},
    }
    if not rows:
        embed["description"] = _format.truncate(note.text, _MAX_DESCRIPTION)
    if note.link:
        embed["url"] = note.link
    when = _format.timestamp(note)
    if when:
        embed["timestamp"] = when.isoformat()
    return {
        "content": _format.truncate(f"{_format.emoji(note)} {note.title}", _MAX_CONTENT),
        "embeds": [embed],
        # A host named "@everyone" must not ping the whole server.
        "allowed_mentions": {"parse": []},
    }


@register
class DiscordChannel(Channel):
    type = "discord"
    label = "Discord"
    Config = DiscordConfig
    min_interval = 2.0

    async def send(
        self, config: DiscordConfig, note: Notification, ctx: SendContext
    ) -> float | None:
        response = await post_json(ctx, config, target="Discord", body=payload(note))
        return _ratelimit.exhausted_for(response.headers)
