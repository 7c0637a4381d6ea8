import { formatBytes, formatNumber, formatPercent } from "@/lib/i18n/format";
import { t } from "../messages";
import type { Condition } from "../api/types";
import { CERT_DAYS_LEFT, HOST_OFFLINE, isMonitorMetric, isPlainState, METRIC_ALIASES, unitOf } from "./metrics";

export function formatMetricValue(metric: string, value: number | null | undefined): string {
  switch (unitOf(metric)) {
    case "percent":
      return formatPercent(value);
    case "bytesPerSecond":
      return formatBytes(value, true);
    case "celsius":
      return value == null ? formatNumber(value) : `${formatNumber(value, 1)} °C`;
    case "intervals":
      return t("missedIntervals", { count: formatNumber(value, 0) });
    case "milliseconds":
      return value == null ? formatNumber(value) : t("valueMs", { n: formatNumber(value, 0) });
    case "days":
      return value == null ? formatNumber(value) : t("valueDays", { n: formatNumber(value, 0) });
    case "seconds":
      return value == null ? formatNumber(value) : t("valueSeconds", { n: formatNumber(value, 1) });
    case "plain":
      return formatNumber(value);
  }
}

const CONDITION_SIGNS: Record<Condition, string> = { gt: ">", ge: "≥", lt: "<", le: "≤", eq: "=", ne: "≠" };

export function conditionSign(condition: string): string {
  return condition in CONDITION_SIGNS ? CONDITION_SIGNS[condition as Condition] : condition;
}

/** "CPU", "Memory"… for the short names; the metric name itself otherwise. */
export function metricLabel(metric: string): string {
  if (metric === HOST_OFFLINE) return t("metric_host_offline");
  if (metric in METRIC_ALIASES) return t(`metric_${metric as keyof typeof METRIC_ALIASES}`);
  if (metric === "partition_percent") return t("metric_partition_percent");
  if (metric === "cpu_core_percent") return t("metric_cpu_core_percent");
  if (isMonitorMetric(metric)) return t(`metric_${metric}`);
  return metric;
}

/** "CPU > 90%", "Host offline ≥ 3 missed intervals", "Monitor down", "Certificate expires within 14 days". */
export function describeCondition(metric: string, condition: string, threshold: number): string {
  if (isPlainState(metric, condition, threshold)) return metricLabel(metric);
  if (metric === CERT_DAYS_LEFT && condition === "le") return t("certExpiresWithin", { days: formatMetricValue(metric, threshold) });
  return `${metricLabel(metric)} ${conditionSign(condition)} ${formatMetricValue(metric, threshold)}`;
}

/** "2 h 5 min", "45 s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return "—";
  const total = Math.max(0, Math.round(seconds));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  const parts: string[] = [];
  if (days) parts.push(t("durationDays", { n: days }));
  if (hours) parts.push(t("durationHours", { n: hours }));
  if (minutes && days === 0) parts.push(t("durationMinutes", { n: minutes }));
  if (secs && days === 0 && hours === 0) parts.push(t("durationSeconds", { n: secs }));
  return parts.length ? parts.join(" ") : t("durationSeconds", { n: 0 });
}
