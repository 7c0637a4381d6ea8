// What the page reads from an overview row and the latest report, typed: host_info is free-form
// JSON (whatever the agent sent), so every field is checked before it is shown.
import type { LiveReport } from "./report";

type Info = Readonly<Record<string, unknown>>;

export function infoText(info: Info | null | undefined, key: string): string | null {
  const value = info?.[key];
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

export function infoNumber(info: Info | null | undefined, key: string): number | null {
  const value = info?.[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export type HostStatus = "online" | "offline" | "never";

/** The overview's status, but online as soon as a live report is fresher than three intervals. */
export function liveStatus(overview: HostStatus | undefined, report: LiveReport | null | undefined, now = Date.now() / 1000): HostStatus {
  if (report) {
    const window = 3 * Math.max(report.interval ?? 60, 1) + 5;
    if (now - report.ts <= window) return "online";
  }
  return overview ?? "never";
}

/** Seconds since boot: the report's own count, else from the boot time the agent sent. */
export function uptimeOf(uptimeSeconds: number | null, bootTime: number | null, now = Date.now() / 1000): number | null {
  if (uptimeSeconds !== null) return uptimeSeconds;
  return bootTime !== null ? Math.max(0, now - bootTime) : null;
}
