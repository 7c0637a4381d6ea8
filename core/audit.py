"""Audit trail: who did what, when, from which IP. Written in the request's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends

from core.deps import ClientIP, Principal, SessionDep
from core.models import AuditLog


@dataclass(frozen=True)
class Auditor:
    """Records actions of one request; handlers get it as `audit: AuditDep`."""

    session: SessionDep
    ip: str | None

    def record(
        self,
        action: str,
        *,
        user_id: int | None,
        org_id: int | None = None,
        target: tuple[str, object] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.session.add(
            AuditLog(
                action=action,
                user_id=user_id,
                org_id=org_id,
                ip=self.ip,
                target_type=target[0] if target else None,
                target_id=str(target[1]) if target else None,
                details=details or {},
            )
        )

    def by(
        self,
        principal: Principal,
        action: str,
        *,
        target: tuple[str, object] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        """An action of the authenticated caller, in their current organization."""
        self.record(
            action,
            user_id=principal.user.id,
            org_id=principal.org_id,
            target=target,
            details=details,
        )


def get_auditor(session: SessionDep, ip: ClientIP) -> Auditor:
    return Auditor(session, ip)


AuditDep = Annotated[Auditor, Depends(get_auditor)]
