import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatBytes, formatDateTime, formatNumber, formatRelative } from "@/lib/i18n/format";
import { agentQuery, type HostOverview, parentMonitorQuery } from "../api/queries";
import { infoNumber, infoText } from "../model/host";
import { t } from "../messages";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid min-w-0 grid-cols-[minmax(6rem,9rem)_1fr] gap-3 py-1.5 text-sm">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children ?? t("unknown")}</dd>
    </div>
  );
}

/** The uptime monitor this host sits behind (set on the Agents page), linked, with its state. */
function ParentMonitor({ agentId }: { agentId: number }) {
  const agent = useQuery(agentQuery(agentId));
  const parentId = agent.data?.parent_monitor_id ?? null;
  const parent = useQuery({ ...parentMonitorQuery(parentId ?? 0), enabled: parentId !== null });
  if (agent.isPending) return null;
  if (parentId === null) return <span className="text-muted-foreground">{t("noParentMonitor")}</span>;
  return (
    <>
      <Link to="/monitors/$monitorId" params={{ monitorId: String(parentId) }} className="font-medium underline-offset-4 hover:underline">
        {parent.data?.name ?? t("monitorNumber", { id: parentId })}
      </Link>
      {parent.data ? <span className="text-muted-foreground">{` · ${t(`monitorStatus_${parent.data.status}`)}`}</span> : null}
    </>
  );
}

/** What the agent told about the host: OS, kernel, CPU, memory, boot time, its version, labels. */
export function HostInfo({ host }: { host: HostOverview }) {
  const info = host.host_info;
  const os = [infoText(info, "os"), infoText(info, "os_version")].filter(Boolean).join(" · ");
  const cores = infoNumber(info, "cpu_cores");
  const threads = infoNumber(info, "cpu_threads");
  const memory = infoNumber(info, "memory_total");
  const boot = infoNumber(info, "boot_time");
  const labels = Object.entries(host.labels);
  return (
    <Card className="min-w-0">
      <CardHeader>
        <CardTitle>{t("hostInfo")}</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid divide-y">
          <Row label={t("hostname")}>{infoText(info, "hostname")}</Row>
          <Row label={t("ip")}>{infoText(info, "ip")}</Row>
          <Row label={t("os")}>{os || null}</Row>
          <Row label={t("kernel")}>{infoText(info, "kernel")}</Row>
          <Row label={t("cpuModel")}>{infoText(info, "cpu_model")}</Row>
          <Row label={t("cpuCores")}>
            {cores !== null ? (threads !== null && threads !== cores ? t("coresThreads", { cores, threads }) : t("cores", { cores })) : null}
          </Row>
          <Row label={t("memoryTotal")}>{memory !== null ? formatBytes(memory) : null}</Row>
          <Row label={t("booted")}>{boot !== null ? `${formatDateTime(boot)} (${formatRelative(boot)})` : null}</Row>
          <Row label={t("agentVersion")}>{infoText(info, "agent_version")}</Row>
          <Row label={t("dependsOn")}>
            <ParentMonitor agentId={host.id} />
          </Row>
          <Row label={t("interval")}>{host.interval ? t("everySeconds", { seconds: formatNumber(host.interval, 1) }) : null}</Row>
        </dl>
        <div className="mt-3 flex flex-wrap items-center gap-1.5" aria-label={t("labels")} role="group">
          {labels.length === 0 ? (
            <span className="text-sm text-muted-foreground">{t("noLabels")}</span>
          ) : (
            labels.map(([key, value]) => (
              <Badge key={key} tone="info">
                {key}={value}
              </Badge>
            ))
          )}
        </div>
      </CardContent>
    </Card>
  );
}
