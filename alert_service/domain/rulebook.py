"""What the evaluator needs from PostgreSQL, held in memory: rules, agents, monitors,
channels, silences.

Reloaded as a whole every few seconds (a few thousand small rows load in milliseconds), so
rule edits, new agents and monitors, monitors' states and silences take effect without any
signalling between services. Which values of a report a rule watches is decided here too
(`observations`).

Targets are agents (hosts) and uptime monitors. Their ids come from different tables, so agent
17 and monitor 17 may both exist: a rule watches one kind only, and a monitor's state and event
keys start with "m" ("m17") where an agent's are its bare id ("17", as they always were).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from alert_service.domain import silences as silence_rules
from alert_service.domain.channels import receiving
from core import reports as m
from core.models import Agent, AlertRule, Monitor, NotificationChannel, Silence
from core.models.alerting import TARGET_KEY_LENGTH
from core.notifications import key_digest
from core.reports import Report
from core.schemas.alerting import HOST_OFFLINE, METRIC_ALIASES, MONITOR_METRIC_ALIASES

AGENT = "agent"
MONITOR = m.TARGET_MONITOR
# A monitor in one of these states: what depends on it cannot be judged.
DOWN_STATUSES = frozenset({"down", "unreachable"})


@dataclass(frozen=True)
class AgentInfo:
    id: int
    org_id: int
    name: str
    labels: dict[str, str]
    parent_monitor_id: int | None = None  # the monitor the host sits behind


@dataclass(frozen=True)
class MonitorInfo:
    id: int
    org_id: int
    name: str
    labels: dict[str, str]
    status: str  # as the probe last wrote it (core.schemas.monitors.Status)
    parent_id: int | None = None


@dataclass(frozen=True)
class Observation:
    """One value a rule judges: `key` names the (target, item) the state belongs to."""

    key: str
    target_id: int
    labels: dict[str, str]  # the item of a per-item metric; empty for host-level values
    value: float
    target_type: str = AGENT


@dataclass
class RuleBook:
    rules: dict[int, AlertRule] = field(default_factory=dict)
    agents: dict[int, AgentInfo] = field(default_factory=dict)
    monitors: dict[int, MonitorInfo] = field(default_factory=dict)
    # org -> enabled channel ids (the default when a rule names none)
    channels: dict[int, list[int]] = field(default_factory=dict)
    silences: dict[int, list[Silence]] = field(default_factory=dict)
    # (target type, target id) -> rules naming it; (target type, org) -> rules naming none
    _by_target: dict[tuple[str, int], list[AlertRule]] = field(default_factory=dict)
    _org_wide: dict[tuple[str, int], list[AlertRule]] = field(default_factory=dict)

    @classmethod
    async def load(cls, session: AsyncSession) -> RuleBook:
        book = cls()
        for rule in await session.scalars(select(AlertRule).where(AlertRule.enabled)):
            book.rules[rule.id] = rule
        await book._load_targets(session)
        channel_rows = await session.execute(
            select(NotificationChannel.id, NotificationChannel.org_id)
            .where(receiving())
            .order_by(NotificationChannel.id)
        )
        for channel_id, org_id in channel_rows.all():
            book.channels.setdefault(org_id, []).append(channel_id)
        for silence in await session.scalars(select(Silence)):
            book.silences.setdefault(silence.org_id, []).append(silence)
        book._index()
        return book

    async def _load_targets(self, session: AsyncSession) -> None:
        agents = await session.execute(
            select(Agent.id, Agent.org_id, Agent.name, Agent.labels, Agent.parent_monitor_id)
        )
        for a in agents.all():
            self.agents[a.id] = AgentInfo(
                a.id, a.org_id, a.name, a.labels or {}, a.parent_monitor_id
            )
        monitors = await session.execute(
            select(
                Monitor.id,
                Monitor.org_id,
                Monitor.name,
                Monitor.labels,
                Monitor.status,
                Monitor.parent_id,
            )
        )
        for row in monitors.all():
            self.monitors[row.id] = MonitorInfo(
                row.id, row.org_id, row.name, row.labels or {}, row.status, row.parent_id
            )

    def _index(self) -> None:
        by_target: dict[tuple[str, int], list[AlertRule]] = defaultdict(list)
        org_wide: dict[tuple[str, int], list[AlertRule]] = defaultdict(list)
        for rule in self.rules.values():
            target = rule.monitor_id if rule.target_type == MONITOR else rule.agent_id
            if target is None:
                org_wide[(rule.target_type, rule.org_id)].append(rule)
            else:
                by_target[(rule.target_type, target)].append(rule)
        self._by_target, self._org_wide = dict(by_target), dict(org_wide)

    def rules_for(self, org_id: int, target_id: int, target_type: str = AGENT) -> list[AlertRule]:
        """Enabled rules watching this target (of this type): its own, and org-wide ones whose
        labels match."""
        labels = self.target_labels(target_type, target_id)
        found = [r for r in self._by_target.get((target_type, target_id), []) if r.org_id == org_id]
        found.extend(
            r
            for r in self._org_wide.get((target_type, org_id), [])
            if all(labels.get(k) == v for k, v in r.labels.items())
        )
        return found

    def target_labels(self, target_type: str, target_id: int) -> dict[str, str]:
        target = (self.monitors if target_type == MONITOR else self.agents).get(target_id)
        return target.labels if target else {}

    def knows(self, target_type: str, target_id: int) -> bool:
        return target_id in (self.monitors if target_type == MONITOR else self.agents)

    def behind_down_monitor(self, target_type: str, target_id: int) -> bool:
        """Whether a monitor this target depends on (directly or further up) is down or
        unreachable: then the target cannot be judged, and the parent's alert says it all."""
        if target_type == MONITOR:
            monitor = self.monitors.get(target_id)
            parent = monitor.parent_id if monitor else None
        else:
            agent = self.agents.get(target_id)
            parent = agent.parent_monitor_id if agent else None
        seen: set[int] = set()
        # Loops are refused when monitors are saved; `seen` ends one anyway.
        while parent is not None and parent not in seen:
            seen.add(parent)
            monitor = self.monitors.get(parent)
            if monitor is None:
                return False
            if monitor.status in DOWN_STATUSES:
                return True
            parent = monitor.parent_id
        return False

    def agents_of(self, rule: AlertRule) -> list[AgentInfo]:
        if rule.target_type != AGENT:
            return []
        if rule.agent_id is not None:
            agent = self.agents.get(rule.agent_id)
            return [agent] if agent and agent.org_id == rule.org_id else []
        return [
            a
            for a in self.agents.values()
            if a.org_id == rule.org_id and all(a.labels.get(k) == v for k, v in rule.labels.items())
        ]

    def offline_rules(self) -> list[AlertRule]:
        return [
            r for r in self.rules.values() if r.metric == HOST_OFFLINE and r.target_type == AGENT
        ]

    def channels_for(self, rule: AlertRule) -> list[int]:
        enabled = self.channels.get(rule.org_id, [])
        if not rule.channel_ids:
            return list(enabled)
        return [c for c in rule.channel_ids if c in enabled]

    def silenced(self, rule: AlertRule, obs: Observation, at: datetime) -> bool:
        """A silence naming an agent mutes only that agent; labels match any target's."""
        all_labels = {**self.target_labels(obs.target_type, obs.target_id), **obs.labels}
        agent_id = obs.target_id if obs.target_type == AGENT else None
        monitor_id = obs.target_id if obs.target_type == MONITOR else None
        return any(
            silence_rules.matches(s, rule.id, agent_id, all_labels, monitor_id)
            and silence_rules.active(s, at)
            for s in self.silences.get(rule.org_id, [])
        )

    def target_name(self, target_type: str, target_id: int) -> str:
        target = (self.monitors if target_type == MONITOR else self.agents).get(target_id)
        return target.name if target else f"{target_type} {target_id}"


def target_key(target_type: str, target_id: int) -> str:
    """ "17" for agent 17 (as stored before monitors existed), "m17" for monitor 17."""
    return f"m{target_id}" if target_type == MONITOR else str(target_id)


def state_key(target_id: int, labels: dict[str, str], target_type: str = AGENT) -> str:
    """ "17", or "17|mountpoint=/data" for one item of a per-item metric ("m17..." for a
    monitor). Labels that would not fit the column, or that hold the "," or "=" that separate
    them (so two label sets could read alike), are "17#<digest>" instead: distinct from every
    readable key and each other."""
    target = target_key(target_type, target_id)
    if not labels:
        return target
    pairs = sorted(labels.items())
    key = f"{target}|" + ",".join(f"{k}={v}" for k, v in pairs)
    readable = all("," not in k + v and "=" not in k for k, v in pairs)
    if readable and len(key) <= TARGET_KEY_LENGTH:
        return key
    return f"{target}{key_digest(json.dumps(pairs))}"


def observations(rule: AlertRule, report: Report) -> list[Observation]:
    """The values of `report` the rule judges: one host-level value, or one per item."""
    if rule.metric == HOST_OFFLINE or rule.target_type != report.target_type:
        return []
    if report.target_type == MONITOR:
        name = MONITOR_METRIC_ALIASES.get(rule.metric, rule.metric)
    else:
        name = METRIC_ALIASES.get(rule.metric, rule.metric)
    # StatusMonitor v1's "disk" means any partition (each alerting on its own) when the agent
    # reports partitions, and the single disk value otherwise.
    if name == m.DISK_PERCENT and (rule.match or _has_series(report, m.PARTITION_PERCENT)):
        name = m.PARTITION_PERCENT
    kind, target = report.target_type, report.target_id
    if not rule.match and name in report.metrics:
        value = report.metrics[name]
        return [Observation(target_key(kind, target), target, {}, value, kind)]
    return [
        Observation(state_key(target, s.labels, kind), target, s.labels, s.value, kind)
        for s in report.series
        if s.name == name and all(s.labels.get(k) == v for k, v in rule.match.items())
    ]


def _has_series(report: Report, name: str) -> bool:
    return any(s.name == name for s in report.series)
