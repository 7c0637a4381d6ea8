import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Skeleton } from "@/components/ui/skeleton";
import { formatBytes, formatNumber, formatPercent } from "@/lib/i18n/format";
import { type HostOverview, latestReportQuery } from "../api/queries";
import { infoNumber, uptimeOf } from "../model/host";
import { samplesOf } from "../model/report";
import { formatDuration } from "../model/units";
import { t } from "../messages";

function Value({ label, value, children, bar }: { label: string; value: ReactNode; children?: ReactNode; bar?: number | null }) {
  return (
    <Card className="flex min-w-0 flex-col gap-1.5 p-3" data-card={label}>
      <p className="text-xs font-medium text-muted-foreground">{label}</p>
      <p className="truncate text-xl font-semibold tabular-nums">{value}</p>
      {bar !== undefined ? <ProgressBar value={bar} label={label} /> : null}
      {children ? <div className="truncate text-xs text-muted-foreground tabular-nums">{children}</div> : null}
    </Card>
  );
}

/** The latest values, live: from each report frame, else the overview's last known ones. */
export function ValueCards({ agentId, host }: { agentId: number; host: HostOverview | undefined }) {
  const { data: report } = useQuery(latestReportQuery(agentId));
  if (!report && !host) {
    return (
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-5" aria-busy="true">
        {Array.from({ length: 10 }, (_, i) => (
          <Skeleton key={i} className="h-24" />
        ))}
      </div>
    );
  }
  const value = (name: string): number | null => report?.metrics[name] ?? host?.values[name] ?? null;
  const info = host?.host_info;
  const cores = infoNumber(info, "cpu_cores");
  const threads = infoNumber(info, "cpu_threads");
  const freq = value("cpu_freq_mhz");
  const swapTotal = value("swap_total_bytes");
  const bootTime = infoNumber(info, "boot_time");
  const uptime = uptimeOf(value("uptime_seconds"), bootTime);
  const processes = value("process_count");
  const temperatures = samplesOf(report, "temperature_celsius");
  const hottest = temperatures.length > 0 ? Math.max(...temperatures.map((s) => s.value)) : null;
  const rate = (name: string) => formatBytes(value(name), true);
  const cpuDetail = [
    cores !== null ? (threads !== null && threads !== cores ? t("coresThreads", { cores, threads }) : t("cores", { cores })) : null,
    freq ? `${formatNumber(freq, 0)} MHz` : null,
  ]
    .filter(Boolean)
    .join(" · ");

  return (
    <section aria-label={t("liveValues")} className="grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-5">
      <Value label={t("cpu")} value={formatPercent(value("cpu_percent"))} bar={value("cpu_percent")}>
        {cpuDetail || null}
      </Value>
      <Value label={t("memory")} value={formatPercent(value("memory_percent"))} bar={value("memory_percent")}>
        {value("memory_total_bytes") !== null
          ? t("usedOfTotal", { used: formatBytes(value("memory_used_bytes")), total: formatBytes(value("memory_total_bytes")) })
          : null}
      </Value>
      <Value
        label={t("swap")}
        value={swapTotal === 0 ? t("noSwap") : formatPercent(value("swap_percent"))}
        {...(swapTotal === 0 ? {} : { bar: value("swap_percent") })}
      >
        {swapTotal ? t("usedOfTotal", { used: formatBytes(value("swap_used_bytes")), total: formatBytes(swapTotal) }) : null}
      </Value>
      <Value label={t("disk")} value={formatPercent(value("disk_percent"))} bar={value("disk_percent")}>
        {value("disk_total_bytes") !== null
          ? t("usedOfTotal", { used: formatBytes(value("disk_used_bytes")), total: formatBytes(value("disk_total_bytes")) })
          : null}
      </Value>
      <Value label={t("load")} value={formatNumber(value("load_1"), 2)}>
        {value("load_5") !== null
          ? t("loadTriple", { one: formatNumber(value("load_1"), 2), five: formatNumber(value("load_5"), 2), fifteen: formatNumber(value("load_15"), 2) })
          : t("loadHint")}
      </Value>
      <Value label={t("network")} value={<span className="text-base">↓ {rate("net_recv_bytes_per_s")}</span>}>
        ↑ {rate("net_sent_bytes_per_s")}
      </Value>
      <Value
        label={t("diskIo")}
        value={
          <span className="text-base">
            {t("read")} {rate("disk_read_bytes_per_s")}
          </span>
        }
      >
        {t("write")} {rate("disk_write_bytes_per_s")}
      </Value>
      <Value label={t("uptime")} value={formatDuration(uptime)}>
        {processes !== null ? t("processes", { count: formatNumber(processes, 0) }) : null}
      </Value>
      {hottest !== null ? (
        <Value label={t("temperature")} value={`${formatNumber(hottest, 1)} °C`}>
          {t("hottest", { count: temperatures.length })}
        </Value>
      ) : null}
    </section>
  );
}
