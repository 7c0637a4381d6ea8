"""Every table of StatusMonitor; Alembic migrations are written against this metadata."""

from core.models.agents import Agent
from core.models.alerting import (
    Alert,
    AlertEvent,
    AlertRule,
    AlertState,
    NotificationChannel,
    NotificationDelivery,
    NotificationGroup,
    NotificationGroupItem,
    Silence,
)
from core.models.auth import AuditLog, RefreshToken
from core.models.base import Base, utcnow
from core.models.monitors import Monitor, MonitorCheck, MonitorIncident, MonitorRollup, PushRun
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
    "Monitor",
    "MonitorCheck",
    "MonitorIncident",
    "MonitorRollup",
    "NotificationChannel",
    "NotificationDelivery",
    "NotificationGroup",
    "NotificationGroupItem",
    "Organization",
    "PushRun",
    "RefreshToken",
    "Role",
    "Silence",
    "User",
    "utcnow",
]
