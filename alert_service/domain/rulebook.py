"""What the evaluator needs from PostgreSQL, held in memory: rules, agents, channels, silences.

Reloaded as a whole every few seconds (a few thousand small rows load in milliseconds), so
rule edits, new agents and silences take effect without any signalling between services.
Which values of a report a rule watches is decided here too (`observations`).
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
from core.models import Agent, AlertRule, NotificationChannel, Silence
from core.models.alerting import TARGET_KEY_LENGTH
from core.notifications import key_digest
from core.reports import Report
from core.schemas.alerting import HOST_OFFLINE, METRIC_ALIASES


@dataclass(frozen=True)
class AgentInfo:
    id: int
    org_id: int
    name: str
    labels: dict[str, str]


@dataclass(frozen=True)
class Observation:
    """One value a rule judges: `key` names the (target, item) the state belongs to."""

    key: str
    target_id: int
    labels: dict[str, str]  # the item of a per-item metric; empty for host-level values
    value: float


@dataclass
class RuleBook:
    rules: dict[int, AlertRule] = field(default_factory=dict)
    agents: dict[int, AgentInfo] = field(default_factory=dict)
    # org -> enabled channel ids (the default when a rule names none)
    channels: dict[int, list[int]] = field(default_factory=dict)
    silences: dict[int, list[Silence]] = field(default_factory=dict)
    _by_agent: dict[int, list[AlertRule]] = field(default_factory=dict)
    _org_wide: dict[int, list[AlertRule]] = field(default_factory=dict)

    @classmethod
    async def load(cls, session: AsyncSession) -> RuleBook:
        book = cls()
        for rule in await session.scalars(select(AlertRule).where(AlertRule.enabled)):
            book.rules[rule.id] = rule
        for agent in (
            await session.execute(select(Agent.id, Agent.org_id, Agent.name, Agent.labels))
        ).all():
            book.agents[agent.id] = AgentInfo(
                agent.id, agent.org_id, agent.name, agent.labels or {}
            )
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

    def _index(self) -> None:
        by_agent: dict[int, list[AlertRule]] = defaultdict(list)
        org_wide: dict[int, list[AlertRule]] = defaultdict(list)
        for rule in self.rules.values():
            if rule.agent_id is None:
                org_wide[rule.org_id].append(rule)
            else:
                by_agent[rule.agent_id].append(rule)
        self._by_agent, self._org_wide = dict(by_agent), dict(org_wide)

    def rules_for(self, org_id: int, agent_id: int) -> list[AlertRule]:
        """Enabled rules watching this agent: its own, and org-wide ones whose labels match."""
        agent = self.agents.get(agent_id)
        labels = agent.labels if agent else {}
        found = [r for r in self._by_agent.get(agent_id, []) if r.org_id == org_id]
        found.extend(
            r
            for r in self._org_wide.get(org_id, [])
            if all(labels.get(k) == v for k, v in r.labels.items())
        )
        return found

    def agents_of(self, rule: AlertRule) -> list[AgentInfo]:
        if rule.agent_id is not None:
            agent = self.agents.get(rule.agent_id)
            return [agent] if agent and agent.org_id == rule.org_id else []
        return [
            a
            for a in self.agents.values()
            if a.org_id == rule.org_id and all(a.labels.get(k) == v for k, v in rule.labels.items())
        ]

    def offline_rules(self) -> list[AlertRule]:
        return [r for r in self.rules.values() if r.metric == HOST_OFFLINE]

    def channels_for(self, rule: AlertRule) -> list[int]:
        enabled = self.channels.get(rule.org_id, [])
        if not rule.channel_ids:
            return list(enabled)
        return [c for c in rule.channel_ids if c in enabled]

    def silenced(
        self, rule: AlertRule, agent_id: int, labels: dict[str, str], at: datetime
    ) -> bool:
        agent = self.agents.get(agent_id)
        all_labels = {**(agent.labels if agent else {}), **labels}
        return any(
            silence_rules.matches(s, rule.id, agent_id, all_labels) and silence_rules.active(s, at)
            for s in self.silences.get(rule.org_id, [])
        )

    def agent_name(self, agent_id: int) -> str:
        agent = self.agents.get(agent_id)
        return agent.name if agent else f"agent {agent_id}"


def state_key(target_id: int, labels: dict[str, str]) -> str:
    """ "17", or "17|mountpoint=/data" for one item of a per-item metric. Labels that would not
    fit the column, or that hold the "," or "=" that separate them (so two label sets could
    read alike), are "17#<digest>" instead: distinct from every readable key and each other."""
    if not labels:
        return str(target_id)
    pairs = sorted(labels.items())
    key = f"{target_id}|" + ",".join(f"{k}={v}" for k, v in pairs)
    readable = all("," not in k + v and "=" not in k for k, v in pairs)
    if readable and len(key) <= TARGET_KEY_LENGTH:
        return key
    return f"{target_id}{key_digest(json.dumps(pairs))}"


def observations(rule: AlertRule, report: Report) -> list[Observation]:
    """The values of `report` the rule judges: one host-level value, or one per item."""
    if rule.metric == HOST_OFFLINE:
        return []
    name = METRIC_ALIASES.get(rule.metric, rule.metric)
    # StatusMonitor v1's "disk" means any partition (each alerting on its own) when the agent
    # reports partitions, and the single disk value otherwise.
    if name == m.DISK_PERCENT and (rule.match or _has_series(report, m.PARTITION_PERCENT)):
        name = m.PARTITION_PERCENT
    if not rule.match and name in report.metrics:
        value = report.metrics[name]
        return [Observation(str(report.target_id), report.target_id, {}, value)]
    return [
        Observation(state_key(report.target_id, s.labels), report.target_id, s.labels, s.value)
        for s in report.series
        if s.name == name and all(s.labels.get(k) == v for k, v in rule.match.items())
    ]


def _has_series(report: Report, name: str) -> bool:
    return any(s.name == name for s in report.series)
