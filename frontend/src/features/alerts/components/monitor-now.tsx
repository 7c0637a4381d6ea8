import { useQuery } from "@tanstack/react-query";
import { Gauge } from "lucide-react";
import { cn } from "@/lib/utils";
import { ALERTS_POLL_MS, monitorsQuery } from "../api/queries";
import type { Condition } from "../api/types";
import { useNow } from "../hooks/use-now";
import { t } from "../messages";
import { formatMetricValue } from "../utils/format";
import { isStateMetric } from "../utils/metrics";
import { firingCount, monitorReadings, monitorsOfRule } from "../utils/monitor-values";

/**
 * Beside a monitor rule's threshold: its monitor's current state or value (GET /monitors), or
 * for a rule on many the one nearest to firing and how many would fire.
 */
export function MonitorNow({
  metric,
  monitorId,
  labels,
  condition,
  threshold,
  compact = false,
  className: extraClass,
}: {
  metric: string;
  monitorId: number | null;
  labels: Record<string, string>;
  condition: Condition;
  threshold: number | null;
  compact?: boolean;
  className?: string;
}) {
  const monitors = useQuery({ ...monitorsQuery(), refetchInterval: ALERTS_POLL_MS });
  const now = useNow();
  const className = cn(compact ? "text-xs text-muted-foreground" : "flex min-h-9 items-start gap-2 rounded-md border bg-muted/40 p-2 text-sm", extraClass);
  const icon = compact ? null : <Gauge aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-muted-foreground" />;
  let text: string;
  if (monitors.isPending) text = t("currentLoading");
  else if (monitors.isError) text = t("currentUnavailable");
  else {
    const targets = monitorsOfRule(monitors.data.data, monitorId, labels);
    const readings = monitorReadings(targets, metric, condition, now.getTime());
    const firing = threshold === null ? null : firingCount(readings, condition, threshold);
    const [nearest] = readings;
    if (targets.length === 0) text = monitorId == null ? t("currentNoMonitors") : t("currentMonitorUnknown");
    else if (!nearest) text = t("currentNoMonitorValue");
    else if (isStateMetric(metric) && targets.length > 1) text = t("currentMonitorsFiring", { firing: firingCount(readings, condition, threshold ?? 1), count: readings.length });
    else if (isStateMetric(metric)) text = t(`currentMonitorStatus_${nearest.monitor.status}`, { monitor: nearest.monitor.name });
    else {
      const value = formatMetricValue(metric, nearest.value);
      text = readings.length === 1 ? t("currentOne", { host: nearest.monitor.name, value }) : t("currentMonitorsMany", { monitor: nearest.monitor.name, value, count: readings.length });
      if (firing !== null) text += ` — ${readings.length === 1 ? (firing > 0 ? t("wouldFire") : t("wouldNotFire")) : t("wouldFireCount", { firing, count: readings.length })}`;
    }
  }
  return (
    <p className={className} aria-live="polite">
      {icon}
      <span>{text}</span>
    </p>
  );
}
