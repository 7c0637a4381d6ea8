"""Every table of StatusMonitor; Alembic migrations are written against this metadata."""

from core.models.agents import Agent
from core.models.alerting import (
    Alert,
    AlertEvent,
    AlertRule,
    AlertState,
    NotificationChannel,
    NotificationDelivery,
    Silence,
)
from core.models.auth import AuditLog, RefreshToken
from core.models.base import Base, utcnow
from core.models.tenancy import (
    Invitation,
    InvitationStatus,
    Membership,
    Organization,
    Role,
    User,
)

__all__ = [
    "Agent",
    "Alert",
    "AlertEvent",
    "AlertRule",
    "AlertState",
    "AuditLog",
    "Base",
    "Invitation",
    "InvitationStatus",
    "Membership",
    "NotificationChannel",
    "NotificationDelivery",
    "Organization",
    "RefreshToken",
    "Role",
    "Silence",
    "User",
    "utcnow",
]
