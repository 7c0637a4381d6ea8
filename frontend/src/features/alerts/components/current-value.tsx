import { useQuery } from "@tanstack/react-query";
import { Gauge } from "lucide-react";
import { formatRelative } from "@/lib/i18n/format";
import { cn } from "@/lib/utils";
import { ALERTS_POLL_MS, hostsQuery } from "../api/queries";
import { useNow } from "../hooks/use-now";
import type { Condition } from "../api/types";
import { t } from "../messages";
import { formatMetricValue } from "../utils/format";
import { currentValues, HOST_OFFLINE, hostsOfRule, meets } from "../utils/metrics";

/**
 * The metric's latest value beside the threshold (GET /agents/overview `values`): the host's
 * for a rule on one host; the highest, and how many hosts would fire, for a rule on many.
 */
export function CurrentValue({
  metric,
  agentId,
  labels,
  condition,
  threshold,
  compact = false,
  className: extraClass,
}: {
  metric: string;
  agentId: number | null;
  labels: Record<string, string>;
  condition: Condition;
  threshold: number | null;
  compact?: boolean;
  className?: string;
}) {
  const hosts = useQuery({ ...hostsQuery(), refetchInterval: ALERTS_POLL_MS });
  const now = useNow();
  const className = cn(compact ? "text-xs text-muted-foreground" : "flex min-h-9 items-start gap-2 rounded-md border bg-muted/40 p-2 text-sm", extraClass);
  const icon = compact ? null : <Gauge aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-muted-foreground" />;
  if (hosts.isPending) return <p className={className}>{icon}{t("currentLoading")}</p>;
  if (hosts.isError) return <p className={className}>{icon}{t("currentUnavailable")}</p>;
  const targets = hostsOfRule(hosts.data.data, agentId, labels);
  let text: string;
  if (targets.length === 0) {
    text = agentId == null ? t("currentNoHosts") : t("currentHostUnknown");
  } else if (metric === HOST_OFFLINE) {
    const offline = targets.filter((host) => host.status === "offline");
    const only = targets.length === 1 ? targets[0] : undefined;
    text = only
      ? t(`currentStatus_${only.status}`, { host: only.name, ago: formatRelative(only.last_seen, now.getTime()) })
      : t("currentOffline", { offline: offline.length, count: targets.length });
  } else {
    const values = currentValues(targets, metric);
    const top = values.reduce<(typeof values)[number] | undefined>((best, item) => (best === undefined || item.value > best.value ? item : best), undefined);
    if (!top) text = t("currentNoValue");
    else {
      const firing = threshold === null ? null : values.filter((item) => meets(item.value, condition, threshold)).length;
      if (values.length === 1) {
        text = t("currentOne", { host: top.host.name, value: formatMetricValue(metric, top.value) });
        if (firing !== null) text += ` — ${firing > 0 ? t("wouldFire") : t("wouldNotFire")}`;
      } else {
        text = t("currentMany", { host: top.host.name, value: formatMetricValue(metric, top.value), count: values.length });
        if (firing !== null) text += ` — ${t("wouldFireCount", { firing, count: values.length })}`;
      }
    }
  }
  return (
    <p className={className} aria-live="polite">
      {icon}
      <span>{text}</span>
    </p>
  );
}
