// Firing alerts by host, and the short names cards show for them ("CPU > 90 %").
import type { FiringAlert } from "../api/queries";
import { t } from "../messages";

type MetricKey = Parameters<typeof t>[0] & `metric_${string}`;
const METRIC_NAMES: Record<string, MetricKey> = {
  cpu: "metric_cpu",
  cpu_percent: "metric_cpu",
  cpu_core_percent: "metric_cpu_core",
  memory: "metric_memory",
  memory_percent: "metric_memory",
  swap: "metric_swap",
  swap_percent: "metric_swap",
  disk: "metric_disk",
  disk_percent: "metric_disk",
  partition_percent: "metric_partition",
  load: "metric_load",
  load_1: "metric_load",
  temperature: "metric_temperature",
  temperature_celsius: "metric_temperature",
  network_in: "metric_net_in",
  network_out: "metric_net_out",
  net_recv_bytes_per_s: "metric_net_in",
  net_sent_bytes_per_s: "metric_net_out",
  host_offline: "metric_offline",
};
const PERCENT = new Set(["cpu", "cpu_percent", "cpu_core_percent", "memory", "memory_percent", "swap", "swap_percent", "disk", "disk_percent", "partition_percent"]);
const CONDITIONS: Record<string, string> = { gt: ">", ge: "≥", lt: "<", le: "≤", eq: "=", ne: "≠" };
const ITEM_LABELS = ["mountpoint", "interface", "sensor", "core"] as const;

/** "CPU > 90%", "Partition /data ≥ 95%", "Offline". */
export function alertName(alert: Pick<FiringAlert, "metric" | "condition" | "threshold" | "labels">): string {
  const key = METRIC_NAMES[alert.metric];
  const metric = key ? t(key) : alert.metric;
  if (alert.metric === "host_offline") return metric;
  const item = ITEM_LABELS.map((key) => alert.labels[key]).find((value) => value !== undefined);
  const subject = item ? `${metric} ${item}` : metric;
  const unit = PERCENT.has(alert.metric) ? "%" : "";
  return `${subject} ${CONDITIONS[alert.condition] ?? alert.condition} ${alert.threshold}${unit}`;
}

export interface HostAlerts {
  count: number;
  names: string[];
  critical: boolean;
}

/** Firing alerts grouped by agent: how many, their names (critical first), any critical. */
export function alertsByHost(alerts: readonly FiringAlert[]): Map<number, HostAlerts> {
  const grouped = new Map<number, FiringAlert[]>();
  for (const alert of alerts) {
    if (alert.agent_id === null) continue;
    const list = grouped.get(alert.agent_id) ?? [];
    list.push(alert);
    grouped.set(alert.agent_id, list);
  }
  const result = new Map<number, HostAlerts>();
  for (const [agentId, list] of grouped) {
    list.sort((a, b) => Number(b.severity === "critical") - Number(a.severity === "critical"));
    result.set(agentId, {
      count: list.length,
      names: [...new Set(list.map(alertName))],
      critical: list.some((alert) => alert.severity === "critical"),
    });
  }
  return result;
}
