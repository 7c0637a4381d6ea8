// Uptime and response-time figures as the pages show them: percentages that never round up to
// 100 %, tones for bars and badges, the 24-hour heartbeat bar and the sparkline, from the API's
// answers (GET /monitors/uptime, /monitors/heartbeats, /monitors/{id}/checks). Pure: the tests
// pin each rule.
import type { Check, Heartbeat, Status, UptimeDay } from "../api/types";

export const UPTIME_WINDOWS = ["24h", "7d", "30d", "90d", "365d"] as const;
export type UptimeWindow = (typeof UPTIME_WINDOWS)[number];

const uptimeFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/**
 * "99.98%": two decimals at most, cut (never rounded up: 99.999 % is not 100 %, a monitor down
 * once in a year must not read as never down); "—" without checks in the window.
 */
export function formatUptime(percent: number | null | undefined): string {
  if (percent == null || !Number.isFinite(percent)) return "—";
  const clamped = Math.min(100, Math.max(0, percent));
  const cut = clamped === 100 ? 100 : Math.floor(clamped * 100) / 100;
  return `${uptimeFormat.format(cut)}%`;
}

export type Tone = "ok" | "warn" | "crit" | "none";

/** Green from 99.9 %, amber from 95 %, red below; grey without checks. */
export function uptimeTone(percent: number | null | undefined): Tone {
  if (percent == null || !Number.isFinite(percent)) return "none";
  if (percent >= 99.9) return "ok";
  if (percent >= 95) return "warn";
  return "crit";
}

const msFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const secondsFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** "87 ms", "1.25 s"; "—" when there was no answer. */
export function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return "—";
  return ms < 1000 ? `${msFormat.format(ms)} ms` : `${secondsFormat.format(ms / 1000)} s`;
}

/** "45 s", "2 h 30 min", "3 d 4 h": how long an incident lasted or has lasted. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return "—";
  const total = Math.max(0, Math.round(seconds));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return secs > 0 && minutes < 10 ? `${minutes} min ${secs} s` : `${minutes} min`;
  return `${secs} s`;
}

/** "1 min", "30 s", "1 h 30 min": an interval setting. */
export function formatInterval(seconds: number): string {
  return formatDuration(seconds);
}

/** Whole days until `expiresAt` (negative once expired); null without a certificate. */
export function certDaysLeft(expiresAt: string | null | undefined, now = Date.now()): number | null {
  if (!expiresAt) return null;
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return null;
  return Math.floor((at - now) / 86_400_000);
}

export function certTone(daysLeft: number | null, warningDays = 14): Tone {
  if (daysLeft === null) return "none";
  if (daysLeft < 0) return "crit";
  if (daysLeft <= warningDays) return "warn";
  return "ok";
}

// --- the 24-hour heartbeat bar -----------------------------------------------------------------

// Which status a slot shows when its checks differ: the worst one a user must see.
const SEVERITY: Record<Status, number> = { down: 5, unreachable: 4, degraded: 3, pending: 2, up: 1, paused: 0 };

export function worstStatus(statuses: Iterable<Status>): Status | null {
  let worst: Status | null = null;
  for (const status of statuses) if (worst === null || SEVERITY[status] > SEVERITY[worst]) worst = status;
  return worst;
}

export interface Beat {
  /** unix ms, start and end of the slot */
  start: number;
  end: number;
  /** the worst status checked in the slot; null: no check in it */
  status: Status | null;
  checks: number;
  down: number;
}

/** The server's slots (GET /monitors/heartbeats) as the bar draws them, oldest first. */
export function beatsOf(heartbeat: Heartbeat): Beat[] {
  const start = Date.parse(heartbeat.start);
  const size = heartbeat.slot_seconds * 1000;
  return heartbeat.slots.map((slot, i) => ({ start: start + i * size, end: start + (i + 1) * size, status: slot.status ?? null, checks: slot.checks, down: slot.down }));
}

/**
 * The heartbeat with one more check (a live frame, `at` in unix ms) in its slot and sparkline;
 * the same object when the check is not newer than what it counted or falls past its slots
 * (the next poll moves the window on).
 */
export function withCheck(heartbeat: Heartbeat, at: number, status: Status, responseMs: number | null): Heartbeat {
  if (heartbeat.latest_at && Date.parse(heartbeat.latest_at) >= at) return heartbeat;
  const index = Math.floor((at - Date.parse(heartbeat.start)) / (heartbeat.slot_seconds * 1000));
  const slot = heartbeat.slots[index];
  if (!slot) return heartbeat;
  const slots = heartbeat.slots.slice();
  slots[index] = { status: slot.status ? worstStatus([slot.status, status]) : status, checks: slot.checks + 1, down: slot.down + (status === "down" ? 1 : 0) };
  return { ...heartbeat, slots, recent_ms: [...heartbeat.recent_ms, responseMs].slice(-SPARK_POINTS), latest_at: new Date(at).toISOString() };
}

// --- the response-time sparkline ---------------------------------------------------------------

export const SPARK_POINTS = 40;

/** SVG polyline points of the latest response times (oldest first; null: no answer), scaled to their maximum. */
export function sparkPoints(responseMs: readonly (number | null)[], width: number, height: number, points = SPARK_POINTS): string {
  const values = responseMs.slice(-points).filter((value): value is number => value != null && Number.isFinite(value));
  if (values.length < 2) return "";
  const max = Math.max(...values, 1);
  const step = width / (values.length - 1);
  return values.map((value, i) => `${(i * step).toFixed(1)},${(height - (value / max) * (height - 2) - 1).toFixed(1)}`).join(" ");
}

// --- the response-time chart -------------------------------------------------------------------

/**
 * uPlot columns, oldest first: times (unix seconds), response time of the checks that got an
 * answer, and of those that failed (a second series, so a failure shows where it happened).
 */
export function responseColumns(checks: readonly Check[]): [number[], (number | null)[], (number | null)[]] {
  const times: number[] = [];
  const ok: (number | null)[] = [];
  const failed: (number | null)[] = [];
  for (let i = checks.length - 1; i >= 0; i -= 1) {
    const check = checks[i];
    if (!check) continue;
    const at = Date.parse(check.checked_at) / 1000;
    if (Number.isNaN(at)) continue;
    const isDown = check.status === "down";
    times.push(at);
    ok.push(isDown ? null : (check.response_ms ?? null));
    failed.push(isDown ? (check.response_ms ?? 0) : null);
  }
  return [times, ok, failed];
}

// --- 90 daily bars -----------------------------------------------------------------------------

export function dayTone(day: Pick<UptimeDay, "uptime" | "checks">): Tone {
  return day.checks === 0 ? "none" : uptimeTone(day.uptime);
}
