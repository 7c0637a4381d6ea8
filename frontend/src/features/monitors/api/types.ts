import type { ProbeSchemas } from "@/lib/api/clients";

type S = ProbeSchemas["schemas"];

export type Monitor = S["MonitorPublic"];
export type MonitorsList = S["MonitorsPublic"];
export type MonitorCreate = S["MonitorCreate"];
export type MonitorUpdate = S["MonitorUpdate"];
export type MonitorType = S["MonitorTypeInfo"];
export type Check = S["CheckPublic"];
export type CheckResult = S["CheckResultPublic"];
export type Incident = S["IncidentPublic"];
export type Uptime = S["UptimePublic"];
export type UptimeDay = S["UptimeDay"];
export type PushRun = S["PushRunPublic"];
export type Heartbeat = S["HeartbeatPublic"];

export type Status = Monitor["status"];
export const STATUSES = ["up", "degraded", "down", "unreachable", "pending", "paused"] as const satisfies readonly Status[];

/** The monitor types this dashboard has a form for (probe_service/checks/*.py). */
export const MONITOR_TYPES = ["http", "tcp", "ping", "dns", "tls", "push"] as const;
export type MonitorKind = (typeof MONITOR_TYPES)[number];

export function isKnownType(type: string): type is MonitorKind {
  return (MONITOR_TYPES as readonly string[]).includes(type);
}

/** The list's filters, as the URL carries them (the server filters: GET /monitors?…). */
export interface MonitorFilters {
  q?: string | undefined;
  status?: Status | undefined;
  type?: string | undefined;
  /** `key:value`, as the API's `label` parameter takes it */
  label?: string | undefined;
}
