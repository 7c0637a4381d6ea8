"""How a notification reads, shared by the channels so every medium says the same thing.

A notification with `fields` (an alert) is laid out as labelled lines; one without (a test
message, the daily summary) shows its plain-text body.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

from core.notifications import Notification

# The order people scan an alert in; other fields follow in their own order.
_FIELD_ORDER = (
    "host",
    "monitor",
    "metric",
    "value",
    "threshold",
    "condition",
    "started",
    "resolved",
)
_LABELS = {
    "host": "Host",
    "monitor": "Monitor",
    "metric": "Metric",
    "value": "Value",
    "threshold": "Threshold",
}
# The link already leads to the alert; its id alone tells a reader nothing.
_HIDDEN = {"alert_id"}

_EMOJI = {"critical": "🔴", "warning": "🟠", "info": "🔵"}
_KIND_EMOJI = {"resolved": "✅", "test": "🧪", "summary": "📊"}
_COLOR = {"critical": 0xD92D20, "warning": 0xF79009, "info": 0x2E90FA}
_RESOLVED_COLOR = 0x12B76A


def emoji(note: Notification) -> str:
    return _KIND_EMOJI.get(note.kind) or _EMOJI.get(note.severity, "🔔")


def color(note: Notification) -> int:
    """Colour as 0xRRGGBB: green once resolved, else by severity."""
    if note.kind == "resolved":
        return _RESOLVED_COLOR
    return _COLOR.get(note.severity, _COLOR["info"])


def hex_color(note: Notification) -> str:
    return f"#{color(note):06x}"


def details(note: Notification) -> list[tuple[str, str]]:
    """(label, value) pairs worth showing, in reading order."""
    shown = {k: v for k, v in note.fields.items() if k not in _HIDDEN and v != ""}
    ordered = [k for k in _FIELD_ORDER if k in shown]
    ordered += [k for k in shown if k not in _FIELD_ORDER]
    return [(label(k), shown[k]) for k in ordered]


def label(key: str) -> str:
    return _LABELS.get(key) or key.replace("_", " ").capitalize()


def plain_body(note: Notification) -> str:
    """The message as plain text (without the title)."""
    rows = details(note)
    lines = [f"{name}: {value}" for name, value in rows] if rows else [note.text]
    if note.link:
        lines += ["", f"Open in StatusMonitor: {note.link}"]
    return "\n".join(lines).strip()


def html_body(note: Notification) -> str:
    """The message as an HTML document (every value escaped), for e-mail."""
    rows = details(note)
    title = html.escape(note.title)
    if rows:
        cells = "".join(
            f"<tr><th align='left' style='padding-right:12px'>{html.escape(k)}</th>"
            f"<td>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        body = f"<table>{cells}</table>"
    else:
        body = f"<pre style='font-family:inherit'>{html.escape(note.text)}</pre>"
    link = (
        f"<p><a href='{html.escape(note.link, quote=True)}'>Open in StatusMonitor</a></p>"
        if note.link
        else ""
    )
    bar = hex_color(note)
    return (
        "<!doctype html><html><body style='font-family:sans-serif'>"
        f"<h2 style='border-left:6px solid {bar};padding-left:8px'>{title}</h2>"
        f"{body}{link}</body></html>"
    )


def timestamp(note: Notification) -> datetime | None:
    return datetime.fromtimestamp(note.created, UTC) if note.created > 0 else None


def truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, marked when cut (receivers refuse longer ones)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
