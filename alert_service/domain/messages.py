"""The words of a notification: one rendering every channel starts from."""

from __future__ import annotations

from datetime import UTC, datetime

from core import reports as m
from core.models import AlertRule
from core.notifications import Kind, Message
from core.schemas.alerting import HOST_OFFLINE, METRIC_ALIASES

_SYMBOL = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤", "eq": "=", "ne": "≠"}


def _amount(metric: str, value: float) -> str:
    canonical = METRIC_ALIASES.get(metric, metric)
    if canonical in m.PERCENT_METRICS:
        return f"{value:.1f} %"
    if canonical == m.TEMPERATURE_CELSIUS:
        return f"{value:.1f} °C"
    return f"{value:g}"


def duration_text(seconds: float) -> str:
    """'45 s', '17 min', '3 h 5 min', '1 d 6 h': the two largest units, seconds only under
    two minutes (shared by messages and the daily summary, so both read alike)."""
    seconds = max(0, int(seconds))
    if seconds < 120:
        return f"{seconds} s"
    days, rest = divmod(seconds // 60, 24 * 60)
    hours, minutes = divmod(rest, 60)
    units = [(days, "d"), (hours, "h"), (minutes, "min")]
    first = next(i for i, (value, _) in enumerate(units) if value)
    return " ".join(f"{value} {unit}" for value, unit in units[first : first + 2] if value)


def _clock(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _what(rule: AlertRule, labels: dict[str, str]) -> str:
    item = labels.get("mountpoint") or labels.get("interface") or labels.get("sensor")
    if item:
        return f"{rule.metric} {item}"
    if labels:  # a custom series: its tags say which one
        return f"{rule.metric} ({', '.join(f'{k}={v}' for k, v in sorted(labels.items()))})"
    return rule.metric


def render(
    kind: Kind,
    rule: AlertRule,
    host: str,
    labels: dict[str, str],
    value: float,
    *,
    at: float,
    since: float,
    alert_id: int,
    public_url: str,
) -> Message:
    """The message of an alert event (stored in the outbox, sent to every channel)."""
    offline = rule.metric == HOST_OFFLINE
    what = _what(rule, labels)
    if offline:
        shown = f"{value:.1f} report intervals missed"
        title = f"{host} is back online" if kind == "resolved" else f"{host} is offline ({shown})"
        subject = "Hosts back online" if kind == "resolved" else "Hosts offline"
    else:
        shown = _amount(rule.metric, value)
        limit = (
            f"{_SYMBOL.get(rule.condition, rule.condition)} {_amount(rule.metric, rule.threshold)}"
        )
        title = (
            f"{host}: {what} back to {shown}"
            if kind == "resolved"
            else f"{host}: {what} {shown} {limit}"
        )
        subject = f"{rule.metric} {limit}"
    title = f"[{title_prefix(kind, rule.severity)}] {title}"
    fields = {
        "alert_id": str(alert_id),
        "host": host,
        "metric": what,
        "value": shown,
        "condition": rule.condition,
        "threshold": _amount(rule.metric, rule.threshold)
        if not offline
        else f"{rule.threshold:g} missed intervals",
        "severity": rule.severity,
        "started": _clock(since),
    }
    lines = [title, "", f"Host: {host}", f"Metric: {what}", f"Value: {shown}"]
    lines.append(f"Threshold: {_SYMBOL.get(rule.condition, rule.condition)} {fields['threshold']}")
    lines.append(f"Started: {fields['started']}")
    if kind == "resolved":
        fields["resolved"] = _clock(at)
        fields["duration"] = duration_text(at - since)
        lines.append(f"Resolved after {fields['duration']}")
    link = f"{public_url.rstrip('/')}/alerts/{alert_id}"
    lines += ["", f"Alert #{alert_id}: {link}"]
    return Message(
        kind=kind,
        severity=rule.severity,
        title=title,
        text="\n".join(lines),
        fields=fields,
        link=link,
        alert_id=alert_id,
        created=at,
        rule_id=rule.id,
        subject=subject,
    )


def title_prefix(kind: str, severity: str) -> str:
    """ "CRITICAL", "STILL CRITICAL" (a reminder) or "RESOLVED": how a title starts."""
    return {"firing": severity.upper(), "reminder": f"STILL {severity.upper()}"}.get(
        kind, "RESOLVED"
    )
