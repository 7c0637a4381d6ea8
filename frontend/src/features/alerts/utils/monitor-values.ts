// A monitor's latest values as its rules read them, from GET /monitors (status, last response
// time, certificate expiry): what the evaluator would compare with the threshold right now.
import type { Condition, Monitor } from "../api/types";
import { CERT_DAYS_LEFT, meets, MONITOR_DEGRADED, MONITOR_DOWN, MONITOR_UNREACHABLE, MONITOR_UP, RESPONSE_TIME } from "./metrics";

const DAY_MS = 86_400_000;

/** The metric's current value on the monitor, or null when the monitor list does not tell it. */
export function monitorValue(monitor: Monitor, metric: string, now: number): number | null {
  switch (metric) {
    case MONITOR_DOWN:
      return monitor.status === "down" ? 1 : 0;
    case MONITOR_DEGRADED:
      return monitor.status === "degraded" ? 1 : 0;
    case MONITOR_UNREACHABLE:
      return monitor.status === "unreachable" ? 1 : 0;
    case MONITOR_UP:
      return monitor.status === "up" || monitor.status === "degraded" ? 1 : 0;
    case RESPONSE_TIME:
      return monitor.last_response_ms ?? null;
    case CERT_DAYS_LEFT:
      return monitor.cert_expires_at ? Math.floor((Date.parse(monitor.cert_expires_at) - now) / DAY_MS) : null;
    default:
      return null;
  }
}

/** Monitors a rule applies to: one monitor, or every monitor carrying all of the rule's labels. */
export function monitorsOfRule(monitors: readonly Monitor[], monitorId: number | null | undefined, labels: Record<string, string>): Monitor[] {
  if (monitorId != null) return monitors.filter((monitor) => monitor.id === monitorId);
  return monitors.filter((monitor) => Object.entries(labels).every(([key, value]) => monitor.labels[key] === value));
}

export interface MonitorReading {
  monitor: Monitor;
  value: number;
}

/** The readings of `metric`, the one nearest to firing first (lowest for "below" rules). */
export function monitorReadings(monitors: readonly Monitor[], metric: string, condition: Condition, now: number): MonitorReading[] {
  const readings = monitors.flatMap((monitor) => {
    const value = monitorValue(monitor, metric, now);
    return value === null ? [] : [{ monitor, value }];
  });
  const lowFirst = condition === "lt" || condition === "le";
  return readings.sort((a, b) => (lowFirst ? a.value - b.value : b.value - a.value));
}

/** How many readings meet the condition. */
export function firingCount(readings: readonly MonitorReading[], condition: Condition, threshold: number): number {
  return readings.filter((reading) => meets(reading.value, condition, threshold)).length;
}
