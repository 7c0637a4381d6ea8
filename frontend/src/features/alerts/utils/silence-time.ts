// Times of silences and maintenance windows. The API takes a period as two UTC instants and a
// weekly window as weekdays (0 = Monday, Python's numbering) plus "HH:MM" times in an IANA time
// zone of the client's choice: the form writes the browser's zone, so times entered are the
// user's own, and windows stored in another zone are shown converted to the browser's.
import type { Silence } from "../api/types";

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** API weekday (0 = Monday … 6 = Sunday) of a JavaScript one (0 = Sunday). */
export const apiWeekday = (jsDay: number): number => (jsDay + 6) % 7;
/** JavaScript weekday of an API one. */
export const jsWeekday = (apiDay: number): number => (apiDay + 1) % 7;

const pad = (value: number) => String(value).padStart(2, "0");

/** A `<input type="datetime-local">` value (the browser's zone) as an ISO instant; null when invalid. */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const date = new Date(value); // no offset: the browser's own zone
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The `<input type="datetime-local">` value of an instant, in the browser's zone. */
export function toLocalInput(value: Date | string | number): string {
  const date = value instanceof Date ? value : new Date(value);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export interface ZonedParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // API numbering: 0 = Monday
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The wall-clock date and time of `date` in `zone`. */
export function zonedParts(date: Date, zone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(zone).formatToParts(date)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? "Mon"),
  };
}

function offsetMs(instant: number, zone: string): number {
  const p = zonedParts(new Date(instant), zone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
}

/** The instant a wall-clock time in `zone` names (in a DST gap: shifted forward, as Python does). */
export function zonedTimeToDate(wall: { year: number; month: number; day: number; hour: number; minute: number }, zone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const first = asUtc - offsetMs(asUtc, zone);
  const second = asUtc - offsetMs(first, zone);
  return new Date(second);
}

function minutesOf(hhmm: string): number {
  const [hours = "0", minutes = "0"] = hhmm.split(":");
  return Number(hours) * 60 + Number(minutes);
}

type Weekly = Pick<Silence, "weekdays" | "window_start" | "window_end" | "timezone">;
type Schedule = Weekly & Pick<Silence, "starts_at" | "ends_at">;

/** Whether the silence mutes alerts at `at`: alert_service/domain/silences.py's `active`. */
export function silenceActive(silence: Schedule, at: Date): boolean {
  if (silence.ends_at != null) {
    const starts = silence.starts_at == null ? null : new Date(silence.starts_at);
    return (starts === null || starts <= at) && at < new Date(silence.ends_at);
  }
  if (silence.weekdays.length === 0 || !silence.window_start || !silence.window_end) return false;
  const local = zonedParts(at, silence.timezone);
  const start = minutesOf(silence.window_start);
  const end = minutesOf(silence.window_end);
  const now = local.hour * 60 + local.minute + local.second / 60;
  if (start <= end) return silence.weekdays.includes(local.weekday) && start <= now && now < end;
  // A window across midnight (22:00 to 02:00) belongs to the day it starts on.
  if (now >= start) return silence.weekdays.includes(local.weekday);
  return silence.weekdays.includes((local.weekday + 6) % 7) && now < end;
}

export interface Occurrence {
  start: Date;
  end: Date;
}

/** The weekly window's occurrences that end after `from`, over the next `days` days. */
export function weeklyOccurrences(silence: Weekly, from: Date, days = 8): Occurrence[] {
  if (silence.weekdays.length === 0 || !silence.window_start || !silence.window_end) return [];
  const zone = silence.timezone;
  const start = minutesOf(silence.window_start);
  const end = minutesOf(silence.window_end);
  if (start === end) return [];
  const today = zonedParts(from, zone);
  const found: Occurrence[] = [];
  // From yesterday: a window across midnight that started then may still be open.
  for (let offset = -1; offset < days; offset += 1) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const weekday = apiWeekday(day.getUTCDay());
    if (!silence.weekdays.includes(weekday)) continue;
    const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    const endDay = end > start ? day : new Date(day.getTime() + 86_400_000);
    const opens = zonedTimeToDate({ ...date, hour: Math.floor(start / 60), minute: start % 60 }, zone);
    const closes = zonedTimeToDate(
      { year: endDay.getUTCFullYear(), month: endDay.getUTCMonth() + 1, day: endDay.getUTCDate(), hour: Math.floor(end / 60), minute: end % 60 },
      zone,
    );
    if (closes > from) found.push({ start: opens, end: closes });
  }
  return found;
}

export interface LocalWindow {
  weekdays: number[]; // API numbering
  start: string;
  end: string;
}

const hhmm = (parts: ZonedParts) => `${pad(parts.hour)}:${pad(parts.minute)}`;

/**
 * The weekly window as it falls in `zone` (the browser's) over the coming week: its weekdays
 * and times there. Null when they vary within the week (a DST change between the two zones).
 */
export function windowInZone(silence: Weekly, zone: string, now: Date): LocalWindow | null {
  const week = weeklyOccurrences(silence, now, 8).slice(0, silence.weekdays.length);
  if (week.length === 0) return null;
  const converted = week.map(({ start, end }) => ({ day: zonedParts(start, zone), end: hhmm(zonedParts(end, zone)) }));
  const first = converted[0];
  if (!first) return null;
  const start = hhmm(first.day);
  if (converted.some((item) => hhmm(item.day) !== start || item.end !== first.end)) return null;
  const weekdays = [...new Set(converted.map((item) => item.day.weekday))].sort((a, b) => a - b);
  return { weekdays, start, end: first.end };
}

export type SilenceState = "active" | "scheduled" | "expired";

export function silenceState(silence: Schedule, now: Date): SilenceState {
  if (silenceActive(silence, now)) return "active";
  if (silence.ends_at != null) return new Date(silence.ends_at) <= now ? "expired" : "scheduled";
  return weeklyOccurrences(silence, now).length > 0 ? "scheduled" : "expired";
}

/** A period silence from now for `seconds`: what "silence for 4 hours" sends. */
export function periodFromNow(seconds: number, now: Date): { starts_at: string; ends_at: string } {
  return { starts_at: now.toISOString(), ends_at: new Date(now.getTime() + seconds * 1000).toISOString() };
}
