"""The `notifications` stream: one entry per (event, channel) to deliver.

The evaluator (and the test-notification endpoint and the daily summary) append here; the
delivery worker sends each entry through its channel with retries. `key` names the event
(e.g. "alert:17:firing"): together with the channel id it is the idempotency key, so an
entry appended twice (a replayed report, two evaluator replicas) is delivered once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any, Literal, TypeVar

import msgspec
from redis.asyncio import Redis

from core.models.alerting import EVENT_KEY_LENGTH
from core.streams import append_encoded

NOTIFICATIONS_STREAM = "notifications"
NOTIFICATION_FIELD = "n"

Kind = Literal["firing", "reminder", "resolved", "test", "summary"]


class GroupedAlert(msgspec.Struct, frozen=True, kw_only=True):
    """One alert named in a group message (for receivers that read JSON, like webhooks)."""

    alert_id: int | None = None
    title: str
    fields: dict[str, str] = {}


class Message(msgspec.Struct, frozen=True, kw_only=True):
    """What an event says, the same for every channel: an alert event's message waits in the
    outbox (alert_events.payload) as this, and each Notification starts as it."""

    kind: Kind
    severity: str  # info | warning | critical
    title: str  # one line, e.g. "[CRITICAL] cpu > 90 on web-1"
    text: str  # plain-text body (several lines)
    # What happened, for channels that lay it out themselves: host, metric, value,
    # threshold, condition, started, alert_id... (all strings, already formatted).
    fields: dict[str, str] = {}
    link: str | None = None  # the alert in the dashboard
    alert_id: int | None = None
    created: float = 0.0  # unix seconds when the event happened
    # Alert events: the rule (notifications are grouped by it) and what it watches, as a
    # group message's title says it ("Hosts offline", "cpu > 90.0 %").
    rule_id: int | None = None
    subject: str = ""


class Notification(Message, frozen=True, kw_only=True):
    """A message for one channel: an entry of the `notifications` stream, a row of the
    delivery log, what a channel sends (a webhook's body)."""

    key: str  # the event; (key, channel_id) is delivered at most once
    org_id: int
    channel_id: int
    # A group message: the alerts it names (its text lists them too).
    alerts: list[GroupedAlert] = []


M = TypeVar("M", bound=Message)


def addressed(message: Message, *, key: str, org_id: int, channel_id: int) -> Notification:
    """The notification of `message` for one channel."""
    content = msgspec.structs.asdict(message)
    return Notification(key=key, org_id=org_id, channel_id=channel_id, **content)


def to_payload(message: Message) -> dict[str, Any]:
    """For a JSON column: the outbox, the delivery log, notification group items."""
    return msgspec.to_builtins(message)  # type: ignore[no-any-return]


def from_payload(payload: dict[str, Any], kind: type[M]) -> M:
    """Back from a JSON column. Rows written before a field existed read with its default,
    so messages in flight during an upgrade are still sent."""
    return msgspec.convert(payload, kind)


def key_digest(text: str) -> str:
    """What stands in a key for a part too long to keep: "#" and the part's SHA-256 (65
    characters). Our keys never start a part with "#", so it names nothing else."""
    return "#" + hashlib.sha256(text.encode()).hexdigest()


def stored_key(key: str) -> str:
    """An event key as the delivery log stores it: itself when it fits the column (every key
    we build does), else its digest — never cut, which made different events one."""
    return key if len(key) <= EVENT_KEY_LENGTH else key_digest(key)


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(Notification)


def encode_notification(note: Notification) -> bytes:
    return _encoder.encode(note)


def decode_notification(data: bytes | str) -> Notification:
    return _decoder.decode(data)


async def enqueue(
    redis: Redis, notes: Sequence[Notification], *, maxlen: int = 100_000
) -> list[str]:
    """Appends in one round trip; returns the entry ids. Raises when Redis refuses."""
    return await append_encoded(
        redis,
        [encode_notification(n) for n in notes],
        maxlen=maxlen,
        stream=NOTIFICATIONS_STREAM,
        field=NOTIFICATION_FIELD,
    )
