import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Server } from "lucide-react";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { allMonitorsQuery, hostsQuery } from "../api/queries";
import type { Monitor } from "../api/types";
import { t } from "../messages";
import { StatusBadge } from "./status";

function MonitorLink({ monitor }: { monitor: Monitor }) {
  return (
    <span className="flex min-w-0 items-center gap-2">
      <StatusBadge status={monitor.status} />
      <Link to="/monitors/$monitorId" params={{ monitorId: String(monitor.id) }} className="truncate font-medium hover:underline">
        {monitor.name}
      </Link>
    </span>
  );
}

function HostLink({ host }: { host: { id: number; name: string } }) {
  return (
    <span className="flex min-w-0 items-center gap-2">
      <Server aria-hidden="true" className="size-4 shrink-0 text-muted-foreground" />
      <Link to="/hosts/$agentId" params={{ agentId: String(host.id) }} className="truncate font-medium hover:underline">
        {host.name}
      </Link>
    </span>
  );
}

/**
 * What this monitor depends on, and the monitors and hosts that depend on it (reported
 * unreachable while it is down).
 */
export function Dependencies({ monitor }: { monitor: Monitor }) {
  const all = useQuery(allMonitorsQuery());
  const hosts = useQuery(hostsQuery());
  const monitors = all.data?.data ?? [];
  const parent = monitor.parent_id == null ? null : monitors.find((other) => other.id === monitor.parent_id);
  const children = monitors.filter((other) => other.parent_id === monitor.id);
  const hostChildren = (hosts.data ?? []).filter((host) => host.parent_monitor_id === monitor.id);
  return (
    <Card className="min-w-0">
      <CardHeader>
        <CardTitle>{t("dependencies")}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3 text-sm">
        <div className="grid gap-1">
          <h4 className="text-xs font-medium text-muted-foreground">{t("dependsOn")}</h4>
          {monitor.parent_id == null ? (
            <p className="text-muted-foreground">{t("noParent")}</p>
          ) : parent ? (
            <MonitorLink monitor={parent} />
          ) : (
            <p>{t("monitorNumber", { id: monitor.parent_id })}</p>
          )}
        </div>
        <div className="grid gap-1">
          <h4 className="text-xs font-medium text-muted-foreground">{t("dependants")}</h4>
          {children.length === 0 && hostChildren.length === 0 ? (
            <p className="text-muted-foreground">{t("noDependants")}</p>
          ) : (
            <ul className="grid gap-1" aria-label={t("dependants")}>
              {children.map((child) => (
                <li key={`m${child.id}`}>
                  <MonitorLink monitor={child} />
                </li>
              ))}
              {hostChildren.map((host) => (
                <li key={`h${host.id}`}>
                  <HostLink host={host} />
                </li>
              ))}
            </ul>
          )}
          <p className="text-xs text-muted-foreground">{t("dependantsHint")}</p>
        </div>
      </CardContent>
    </Card>
  );
}
