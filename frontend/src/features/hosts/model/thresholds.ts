// Where a usage bar turns warning and critical: the organization's alert rules for that
// metric when it has any for the host (a bar turns the colour of the alert that fires there),
// 70 % / 90 % otherwise.
import type { AlertRule, Host } from "../api/queries";

export type UsageMetric = "cpu" | "memory" | "disk";
export interface Levels {
  warn: number;
  crit: number;
}
export type Thresholds = Record<UsageMetric, Levels>;

export const DEFAULT_LEVELS: Levels = { warn: 70, crit: 90 };
export const DEFAULT_THRESHOLDS: Thresholds = { cpu: DEFAULT_LEVELS, memory: DEFAULT_LEVELS, disk: DEFAULT_LEVELS };

// The rule's metric names (aliases as StatusMonitor v1 wrote them, and the canonical ones).
const RULE_METRICS: Record<string, UsageMetric> = {
  cpu: "cpu",
  cpu_percent: "cpu",
  memory: "memory",
  memory_percent: "memory",
  disk: "disk",
  disk_percent: "disk",
};

function applies(rule: AlertRule, host: Host): boolean {
  if (!rule.enabled || (rule.condition !== "gt" && rule.condition !== "ge")) return false;
  if (Object.keys(rule.match).length > 0) return false; // one partition or interface, not the host's bar
  if (rule.agent_id !== null) return rule.agent_id === host.id;
  return Object.entries(rule.labels).every(([key, value]) => host.labels[key] === value);
}

/**
 * Per metric: the lowest threshold of the host's warning rules and of its critical rules.
 * With rules for a metric, a level no rule sets never shows (a warning rule alone: green,
 * then yellow where it fires); without any, the defaults.
 */
export function thresholdsFor(host: Host, rules: readonly AlertRule[] | undefined): Thresholds {
  if (!rules || rules.length === 0) return DEFAULT_THRESHOLDS;
  const found: Partial<Record<UsageMetric, { warn?: number; crit?: number }>> = {};
  for (const rule of rules) {
    const metric = RULE_METRICS[rule.metric_type];
    if (!metric || (rule.severity !== "warning" && rule.severity !== "critical") || !applies(rule, host)) continue;
    const level = rule.severity === "warning" ? "warn" : "crit";
    const entry = (found[metric] ??= {});
    entry[level] = Math.min(entry[level] ?? Number.POSITIVE_INFINITY, rule.threshold);
  }
  const levels = (metric: UsageMetric): Levels => {
    const entry = found[metric];
    if (!entry) return DEFAULT_LEVELS;
    const crit = entry.crit ?? Number.POSITIVE_INFINITY;
    return { warn: Math.min(entry.warn ?? crit, crit), crit };
  };
  return { cpu: levels("cpu"), memory: levels("memory"), disk: levels("disk") };
}
