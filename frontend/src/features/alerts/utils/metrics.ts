// What a rule can watch, as core/schemas/alerting.py and core/reports.py define it: the short
// names StatusMonitor v1 used, the canonical metric each watches, which are percentages.
import type { Condition, HostOverview } from "../api/types";

export const HOST_OFFLINE = "host_offline";

export const METRIC_ALIASES = {
  cpu: "cpu_percent",
  memory: "memory_percent",
  disk: "disk_percent",
  swap: "swap_percent",
  load: "load_1",
  temperature: "temperature_celsius",
  network_in: "net_recv_bytes_per_s",
  network_out: "net_sent_bytes_per_s",
} as const;

export const PERCENT_METRICS: ReadonlySet<string> = new Set([
  "cpu_percent",
  "cpu_core_percent",
  "memory_percent",
  "swap_percent",
  "disk_percent",
  "partition_percent",
]);

/** The choices the rule form offers first; any other metric name is typed in. */
export const COMMON_METRICS = [
  "cpu",
  "memory",
  "disk",
  "swap",
  "load",
  "network_in",
  "network_out",
  "temperature",
  "partition_percent",
  "cpu_core_percent",
  HOST_OFFLINE,
] as const;

// Monitor rules (target_type "monitor"): core/reports.py MONITOR_METRICS and the short names of
// core/schemas/alerting.py MONITOR_METRIC_ALIASES, which the server stores as the metric.
export const MONITOR_DOWN = "monitor_down";
export const MONITOR_DEGRADED = "monitor_degraded";
export const MONITOR_UNREACHABLE = "monitor_unreachable";
export const MONITOR_UP = "monitor_up";
export const RESPONSE_TIME = "response_time_ms";
export const CERT_DAYS_LEFT = "cert_days_left";

export const MONITOR_METRIC_NAMES = [
  MONITOR_UP,
  MONITOR_DOWN,
  MONITOR_DEGRADED,
  MONITOR_UNREACHABLE,
  RESPONSE_TIME,
  CERT_DAYS_LEFT,
  "http_status_code",
  "ping_packet_loss_percent",
  "ping_rtt_min_ms",
  "ping_rtt_avg_ms",
  "ping_rtt_max_ms",
  "push_run_seconds",
] as const;
export type MonitorMetricName = (typeof MONITOR_METRIC_NAMES)[number];

export function isMonitorMetric(metric: string): metric is MonitorMetricName {
  return (MONITOR_METRIC_NAMES as readonly string[]).includes(metric);
}

const MONITOR_METRIC_ALIASES: ReadonlyMap<string, MonitorMetricName> = new Map([
  ["down", MONITOR_DOWN],
  ["degraded", MONITOR_DEGRADED],
  ["unreachable", MONITOR_UNREACHABLE],
  ["response_time", RESPONSE_TIME],
  ["cert_expiry", CERT_DAYS_LEFT],
  ["certificate", CERT_DAYS_LEFT],
]);

/** Monitor states (1 or 0): a host has none of these. */
const STATE_METRICS: ReadonlySet<string> = new Set([MONITOR_UP, MONITOR_DOWN, MONITOR_DEGRADED, MONITOR_UNREACHABLE]);

export function isStateMetric(metric: string): boolean {
  return STATE_METRICS.has(metric);
}

/**
 * The monitor rules the form offers first (issue 12): a fixed one is a state's "is" (the
 * server's default condition and threshold); the others take a number (ms, days).
 */
export const MONITOR_CHOICES = [
  { metric: MONITOR_DOWN, condition: "ge", threshold: 1, fixed: true },
  { metric: MONITOR_DEGRADED, condition: "ge", threshold: 1, fixed: true },
  { metric: RESPONSE_TIME, condition: "gt", threshold: 1000, fixed: false },
  { metric: CERT_DAYS_LEFT, condition: "le", threshold: 14, fixed: false },
] as const satisfies readonly { metric: MonitorMetricName; condition: Condition; threshold: number; fixed: boolean }[];
export type MonitorChoice = (typeof MONITOR_CHOICES)[number];

/** The metric a monitor rule stores for `metric` as typed, or null when monitors have none such. */
export function monitorMetric(metric: string): MonitorMetricName | null {
  const canonical = MONITOR_METRIC_ALIASES.get(metric) ?? metric;
  return isMonitorMetric(canonical) ? canonical : null;
}

/** What a state rule means when it reads "is down" (the server's defaults: `ge 1`, `lt 1` for up). */
export function isPlainState(metric: string, condition: string, threshold: number): boolean {
  if (metric === MONITOR_UP) return condition === "lt" && threshold === 1;
  return STATE_METRICS.has(metric) && condition === "ge" && threshold === 1;
}

export const METRIC_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]{0,199}$/;
export const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/;

export function canonicalMetric(metric: string): string {
  return metric in METRIC_ALIASES ? METRIC_ALIASES[metric as keyof typeof METRIC_ALIASES] : metric;
}

export function isPercentMetric(metric: string): boolean {
  return PERCENT_METRICS.has(canonicalMetric(metric));
}

export function isKnownMetric(metric: string): boolean {
  return metric in METRIC_ALIASES || METRIC_NAME_RE.test(metric);
}

export type MetricUnit = "percent" | "bytesPerSecond" | "celsius" | "intervals" | "milliseconds" | "days" | "seconds" | "plain";

export function unitOf(metric: string): MetricUnit {
  const canonical = canonicalMetric(metric);
  if (canonical === HOST_OFFLINE) return "intervals";
  if (PERCENT_METRICS.has(canonical)) return "percent";
  if (canonical.endsWith("_bytes_per_s")) return "bytesPerSecond";
  if (canonical.endsWith("_celsius")) return "celsius";
  if (canonical.endsWith("_ms")) return "milliseconds";
  if (canonical === CERT_DAYS_LEFT) return "days";
  if (canonical === "push_run_seconds") return "seconds";
  return "plain";
}

/** Whether `value` meets the rule's condition against `threshold` (the evaluator's test). */
export function meets(value: number, condition: Condition, threshold: number): boolean {
  switch (condition) {
    case "gt":
      return value > threshold;
    case "ge":
      return value >= threshold;
    case "lt":
      return value < threshold;
    case "le":
      return value <= threshold;
    case "eq":
      return value === threshold;
    case "ne":
      return value !== threshold;
  }
}

/** Hosts a rule applies to: one host, or every host carrying all of the rule's labels. */
export function hostsOfRule(hosts: readonly HostOverview[], agentId: number | null | undefined, labels: Record<string, string>): HostOverview[] {
  if (agentId != null) return hosts.filter((host) => host.id === agentId);
  return hosts.filter((host) => Object.entries(labels).every(([key, value]) => host.labels[key] === value));
}

export interface CurrentValue {
  host: HostOverview;
  value: number;
}

/** The latest value of `metric` on each host that reports it in the overview. */
export function currentValues(hosts: readonly HostOverview[], metric: string): CurrentValue[] {
  const canonical = canonicalMetric(metric);
  const found: CurrentValue[] = [];
  for (const host of hosts) {
    const value = host.values[canonical];
    if (typeof value === "number" && Number.isFinite(value)) found.push({ host, value });
  }
  return found;
}
