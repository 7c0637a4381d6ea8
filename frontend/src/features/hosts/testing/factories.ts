// Test data for the hosts feature (unit and component tests only).
import type { AlertRule, FiringAlert, Host, Overview } from "../api/queries";
import type { OrgFrame, OrgHostEntry } from "../model/frames";

export function host(id: number, overrides: Partial<Host> = {}): Host {
  return {
    id,
    name: `host-${id}`,
    labels: {},
    host_info: {},
    status: "online",
    last_seen: 1000,
    interval: 5,
    values: { cpu_percent: 10, memory_percent: 20, disk_percent: 30, load_1: 0.5 },
    ...overrides,
  };
}

export function overview(hosts: Host[]): Overview {
  const online = hosts.filter((h) => h.status === "online").length;
  return { data: hosts, count: hosts.length, online, offline: hosts.length - online };
}

export function entry(agentId: number, overrides: Partial<OrgHostEntry> = {}): OrgHostEntry {
  return { agent_id: agentId, cpu: 50, memory: 60, disk: 70, net_in: 1000, net_out: 500, last_seen: 2000, interval: 5, ...overrides };
}

export function frame(overrides: Partial<OrgFrame> = {}): OrgFrame & { type: "org" } & Record<string, unknown> {
  return { type: "org", seq: 1, snapshot: false, hosts: [], status: [], ...overrides };
}

export function alert(id: number, agentId: number | null, overrides: Partial<FiringAlert> = {}): FiringAlert {
  return {
    id,
    rule_id: 1,
    agent_id: agentId,
    monitor_id: null,
    metric: "cpu",
    condition: "gt",
    severity: "warning",
    value: 95,
    threshold: 90,
    started_at: "2026-01-01T00:00:00Z",
    resolved_at: null,
    duration_seconds: null,
    acknowledged_at: null,
    acknowledged_by: null,
    ack_comment: null,
    silenced: false,
    labels: {},
    ...overrides,
  };
}

export function rule(id: number, overrides: Partial<AlertRule> = {}): AlertRule {
  return {
    id,
    agent_id: null,
    target_type: "agent",
    monitor_id: null,
    metric_type: "cpu",
    condition: "gt",
    threshold: 90,
    enabled: true,
    severity: "warning",
    for_seconds: 0,
    renotify_seconds: 300,
    labels: {},
    match: {},
    hysteresis: 0,
    channel_ids: [],
    created_at: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}
