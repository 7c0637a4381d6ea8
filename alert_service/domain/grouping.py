"""The words of a group message: many alert events of one group, in few messages.

One flush of a group sends, per kind (firing, then reminders, then resolutions), a message
listing the targets — "#17 web-1 is offline (3.0 report intervals missed)", one per line, the
alert id first so `/ack 17` works from a phone. A message names at most
ALERT_GROUP_MESSAGE_TARGETS targets (and stays within a length every chat service accepts);
a flush sends at most ALERT_GROUP_MAX_MESSAGES messages per kind, the last one ending with
"and N more". A kind with a single event is sent exactly as that event reads alone.

Pure: no I/O, so it is tested directly (tests/alerting/test_grouping.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from alert_service.channels._format import truncate
from alert_service.domain.messages import title_prefix
from core.notifications import GroupedAlert, Notification

KINDS = ("firing", "reminder", "resolved")
# Characters of target lines per message: with the title and link, within Slack's 3,000
# (attachment text as we cut it), Telegram's 4,096 and Discord's 4,096.
TEXT_BUDGET = 2800
_MAX_LINE = 300
_MORE_LINE = 24  # room kept for "and N more"
_SEVERITY_RANK = {"info": 1, "warning": 2, "critical": 3}
_PREFIX = re.compile(r"^\[[^\]]*\]\s*")


@dataclass(frozen=True)
class Item:
    """An alert event waiting in a group (`id`: its notification_group_items row)."""

    id: int
    note: Notification


@dataclass(frozen=True)
class Message:
    note: Notification
    items: list[int]  # the item ids it names, or covers with "and N more"


@dataclass(frozen=True)
class Limits:
    per_message: int  # targets named in one message
    max_messages: int  # messages per kind in one flush
    public_url: str  # the dashboard, for the link to the alert list


def compose(items: list[Item], limits: Limits) -> list[Message]:
    """The messages of one flush, in the order they must arrive."""
    messages: list[Message] = []
    for kind in KINDS:
        same = [item for item in items if item.note.kind == kind]
        if len(same) == 1:
            messages.append(Message(same[0].note, [same[0].id]))
        elif same:
            messages.extend(_group(kind, same, limits))
    return messages


def line(note: Notification) -> str:
    """How one target reads in a list: its alert id, then its title without the prefix."""
    text = _PREFIX.sub("", note.title, count=1)
    text = f"#{note.alert_id} {text}" if note.alert_id is not None else text
    return truncate(text, _MAX_LINE)


def _chunks(items: list[Item], per_message: int) -> list[list[Item]]:
    chunks: list[list[Item]] = []
    size = 0
    for item in items:
        length = len(line(item.note)) + 1
        if not chunks or len(chunks[-1]) >= per_message or size + length > TEXT_BUDGET - _MORE_LINE:
            chunks.append([])
            size = 0
        chunks[-1].append(item)
        size += length
    return chunks


def _group(kind: str, items: list[Item], limits: Limits) -> list[Message]:
    chunks = _chunks(items, limits.per_message)
    named, rest = chunks[: limits.max_messages], chunks[limits.max_messages :]
    more = [item for chunk in rest for item in chunk]
    messages = []
    for number, chunk in enumerate(named, start=1):
        last = number == len(named)
        lines = [line(item.note) for item in chunk]
        if last and more:
            lines.append(f"and {len(more)} more")
        title = _title(kind, items, number, len(named))
        note = _message(chunk, title, "\n".join(lines), _severity(items), limits.public_url)
        messages.append(Message(note, [item.id for item in chunk + (more if last else [])]))
    return messages


def _severity(items: list[Item]) -> str:
    return max((item.note.severity for item in items), key=lambda s: _SEVERITY_RANK.get(s, 0))


def _title(kind: str, items: list[Item], number: int, parts: int) -> str:
    subjects = {item.note.subject for item in items}
    subject = subjects.pop() if len(subjects) == 1 and "" not in subjects else "Alerts"
    title = f"[{title_prefix(kind, _severity(items))}] {subject} — {len(items)} alerts"
    return f"{title} ({number}/{parts})" if parts > 1 else title


def _message(
    chunk: list[Item], title: str, text: str, severity: str, public_url: str
) -> Notification:
    first = chunk[0].note
    rules = {item.note.rule_id for item in chunk}
    return Notification(
        key=f"group:{chunk[0].id}",  # an item is named in one message only: unique
        org_id=first.org_id,
        channel_id=first.channel_id,
        kind=first.kind,
        severity=severity,
        title=title,
        text=text,
        link=f"{public_url.rstrip('/')}/alerts",
        created=min(item.note.created for item in chunk),
        rule_id=rules.pop() if len(rules) == 1 else None,
        subject=first.subject,
        alerts=[
            GroupedAlert(alert_id=i.note.alert_id, title=i.note.title, fields=i.note.fields)
            for i in chunk
        ],
    )
