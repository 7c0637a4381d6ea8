// Test data for the alerts feature (component tests only).
import type { Alert, Monitor } from "../api/types";

export function alert(id: number, overrides: Partial<Alert> = {}): Alert {
  return {
    id,
    rule_id: 9,
    agent_id: null,
    monitor_id: null,
    metric: "cpu",
    condition: "gt",
    threshold: 90,
    value: 95,
    severity: "critical",
    labels: {},
    started_at: new Date(Date.now() - 120_000).toISOString(),
    resolved_at: null,
    duration_seconds: null,
    acknowledged_at: null,
    acknowledged_by: null,
    ack_comment: null,
    silenced: false,
    ...overrides,
  };
}

export function monitor(id: number, overrides: Partial<Monitor> = {}): Monitor {
  return {
    id,
    name: `site-${id}`,
    type: "http",
    target: `https://site-${id}.example.com/`,
    config: {},
    secret_fields: [],
    interval_seconds: 60,
    retry_interval_seconds: 60,
    retries: 0,
    timeout_seconds: 10,
    upside_down: false,
    labels: {},
    description: "",
    active: true,
    parent_id: null,
    status: "up",
    status_since: "2026-11-29T10:00:00Z",
    last_check_at: "2026-11-29T11:59:30Z",
    last_response_ms: 87,
    last_error: null,
    cert_expires_at: null,
    push_path: null,
    last_ping_at: null,
    push_deadline: null,
    created_at: "2026-11-01T00:00:00Z",
    ...overrides,
  };
}
