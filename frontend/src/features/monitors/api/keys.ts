import type { MonitorFilters } from "./types";

// Every read of the monitors feature is keyed under "monitors"; mutations invalidate through these.
export const monitorKeys = {
  all: ["monitors"] as const,
  lists: () => [...monitorKeys.all, "list"] as const,
  list: (filters: MonitorFilters) => [...monitorKeys.lists(), filters] as const,
  types: () => [...monitorKeys.all, "types"] as const,
  uptimes: () => [...monitorKeys.all, "uptime"] as const,
  detail: (id: number) => [...monitorKeys.all, "detail", id] as const,
  uptime: (id: number) => [...monitorKeys.detail(id), "uptime"] as const,
  checks: (id: number, hours: number, limit: number) => [...monitorKeys.detail(id), "checks", hours, limit] as const,
  heartbeat: (id: number) => [...monitorKeys.detail(id), "heartbeat"] as const,
  pushRuns: (id: number) => [...monitorKeys.detail(id), "push-runs"] as const,
  incidents: () => [...monitorKeys.all, "incidents"] as const,
  // Host agents, for the hosts that depend on a monitor (their parent_monitor_id).
  hosts: () => [...monitorKeys.all, "hosts"] as const,
  incidentList: (filters: { monitorId?: number | undefined; open?: boolean | undefined }) => [...monitorKeys.incidents(), filters] as const,
};
