// The pieces a host card and a table row share: status, usage meters, network rates,
// labels and firing alerts.
import { Bell } from "lucide-react";
import { createContext, memo, useContext } from "react";
import { Badge } from "@/components/ui/badge";
import { ProgressBar } from "@/components/ui/progress-bar";
import { formatBytes, formatPercent, formatRelative } from "@/lib/i18n/format";
import { cn } from "@/lib/utils";
import type { AlertRule, Host, HostStatus } from "../api/queries";
import { useClock } from "../hooks/use-clock";
import type { HostAlerts } from "../model/alerts";
import { thresholdsFor, type UsageMetric } from "../model/thresholds";
import { statusText, t } from "../messages";

/** What every card and row needs besides its host: firing alerts and the alert rules. */
export interface HostsContextValue {
  alerts: ReadonlyMap<number, HostAlerts>;
  rules: readonly AlertRule[] | undefined;
}
export const HostsContext = createContext<HostsContextValue>({ alerts: new Map(), rules: undefined });
export const useHostsContext = () => useContext(HostsContext);

const DOT: Record<HostStatus, string> = {
  online: "bg-ok",
  offline: "bg-crit",
  never: "bg-muted-foreground/40",
};

export function StatusDot({ status, className }: { status: HostStatus; className?: string }) {
  return <span aria-hidden="true" className={cn("inline-block size-2.5 shrink-0 rounded-full", DOT[status], className)} />;
}

/** "Online", or "Offline · 3 minutes ago" (`stacked`: the time on a line of its own), "Never reported". */
export function StatusText({ host, stacked = false, className }: { host: Host; stacked?: boolean; className?: string }) {
  const seen = host.status === "offline" && host.last_seen !== null ? <LastSeen at={host.last_seen} stacked={stacked} /> : null;
  return (
    <span className={cn("inline-flex min-w-0 max-w-full items-center gap-1.5", className)} data-status={host.status}>
      <StatusDot status={host.status} />
      <span className={stacked ? "min-w-0 leading-tight" : "truncate"}>
        {statusText(host.status)}
        {seen}
      </span>
    </span>
  );
}

function LastSeen({ at, stacked }: { at: number; stacked: boolean }) {
  const now = useClock();
  return stacked ? (
    <span className="block truncate text-muted-foreground">{formatRelative(at, now)}</span>
  ) : (
    <span className="text-muted-foreground"> · {formatRelative(at, now)}</span>
  );
}

const METRIC_KEY: Record<UsageMetric, string> = { cpu: "cpu_percent", memory: "memory_percent", disk: "disk_percent" };

export function usageOf(host: Host, metric: UsageMetric): number | undefined {
  return host.values[METRIC_KEY[metric]];
}

/** Per-host warning/critical levels from the rules in context. */
export function useThresholds(host: Host) {
  const { rules } = useHostsContext();
  return thresholdsFor(host, rules);
}

export function UsageMeter({ host, metric, levels, className }: { host: Host; metric: UsageMetric; levels: { warn: number; crit: number }; className?: string }) {
  const value = usageOf(host, metric);
  return (
    <div className={cn("flex min-w-0 items-center gap-2", className)}>
      {/* No value: an empty track (no meter), the dash beside says it. */}
      <ProgressBar value={value} label={`${t(metric)} ${host.name}`} warn={levels.warn} crit={levels.crit} className="min-w-8 flex-1" />
      <span className="w-12 shrink-0 text-right text-xs tabular-nums" data-metric={metric}>
        {formatPercent(value)}
      </span>
    </div>
  );
}

export function NetRates({ host, className }: { host: Host; className?: string }) {
  const rx = host.values.net_recv_bytes_per_s;
  const tx = host.values.net_sent_bytes_per_s;
  return (
    <span className={cn("inline-flex items-center gap-2 text-xs tabular-nums", className)}>
      <span title={t("netInValue", { rate: formatBytes(rx, true) })}>
        <span aria-hidden="true" className="text-muted-foreground">↓ </span>
        <span className="sr-only">{t("netIn")} </span>
        {formatBytes(rx, true)}
      </span>
      <span title={t("netOutValue", { rate: formatBytes(tx, true) })}>
        <span aria-hidden="true" className="text-muted-foreground">↑ </span>
        <span className="sr-only">{t("netOut")} </span>
        {formatBytes(tx, true)}
      </span>
    </span>
  );
}

export const LabelChips = memo(function LabelChips({ labels, className }: { labels: Host["labels"]; className?: string }) {
  const entries = Object.entries(labels);
  if (entries.length === 0) return null;
  return (
    <ul aria-label={t("labels")} className={cn("flex min-w-0 gap-1 overflow-hidden", className)}>
      {entries.map(([key, value]) => (
        <li key={key} className="shrink-0">
          <Badge className="max-w-40 truncate px-1.5 py-0 font-normal text-muted-foreground">
            {key}={value}
          </Badge>
        </li>
      ))}
    </ul>
  );
});

/** "2 firing" with the alerts' names beside it; nothing when none fire. */
export function AlertsSummary({ agentId, withNames = true, className }: { agentId: number; withNames?: boolean; className?: string }) {
  const alerts = useHostsContext().alerts.get(agentId);
  if (!alerts) return null;
  const names = alerts.names.join(" · ");
  return (
    <span className={cn("flex min-w-0 items-center gap-2", className)} title={names}>
      <Badge tone={alerts.critical ? "crit" : "warn"} className="shrink-0">
        <Bell className="size-3" aria-hidden="true" />
        {alerts.count === 1 ? t("alertsCount_one") : t("alertsCount", { count: alerts.count })}
      </Badge>
      {withNames ? <span className="truncate text-xs text-muted-foreground">{names}</span> : null}
    </span>
  );
}
