// How each kind of value reads, on axes, legends, cards and tables.
import { formatBytes, formatNumber, formatPercent } from "@/lib/i18n/format";
import { t } from "../messages";

export type Unit = "percent" | "bytes" | "bytesPerSecond" | "load" | "celsius" | "mhz" | "seconds" | "number";

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return t("unknown");
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return t("duration_d", { d, h });
  if (h > 0) return t("duration_h", { h, m });
  if (m > 0) return t("duration_m", { m });
  return t("duration_s", { s });
}

export function formatUnit(unit: Unit, value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return t("unknown");
  switch (unit) {
    case "percent":
      return formatPercent(value);
    case "bytes":
      return formatBytes(value);
    case "bytesPerSecond":
      return formatBytes(value, true);
    case "load":
      return formatNumber(value, 2);
    case "celsius":
      return `${formatNumber(value, 1)} °C`;
    case "mhz":
      return `${formatNumber(value, 0)} MHz`;
    case "seconds":
      return formatDuration(value);
    case "number":
      return formatNumber(value, 2);
  }
}

/** Custom metrics: the unit their name promises (Prometheus naming), else a plain number. */
export function unitOfMetric(name: string): Unit {
  if (name.endsWith("_percent")) return "percent";
  if (name.endsWith("_bytes_per_s")) return "bytesPerSecond";
  if (name.endsWith("_bytes")) return "bytes";
  if (name.endsWith("_celsius")) return "celsius";
  if (name.endsWith("_mhz")) return "mhz";
  if (name.endsWith("_seconds")) return "seconds";
  return "number";
}

/** The y axis always shows at least this: 0–100 % for percentages, from 0 for sizes and rates. */
export function unitAxis(unit: Unit): { yMin?: number; yMax?: number } {
  if (unit === "percent") return { yMin: 0, yMax: 100 };
  // Idle interfaces and disks still get a readable axis (0 B/s – 1 KB/s), not 0.5 B/s steps.
  if (unit === "bytes" || unit === "bytesPerSecond") return { yMin: 0, yMax: 1024 };
  if (unit === "celsius" || unit === "number") return {};
  return { yMin: 0 };
}
