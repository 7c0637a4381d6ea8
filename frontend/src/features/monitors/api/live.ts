// The "monitors" topic of the live socket (distribution_service/domain/monitors_topic.py): one
// frame per check the probe stored, {type: "monitor", id, ts, status, response_ms, error}. Each
// frame moves that monitor's row and page forward and adds the check to its cached checks and
// heartbeat, so statuses, heartbeat bars and sparklines follow without waiting for the next
// poll. Registered
// once in app/live-handlers.ts; the monitors pages hold the subscription.
import type { QueryClient } from "@tanstack/react-query";
import { monitorKeys } from "./keys";
import { withCheck } from "../model/uptime";
import { type Check, type Heartbeat, type Monitor, type MonitorsList, type Status, STATUSES } from "./types";

export const MONITORS_TOPIC = { topic: "monitors" } as const;

export interface MonitorFrame {
  id: number;
  ts: number;
  status: Status;
  response_ms: number | null;
  error: string | null;
}

const finite = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

export function parseMonitorFrame(message: Record<string, unknown>): MonitorFrame | null {
  const { type, id, ts, status, response_ms: responseMs, error } = message;
  if (type !== "monitor" || !finite(id) || !finite(ts) || !STATUSES.some((known) => known === status)) return null;
  return {
    id,
    ts,
    status: status as Status,
    response_ms: finite(responseMs) ? responseMs : null,
    error: typeof error === "string" ? error : null,
  };
}

/** The monitor after this check; the same object when the frame is not newer than what it shows. */
export function applyFrame(monitor: Monitor, frame: MonitorFrame): Monitor {
  if (monitor.id !== frame.id) return monitor;
  if (monitor.last_check_at && Date.parse(monitor.last_check_at) / 1000 >= frame.ts) return monitor;
  const at = new Date(frame.ts * 1000).toISOString();
  return {
    ...monitor,
    status: frame.status,
    status_since: monitor.status === frame.status ? monitor.status_since : at,
    last_check_at: at,
    last_response_ms: frame.response_ms,
    last_error: frame.error,
  };
}

export function monitorsLiveHandler(message: Record<string, unknown>, queryClient: QueryClient): void {
  const frame = parseMonitorFrame(message);
  if (frame === null) return;
  queryClient.setQueriesData<MonitorsList>({ queryKey: monitorKeys.lists() }, (list) => {
    if (!list) return list;
    const data = list.data.map((monitor) => applyFrame(monitor, frame));
    return data.some((monitor, i) => monitor !== list.data[i]) ? { ...list, data } : list;
  });
  queryClient.setQueryData<Monitor>(monitorKeys.detail(frame.id), (monitor) => (monitor ? applyFrame(monitor, frame) : monitor));
  const check: Check = {
    checked_at: new Date(frame.ts * 1000).toISOString(),
    status: frame.status,
    response_ms: frame.response_ms,
    status_code: null,
    error: frame.error,
    details: {},
  };
  queryClient.setQueryData<Heartbeat | null>(monitorKeys.heartbeat(frame.id), (heartbeat) =>
    heartbeat ? withCheck(heartbeat, frame.ts * 1000, frame.status, frame.response_ms) : heartbeat,
  );
  // Every cached range of its checks (newest first) gets the new one.
  queryClient.setQueriesData<Check[]>({ queryKey: [...monitorKeys.detail(frame.id), "checks"] }, (checks) => {
    if (!checks) return checks;
    const newest = checks[0];
    if (newest && Date.parse(newest.checked_at) >= frame.ts * 1000) return checks;
    return [check, ...checks];
  });
}
