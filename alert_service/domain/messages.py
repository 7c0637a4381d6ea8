"""The words of a notification: one rendering every channel starts from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from alert_service.domain.state import Policy, breached
from core import reports as m
from core.models import AlertRule
from core.notifications import Kind, Message
from core.schemas.alerting import HOST_OFFLINE, METRIC_ALIASES

_SYMBOL = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤", "eq": "=", "ne": "≠"}


_UNITS = {
    m.RESPONSE_TIME_MS: "ms",
    m.PING_RTT_MIN_MS: "ms",
    m.PING_RTT_AVG_MS: "ms",
    m.PING_RTT_MAX_MS: "ms",
    m.CERT_DAYS_LEFT: "days",
    m.PUSH_RUN_SECONDS: "s",
}


def _amount(metric: str, value: float) -> str:
    canonical = METRIC_ALIASES.get(metric, metric)
    if canonical in m.PERCENT_METRICS or canonical == m.PING_PACKET_LOSS_PERCENT:
        return f"{value:.1f} %"
    if canonical == m.TEMPERATURE_CELSIUS:
        return f"{value:.1f} °C"
    if canonical in _UNITS:
        return f"{value:g} {_UNITS[canonical]}"
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


@dataclass(frozen=True)
class Words:
    """How one event reads: its title (without the [SEVERITY] prefix), the subject a group of
    such events shares, the value and the threshold as people read them ("" hides it)."""

    title: str
    subject: str
    shown: str
    threshold: str


def _offline_words(kind: Kind, rule: AlertRule, host: str, value: float) -> Words:
    shown = f"{value:.1f} report intervals missed"
    threshold = f"{rule.threshold:g} missed intervals"
    if kind == "resolved":
        return Words(f"{host} is back online", "Hosts back online", shown, threshold)
    return Words(f"{host} is offline ({shown})", "Hosts offline", shown, threshold)


def _metric_words(kind: Kind, rule: AlertRule, host: str, what: str, value: float) -> Words:
    shown, threshold = _amount(rule.metric, value), _amount(rule.metric, rule.threshold)
    limit = f"{_SYMBOL.get(rule.condition, rule.condition)} {threshold}"
    if kind == "resolved":
        return Words(f"{host}: {what} back to {shown}", f"{rule.metric} {limit}", shown, threshold)
    return Words(f"{host}: {what} {shown} {limit}", f"{rule.metric} {limit}", shown, threshold)


# Monitor states: (the value in which the rule fires, how it reads firing, resolved, and
# the state's name for each value).
_STATES: dict[str, tuple[float, str, str, tuple[str, str]]] = {
    m.MONITOR_DOWN: (1, "is down", "is up again", ("up", "down")),
    m.MONITOR_UP: (0, "is not up", "is up again", ("down", "up")),
    m.MONITOR_DEGRADED: (1, "is degraded (slow)", "is no longer degraded", ("normal", "degraded")),
    m.MONITOR_UNREACHABLE: (
        1,
        "is unreachable (a monitor it depends on is down)",
        "is reachable again",
        ("reachable", "unreachable"),
    ),
}
_MONITOR_SUBJECT = {
    m.MONITOR_DOWN: ("Monitors down", "Monitors up again"),
    m.MONITOR_UP: ("Monitors not up", "Monitors up again"),
    m.MONITOR_DEGRADED: ("Monitors degraded", "Monitors no longer degraded"),
    m.MONITOR_UNREACHABLE: ("Monitors unreachable", "Monitors reachable again"),
}
_MONITOR_METRIC = {
    m.RESPONSE_TIME_MS: "response time",
    m.CERT_DAYS_LEFT: "certificate",
    m.HTTP_STATUS_CODE: "HTTP status",
    m.PING_PACKET_LOSS_PERCENT: "packet loss",
    m.PING_RTT_MIN_MS: "ping (min)",
    m.PING_RTT_AVG_MS: "ping (average)",
    m.PING_RTT_MAX_MS: "ping (max)",
    m.PUSH_RUN_SECONDS: "run time",
}


def _reads_as_state(rule: AlertRule) -> bool:
    """Whether the rule fires exactly in its state ("monitor_down ge 1"), so "is down" says
    it all; an unusual rule on a state ("monitor_down lt 1") is told in numbers."""
    state = _STATES.get(rule.metric)
    if state is None:
        return False
    policy = Policy(rule.condition, rule.threshold)
    return breached(policy, state[0]) and not breached(policy, 1 - state[0])


def _cert_text(days: float) -> str:
    if days < 0:
        return f"expired {-days:g} days ago"
    return f"expires in {days:g} days"


def monitor_words(kind: Kind, rule: AlertRule, name: str, value: float) -> Words:
    """ "Monitor shop is down", "Monitor shop: certificate expires in 9 days (≤ 14 days)"."""
    if _reads_as_state(rule):
        _, firing, resolved, names = _STATES[rule.metric]
        subject = _MONITOR_SUBJECT[rule.metric][kind == "resolved"]
        title = f"Monitor {name} {resolved if kind == 'resolved' else firing}"
        return Words(title, subject, names[value >= 1], "")
    what = _MONITOR_METRIC.get(rule.metric, rule.metric)
    shown, limit = _amount(rule.metric, value), _amount(rule.metric, rule.threshold)
    symbol = _SYMBOL.get(rule.condition, rule.condition)
    if rule.metric == m.CERT_DAYS_LEFT:
        now = _cert_text(value) if kind != "resolved" else f"valid for {value:g} more days"
        title = f"Monitor {name}: certificate {now}"
    else:
        title = f"Monitor {name}: {what} {'back to ' if kind == 'resolved' else ''}{shown}"
    if kind != "resolved":
        title += f" ({symbol} {limit})"
    return Words(title, f"{what} {symbol} {limit}", shown, limit)


def _words(kind: Kind, rule: AlertRule, name: str, labels: dict[str, str], value: float) -> Words:
    if rule.target_type == m.TARGET_MONITOR:
        return monitor_words(kind, rule, name, value)
    if rule.metric == HOST_OFFLINE:
        return _offline_words(kind, rule, name, value)
    return _metric_words(kind, rule, name, _what(rule, labels), value)


def render(
    kind: Kind,
    rule: AlertRule,
    target: str,
    labels: dict[str, str],
    value: float,
    *,
    at: float,
    since: float,
    alert_id: int,
    public_url: str,
) -> Message:
    """The message of an alert event (stored in the outbox, sent to every channel); `target`
    is the name of the host or monitor."""
    words = _words(kind, rule, target, labels, value)
    title = f"[{title_prefix(kind, rule.severity)}] {words.title}"
    what = _what(rule, labels)
    role = "monitor" if rule.target_type == m.TARGET_MONITOR else "host"
    fields = {"alert_id": str(alert_id), role: target, "metric": what, "value": words.shown}
    lines = [title, "", f"{role.capitalize()}: {target}", f"Metric: {what}"]
    lines.append(f"Value: {words.shown}")
    if words.threshold:  # "is down" needs no "≥ 1"
        fields |= {"condition": rule.condition, "threshold": words.threshold}
        symbol = _SYMBOL.get(rule.condition, rule.condition)
        lines.append(f"Threshold: {symbol} {words.threshold}")
    fields |= {"severity": rule.severity, "started": _clock(since)}
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
        subject=words.subject,
    )


def title_prefix(kind: str, severity: str) -> str:
    """ "CRITICAL", "STILL CRITICAL" (a reminder) or "RESOLVED": how a title starts."""
    return {"firing": severity.upper(), "reminder": f"STILL {severity.upper()}"}.get(
        kind, "RESOLVED"
    )
