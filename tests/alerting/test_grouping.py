"""How a group of alert events reads: few messages naming the targets, alert ids first (for
/ack), "and N more" past what a person reads, and each message within every chat's limits."""

from __future__ import annotations

import re
from typing import Any

from alert_service.channels.slack import payload as slack_payload
from alert_service.channels.telegram import render as telegram_render
from alert_service.domain.grouping import TEXT_BUDGET, Item, Limits, compose
from core.notifications import Kind, Notification

LIMITS = Limits(per_message=50, max_messages=4, public_url="https://status.example.com/")


def _event(i: int, kind: Kind = "firing", host: str | None = None) -> Item:
    host = host or f"host-{i:03d}"
    prefix = {"firing": "CRITICAL", "reminder": "STILL CRITICAL"}.get(kind, "RESOLVED")
    title = f"{host} is back online" if kind == "resolved" else f"{host} is offline (3.0 missed)"
    return Item(
        id=1000 + i,
        note=Notification(
            key=f"r7:{i}:{kind}",
            org_id=1,
            channel_id=2,
            kind=kind,
            severity="critical",
            title=f"[{prefix}] {title}",
            text="...",
            fields={"host": host},
            link=f"https://status.example.com/alerts/{i}",
            alert_id=i,
            created=1_700_000_000.0 + i,
            rule_id=7,
            subject="Hosts back online" if kind == "resolved" else "Hosts offline",
        ),
    )


def _named(messages: list[Notification]) -> list[int]:
    return [int(n) for m in messages for n in re.findall(r"^#(\d+) ", m.text, re.MULTILINE)]


def test_two_hundred_hosts_are_named_in_four_messages() -> None:
    messages = compose([_event(i) for i in range(200)], LIMITS)
    notes = [m.note for m in messages]
    assert len(notes) == 4
    assert sorted(_named(notes)) == list(range(200))
    assert notes[0].title == "[CRITICAL] Hosts offline — 200 alerts (1/4)"
    assert notes[0].text.splitlines()[0] == "#0 host-000 is offline (3.0 missed)"
    assert notes[0].link == "https://status.example.com/alerts"
    assert [a.alert_id for a in notes[0].alerts] == list(range(50))  # for webhook receivers
    assert sorted(i for m in messages for i in m.items) == [1000 + i for i in range(200)]


def test_past_the_last_message_the_rest_are_counted_not_named() -> None:
    messages = compose([_event(i) for i in range(300)], LIMITS)
    assert len(messages) == 4
    assert len(_named([m.note for m in messages])) == 200
    assert messages[-1].note.text.endswith("\nand 100 more")
    assert len(messages[-1].items) == 150  # its 50, and the 100 it covers


def test_a_single_event_reads_as_it_does_alone() -> None:
    [message] = compose([_event(5)], LIMITS)
    assert message.note == _event(5).note and message.items == [1005]


def test_firing_then_reminders_then_resolutions() -> None:
    items = [_event(1, "resolved"), _event(2, "resolved"), _event(3), _event(4, "reminder")]
    notes = [m.note for m in compose(items, LIMITS)]
    assert [n.kind for n in notes] == ["firing", "reminder", "resolved"]
    assert notes[2].title == "[RESOLVED] Hosts back online — 2 alerts"
    assert notes[2].text == "#1 host-001 is back online\n#2 host-002 is back online"


def test_long_names_split_messages_within_every_chat_limit() -> None:
    items = [_event(i, host=f"{'x' * 200}-{i}") for i in range(60)]
    messages = compose(items, LIMITS)
    assert len(messages) == 4 and messages[-1].note.text.endswith("more")
    assert len(_named([m.note for m in messages])) > 40
    for message in messages:
        assert len(message.note.text) <= TEXT_BUDGET
        # Telegram's renderer and Slack's attachment would cut a longer text.
        assert message.note.text in telegram_render(message.note)
        attachments: Any = slack_payload(message.note)["attachments"]
        assert attachments[0]["text"] == message.note.text
