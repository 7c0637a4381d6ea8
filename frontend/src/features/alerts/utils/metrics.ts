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

export type MetricUnit = "percent" | "bytesPerSecond" | "celsius" | "intervals" | "plain";

export function unitOf(metric: string): MetricUnit {
  const canonical = canonicalMetric(metric);
  if (canonical === HOST_OFFLINE) return "intervals";
  if (PERCENT_METRICS.has(canonical)) return "percent";
  if (canonical.endsWith("_bytes_per_s")) return "bytesPerSecond";
  if (canonical.endsWith("_celsius")) return "celsius";
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
