"""The evaluator: reports (and the offline scanner's clock) in, alert events out.

For each (rule, target) it runs the state machine of state.py on the values a rule watches.
Only changes are written to PostgreSQL — the state row, the alert row and an outbox event,
in one transaction — so a steady stream of healthy reports costs no writes at all.

Exactly-once toward users comes from three things:
- A state row is updated only if its version is the one this process read (optimistic
  concurrency): two evaluator replicas can never both apply the same change.
- An observation older than the newest one applied is ignored, so a replayed stream entry
  after a crash changes nothing.
- Every event has a deterministic key (rule, target, incident start, kind); the outbox and the
  delivery log are unique on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, insert, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from alert_service.domain.messages import render
from alert_service.domain.rulebook import MONITOR, Observation, RuleBook
from alert_service.domain.state import AlertState, Event, Phase, Policy, step
from core.logging import get_logger
from core.models import Alert, AlertEvent, AlertRule, Monitor
from core.models import AlertState as StateRow
from core.models.alerting import EVENT_KEY_LENGTH
from core.notifications import key_digest, to_payload

log = get_logger(__name__)

# What an event key leaves for its target: the rest ("r<rule id>:", ":<start>:reminder:<n>")
# takes at most 60 of its characters.
_TARGET_IN_EVENT_KEY = EVENT_KEY_LENGTH - 60


class StaleState(Exception):
    """Another evaluator changed a state first: reload it and evaluate the batch again."""


@dataclass
class Tracked:
    """The in-memory mirror of one alert_states row (or of a never-stored OK state)."""

    state: AlertState = field(default_factory=AlertState)
    reminders: int = 0
    alert_id: int | None = None
    silenced: bool = False
    last_ts: float = 0.0
    version: int = 0
    stored: bool = False


@dataclass
class Change:
    rule: AlertRule
    obs: Observation
    before: Tracked
    after: Tracked
    events: list[Event]


def event_key(rule_id: int, target: str, since: float, kind: str, reminder: int = 0) -> str:
    """ "r17:3|mountpoint=/data:1700000000.000:firing" (":2" more for the second reminder). A
    target key too long to leave room for the rest is replaced by its digest, so the key
    always fits its column whole: cut, a firing and its resolution were one key, and the
    resolution was dropped as a replay."""
    if len(target) > _TARGET_IN_EVENT_KEY:
        target = key_digest(target)
    suffix = f":{reminder}" if reminder else ""
    return f"r{rule_id}:{target}:{since:.3f}:{kind}{suffix}"


def policy_of(rule: AlertRule) -> Policy:
    return Policy(
        rule.condition, rule.threshold, rule.for_seconds, rule.renotify_seconds, rule.hysteresis
    )


class Evaluator:
    def __init__(self, public_url: str) -> None:
        self.public_url = public_url
        self.book = RuleBook()
        self.states: dict[tuple[int, str], Tracked] = {}

    # -- state cache ---------------------------------------------------------------------------

    async def load_states(self, session: AsyncSession) -> None:
        self.states = await _stored_states(session)

    async def reload_rules(self, session: AsyncSession, rule_ids: set[int]) -> None:
        """Edited, disabled or deleted rules: their states as PostgreSQL now has them."""
        self.states = {k: v for k, v in self.states.items() if k[0] not in rule_ids}
        self.states.update(await _stored_states(session, StateRow.rule_id.in_(rule_ids)))

    async def reload_keys(self, session: AsyncSession, keys: set[tuple[int, str]]) -> None:
        for key in keys:
            self.states.pop(key, None)
        where = tuple_(StateRow.rule_id, StateRow.target_key).in_(list(keys))
        self.states.update(await _stored_states(session, where))

    # -- evaluation (pure, in memory) -----------------------------------------------------------

    def observe(self, rule: AlertRule, obs: Observation, at: float, changes: list[Change]) -> None:
        before = self.states.get((rule.id, obs.key)) or Tracked()
        if at <= before.last_ts:
            return  # replayed or out of order: already judged something newer
        new_state, events = step(before.state, policy_of(rule), obs.value, at)
        if new_state.phase is before.state.phase and not events:
            if new_state != before.state:  # pending keeps its start; nothing to store
                self.states[(rule.id, obs.key)] = replace(before, state=new_state)
            return
        after = replace(
            before, state=new_state, last_ts=at, version=before.version + 1, stored=True
        )
        if any(e.kind == "reminder" for e in events):
            after.reminders += 1
        if new_state.phase is Phase.ok:
            after = replace(after, reminders=0, alert_id=None, silenced=False)
        self.states[(rule.id, obs.key)] = after
        changes.append(Change(rule, obs, before, after, events))

    # -- persistence ---------------------------------------------------------------------------

    async def persist(self, session: AsyncSession, changes: list[Change]) -> None:
        """Writes the changes in the caller's transaction; StaleState when another replica won."""
        for change in changes:
            await self._apply(session, change)

    async def _apply(self, session: AsyncSession, change: Change) -> None:
        for event in change.events:
            await self._record(session, change, event)
        await self._store_state(session, change)

    async def _record(self, session: AsyncSession, change: Change, event: Event) -> None:
        rule, obs, after = change.rule, change.obs, change.after
        incident = after.state if event.kind == "firing" else change.before.state
        since = incident.since or event.at
        if event.kind == "firing":
            after.silenced = self.book.silenced(rule, obs, _dt(event.at))
            after.alert_id = await self._open_alert(session, change, event, since)
        elif event.kind == "reminder":
            if await self._acknowledged(session, change.before.alert_id):
                after.state = replace(after.state, acknowledged=True)
                return
            if self.book.silenced(rule, obs, _dt(event.at)):
                return
        else:
            await self._close_alert(session, change.before.alert_id, event.at)
            if change.before.silenced:
                return
        alert_id = after.alert_id if event.kind == "firing" else change.before.alert_id
        if alert_id is None or (event.kind == "firing" and after.silenced):
            return
        n = after.reminders if event.kind == "reminder" else 0
        key = event_key(rule.id, obs.key, since, event.kind, n)
        message = render(
            event.kind,
            rule,
            self.book.target_name(obs.target_type, obs.target_id),
            obs.labels,
            event.value,
            at=event.at,
            since=since,
            alert_id=alert_id,
            public_url=self.public_url,
        )
        await session.execute(
            pg_insert(AlertEvent)
            .values(
                org_id=rule.org_id,
                alert_id=alert_id,
                key=key,
                kind=event.kind,
                channel_ids=self.book.channels_for(rule),
                payload=to_payload(message),
            )
            .on_conflict_do_nothing(index_elements=[AlertEvent.key])
        )

    async def _open_alert(
        self, session: AsyncSession, change: Change, event: Event, since: float
    ) -> int:
        rule, obs = change.rule, change.obs
        alert_id = await session.scalar(
            insert(Alert)
            .values(
                org_id=rule.org_id,
                rule_id=rule.id,
                **self._target_columns(rule, obs),
                metric=rule.metric,
                condition=rule.condition,
                severity=rule.severity,
                value=event.value,
                threshold=rule.threshold,
                started_at=_dt(since),
                silenced=change.after.silenced,
                labels=obs.labels,
            )
            .returning(Alert.id)
        )
        assert alert_id is not None  # noqa: S101 - INSERT ... RETURNING always returns the id
        return int(alert_id)

    def _target_columns(self, rule: AlertRule, obs: Observation) -> dict[str, Any]:
        """The alert's agent_id or monitor_id: the target when it (still) exists, else none."""
        if obs.target_type == MONITOR:
            # Found by the query: a monitor created since the rulebook's last load has its id,
            # one deleted meanwhile (or another organization's) has none.
            owned = select(Monitor.id).where(
                Monitor.id == obs.target_id, Monitor.org_id == rule.org_id
            )
            return {"monitor_id": owned.scalar_subquery()}
        return {"agent_id": obs.target_id if obs.target_id in self.book.agents else None}

    async def _close_alert(self, session: AsyncSession, alert_id: int | None, at: float) -> None:
        if alert_id is not None:
            await session.execute(
                update(Alert)
                .where(Alert.id == alert_id, Alert.resolved_at.is_(None))
                .values(resolved_at=_dt(at))
            )

    async def _acknowledged(self, session: AsyncSession, alert_id: int | None) -> bool:
        if alert_id is None:
            return False
        acked = await session.scalar(select(Alert.acknowledged_at).where(Alert.id == alert_id))
        return acked is not None

    async def _store_state(self, session: AsyncSession, change: Change) -> None:
        after, before = change.after, change.before
        values = {
            "phase": after.state.phase.value,
            "since": after.state.since,
            "notified_at": after.state.notified_at,
            "reminders": after.reminders,
            "alert_id": after.alert_id,
            "last_ts": after.last_ts,
            "version": after.version,
        }
        if before.stored:
            result = await session.execute(
                update(StateRow)
                .where(
                    StateRow.rule_id == change.rule.id,
                    StateRow.target_key == change.obs.key,
                    StateRow.version == before.version,
                )
                .values(**values)
            )
        else:
            result = await session.execute(
                pg_insert(StateRow)
                .values(
                    rule_id=change.rule.id,
                    target_key=change.obs.key,
                    org_id=change.rule.org_id,
                    **values,
                )
                .on_conflict_do_nothing()
            )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleState(f"rule {change.rule.id} target {change.obs.key}")


async def _stored_states(
    session: AsyncSession, *where: ColumnElement[bool]
) -> dict[tuple[int, str], Tracked]:
    """States as stored, with what their alert says (acknowledged, silenced)."""
    rows = await session.execute(
        select(StateRow, Alert.acknowledged_at, Alert.silenced)
        .outerjoin(Alert, Alert.id == StateRow.alert_id)
        .where(*where)
    )
    return {
        (row.rule_id, row.target_key): _tracked(row, acked is not None, bool(silenced))
        for row, acked, silenced in rows.all()
    }


def _tracked(row: StateRow, acknowledged: bool, silenced: bool) -> Tracked:
    state = AlertState(Phase(row.phase), row.since, row.notified_at, acknowledged)
    return Tracked(state, row.reminders, row.alert_id, silenced, row.last_ts, row.version, True)


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)
