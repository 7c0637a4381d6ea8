// Numbers, sizes and times as the browser's locale and time zone write them.
import { createTranslator } from "./index";

const t = createTranslator({
  en: { never: "never", justNow: "just now", na: "—" },
});

const BYTE_UNITS = ["B", "KB", "MB", "GB", "TB", "PB"] as const;

export function formatBytes(value: number | null | undefined, perSecond = false): string {
  if (value == null || !Number.isFinite(value)) return t("na");
  let unit = 0;
  let scaled = Math.abs(value);
  while (scaled >= 1024 && unit < BYTE_UNITS.length - 1) {
    scaled /= 1024;
    unit += 1;
  }
  const digits = scaled >= 100 || unit === 0 ? 0 : 1;
  const sign = value < 0 ? "-" : "";
  return `${sign}${scaled.toFixed(digits)} ${BYTE_UNITS[unit]}${perSecond ? "/s" : ""}`;
}

const percentFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

export function formatPercent(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return t("na");
  return `${percentFormat.format(value)}%`;
}

// Building an Intl.NumberFormat costs far more than formatting with one: one per precision.
const numberFormats = new Map<number, Intl.NumberFormat>();

export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value == null || !Number.isFinite(value)) return t("na");
  let format = numberFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { maximumFractionDigits: digits });
    numberFormats.set(digits, format);
  }
  return format.format(value);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatDateTime(value: string | number | Date | null | undefined): string {
  if (value == null) return t("never");
  const date = value instanceof Date ? value : new Date(typeof value === "number" ? value * 1000 : value);
  return Number.isNaN(date.getTime()) ? t("na") : dateTime.format(date);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const STEPS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

/** "5 minutes ago", "in 3 days"; `value` is an ISO string, a Date or unix seconds. */
export function formatRelative(value: string | number | Date | null | undefined, now = Date.now()): string {
  if (value == null) return t("never");
  const date = value instanceof Date ? value : new Date(typeof value === "number" ? value * 1000 : value);
  let amount = (date.getTime() - now) / 1000;
  if (Math.abs(amount) < 5) return t("justNow");
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return t("na");
}
