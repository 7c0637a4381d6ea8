"""StatusMonitor v1's /rules API, plus PATCH."""

from __future__ import annotations

from fastapi import APIRouter, status

from alert_service.domain import rules
from core.audit import AuditDep
from core.deps import Operator, SessionDep, Viewer
from core.schemas.alerting import RuleCreate, RulePublic, RuleUpdate
from core.schemas.common import Id

router = APIRouter(prefix="/rules", tags=["rules"])


@router.get("", response_model=list[RulePublic])
async def list_rules(principal: Viewer, session: SessionDep) -> list[RulePublic]:
    return await rules.list_rules(session, principal.org_id)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=RulePublic)
async def create_rule(
    data: RuleCreate, principal: Operator, session: SessionDep, audit: AuditDep
) -> RulePublic:
    rule = await rules.create_rule(session, principal.org_id, data, principal.user.id)
    audit.by(principal, "rule.create", target=("rule", rule.id))
    return rule


@router.patch("/{rule_id}", response_model=RulePublic)
async def update_rule(
    rule_id: Id, data: RuleUpdate, principal: Operator, session: SessionDep, audit: AuditDep
) -> RulePublic:
    rule = await rules.update_rule(session, principal.org_id, rule_id, data)
    audit.by(principal, "rule.update", target=("rule", rule_id))
    return rule


@router.delete("/{rule_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_rule(
    rule_id: Id, principal: Operator, session: SessionDep, audit: AuditDep
) -> None:
    await rules.delete_rule(session, principal.org_id, rule_id)
    audit.by(principal, "rule.delete", target=("rule", rule_id))
