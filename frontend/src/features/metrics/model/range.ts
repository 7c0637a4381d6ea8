// The time ranges of the host page, as they sit in the URL (?range=1h, ?range=custom&from=&to=)
// and as the history API wants them (start/stop: "-1h"/"now" or unix seconds).

export const RANGES = ["live", "1h", "12h", "24h", "7d", "30d", "custom"] as const;
export type RangeKey = (typeof RANGES)[number];
export type PresetKey = Exclude<RangeKey, "live" | "custom">;

/** Live charts show the last five minutes, one point per report. */
export const LIVE_WINDOW_SECONDS = 300;
/** Shortest custom range: below this a zoom only shows a couple of points. */
export const MIN_RANGE_SECONDS = 10;

const SECONDS: Record<Exclude<RangeKey, "custom">, number> = {
  live: LIVE_WINDOW_SECONDS,
  "1h": 3600,
  "12h": 12 * 3600,
  "24h": 24 * 3600,
  "7d": 7 * 86400,
  "30d": 30 * 86400,
};

const RELATIVE: Record<Exclude<RangeKey, "custom">, string> = {
  live: "-5m",
  "1h": "-1h",
  "12h": "-12h",
  "24h": "-24h",
  "7d": "-7d",
  "30d": "-30d",
};

/** How often a preset refetches: a point's worth of time, at least 30 s. */
const REFETCH_MS: Record<PresetKey, number> = {
  "1h": 30_000,
  "12h": 60_000,
  "24h": 120_000,
  "7d": 600_000,
  "30d": 1_800_000,
};

export interface RangeSearch {
  range?: RangeKey | undefined;
  from?: number | undefined;
  to?: number | undefined;
}

export type ResolvedRange =
  | { key: "live"; start: string; stop: "now"; seconds: number }
  | { key: PresetKey; start: string; stop: "now"; seconds: number; refetchMs: number }
  | { key: "custom"; start: string; stop: string; seconds: number; from: number; to: number };

/** The range the search params describe; no range is live, a custom one without a valid span is 1 h. */
export function resolveRange(search: RangeSearch): ResolvedRange {
  const key = search.range ?? "live";
  if (key === "custom") {
    const { from, to } = search;
    if (from !== undefined && to !== undefined && to - from >= 1) {
      return { key, start: String(from), stop: String(to), seconds: to - from, from, to };
    }
    return resolveRange({ range: "1h" });
  }
  if (key === "live") return { key, start: RELATIVE.live, stop: "now", seconds: SECONDS.live };
  return { key, start: RELATIVE[key], stop: "now", seconds: SECONDS[key], refetchMs: REFETCH_MS[key] };
}

/** start/stop of the history API. */
export function rangeParams(range: ResolvedRange): { start: string; stop: string } {
  return { start: range.start, stop: range.stop };
}

/** The search params after a drag across a chart selected [from, to] (unix seconds). */
export function zoomSearch(from: number, to: number): { range: "custom"; from: number; to: number } {
  let start = Math.floor(Math.min(from, to));
  let stop = Math.ceil(Math.max(from, to));
  if (stop - start < MIN_RANGE_SECONDS) {
    const middle = (start + stop) / 2;
    start = Math.floor(middle - MIN_RANGE_SECONDS / 2);
    stop = start + MIN_RANGE_SECONDS;
  }
  return { range: "custom", from: start, to: stop };
}

/** Unix seconds ↔ the value of an <input type="datetime-local"> in the browser's time zone. */
export function toLocalInput(seconds: number): string {
  const date = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function fromLocalInput(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const time = new Date(value).getTime(); // no zone suffix: the browser's local time
  return Number.isFinite(time) ? Math.floor(time / 1000) : null;
}

/** What the custom range form starts from: the current custom range, else the last hour. */
export function customSpan(range: ResolvedRange, now = Date.now() / 1000): { from: number; to: number } {
  if (range.key === "custom") return { from: range.from, to: range.to };
  const to = Math.floor(now);
  return { from: to - Math.min(range.seconds, 30 * 86400), to };
}
