"""alert_service: alert rules and notification recipients (port 8004)."""
