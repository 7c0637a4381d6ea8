// Test data for the monitors feature (unit and component tests only).
import type { Check, Heartbeat, Incident, Monitor, Uptime } from "../api/types";

type HeartbeatSlot = Heartbeat["slots"][number];

export function monitor(id: number, overrides: Partial<Monitor> = {}): Monitor {
  return {
    id,
    name: `site-${id}`,
    type: "http",
    target: `https://site-${id}.example.com/`,
    config: { method: "GET", accepted_status_codes: ["200-299"] },
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

export function check(at: number | string, overrides: Partial<Check> = {}): Check {
  return {
    checked_at: typeof at === "string" ? at : new Date(at).toISOString(),
    status: "up",
    response_ms: 100,
    status_code: 200,
    error: null,
    details: {},
    ...overrides,
  };
}

/** A heartbeat over the 24 h before `now`: 48 half-hours, `slots` set by index (negative: from the end). */
export function heartbeat(monitorId: number, now: number, slots: Record<number, Partial<HeartbeatSlot>> = {}, overrides: Partial<Heartbeat> = {}): Heartbeat {
  const all: HeartbeatSlot[] = Array.from({ length: 48 }, () => ({ status: null, checks: 0, down: 0 }));
  for (const [key, slot] of Object.entries(slots)) {
    const index = Number(key) < 0 ? 48 + Number(key) : Number(key);
    all[index] = { status: "up", checks: 1, down: 0, ...slot };
  }
  return { monitor_id: monitorId, start: new Date(now - 86_400_000).toISOString(), slot_seconds: 1800, slots: all, recent_ms: [], latest_at: null, ...overrides };
}

export function uptime(monitorId: number, percent: number | null = 100, overrides: Partial<Uptime> = {}): Uptime {
  const windows = { "24h": percent, "7d": percent, "30d": percent, "90d": percent, "365d": percent };
  return {
    monitor_id: monitorId,
    uptime: windows,
    avg_response_ms: { "24h": 90, "7d": 95, "30d": 100, "90d": 100, "365d": null },
    days: Array.from({ length: 90 }, (_, i) => ({ day: new Date(Date.UTC(2026, 8, 1 + i)).toISOString().slice(0, 10), uptime: percent, checks: percent === null ? 0 : 1440, down: 0 })),
    ...overrides,
  };
}

export function incident(id: number, overrides: Partial<Incident> = {}): Incident {
  return {
    id,
    monitor_id: 1,
    monitor_name: "site-1",
    started_at: "2026-11-29T10:00:00Z",
    resolved_at: "2026-11-29T10:05:00Z",
    duration_seconds: 300,
    duration: "5m",
    error: "connection refused",
    ...overrides,
  };
}
