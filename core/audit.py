"""Audit trail: who did what, when, from which IP. Written in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.models import AuditLog


def record_audit(
    session: AsyncSession,
    action: str,
    *,
    user_id: int | None,
    org_id: int | None = None,
    ip: str | None = None,
    target_type: str | None = None,
    target_id: object | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditLog(
            action=action,
            user_id=user_id,
            org_id=org_id,
            ip=ip,
            target_type=target_type,
            target_id=None if target_id is None else str(target_id),
            details=details or {},
        )
    )
