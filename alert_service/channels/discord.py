"""Discord: an embed posted through a channel webhook.

The webhook URL embeds its token, so it is a secret (stored encrypted, never returned,
redacted from delivery errors).
"""

from __future__ import annotations

import orjson
from pydantic import SecretStr, field_validator

from alert_service.channels import _format
from alert_service.channels.base import (
    Channel,
    ChannelConfig,
    SendContext,
    register,
)
from alert_service.channels.outbound import post, validate_url
from core.notifications import Notification

# Discord's documented embed limits: longer values make it refuse the whole message.
_MAX_CONTENT = 2000
_MAX_TITLE = 256
_MAX_DESCRIPTION = 4096
_MAX_FIELDS = 25
_MAX_FIELD_NAME = 256
_MAX_FIELD_VALUE = 1024


class DiscordConfig(ChannelConfig):
    webhook_url: SecretStr

    @field_validator("webhook_url")
    @classmethod
    def _url(cls, value: SecretStr) -> SecretStr:
        return SecretStr(validate_url(value.get_secret_value()))


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

    async def send(self, config: DiscordConfig, note: Notification, ctx: SendContext) -> None:
        await post(
            ctx,
            config.webhook_url.get_secret_value(),
            target="Discord",
            content=orjson.dumps(payload(note)),
            headers={"Content-Type": "application/json"},
        )
