import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { BellOff, Check } from "lucide-react";
import { ErrorMessage } from "@/components/errors/error-message";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { formatNumber, formatRelative } from "@/lib/i18n/format";
import { type Alert, alertsQuery } from "../api/queries";
import { t } from "../messages";

const RECENT = 5;
const TONE = { critical: "crit", warning: "warn", info: "info" } as const;
const CONDITION: Record<string, string> = { gt: ">", ge: "≥", lt: "<", le: "≤", eq: "=", ne: "≠" };

function AlertRow({ alert }: { alert: Alert }) {
  return (
    <li className="flex flex-wrap items-start justify-between gap-2 py-2 text-sm">
      <div className="min-w-0">
        <p className="font-medium break-words">
          {t("alertLine", {
            metric: alert.metric,
            condition: CONDITION[alert.condition] ?? alert.condition,
            threshold: formatNumber(alert.threshold),
            value: formatNumber(alert.value),
          })}
        </p>
        <p className="text-xs text-muted-foreground">
          {alert.resolved_at ? t("resolvedAt", { when: formatRelative(alert.resolved_at) }) : t("since", { when: formatRelative(alert.started_at) })}
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-1">
        {alert.acknowledged_at ? (
          <Badge>
            <Check className="size-3" aria-hidden="true" />
            {t("acknowledged")}
          </Badge>
        ) : null}
        {alert.silenced ? (
          <Badge>
            <BellOff className="size-3" aria-hidden="true" />
            {t("silenced")}
          </Badge>
        ) : null}
        <Badge tone={alert.resolved_at ? "neutral" : TONE[alert.severity]}>{t(`severity_${alert.severity}`)}</Badge>
      </div>
    </li>
  );
}

/** The host's firing alerts and its last resolved ones (the alert list filtered to this agent). */
export function HostAlerts({ agentId }: { agentId: number }) {
  const firing = useQuery(alertsQuery(agentId, "firing"));
  const resolved = useQuery(alertsQuery(agentId, "resolved"));
  const recent = resolved.data?.slice(0, RECENT) ?? [];
  return (
    <Card className="min-w-0 scroll-mt-20" id="alerts">
      <CardHeader className="flex-row items-center justify-between gap-2">
        <CardTitle>{t("alerts")}</CardTitle>
        <Link to="/alerts" className="text-sm text-primary underline-offset-4 hover:underline">
          {t("openAlerts")}
        </Link>
      </CardHeader>
      <CardContent className="grid gap-3">
        {firing.isPending || resolved.isPending ? (
          <div className="grid gap-2" aria-busy="true">
            <Skeleton className="h-10" />
            <Skeleton className="h-10" />
          </div>
        ) : firing.isError ? (
          <ErrorMessage error={firing.error} onRetry={() => void firing.refetch()} />
        ) : firing.data.length === 0 && recent.length === 0 ? (
          <div className="text-sm">
            <p>{t("noAlerts")}</p>
            <p className="text-muted-foreground">{t("noAlertsHint")}</p>
          </div>
        ) : (
          <>
            {firing.data.length > 0 ? (
              <div>
                <h3 className="text-sm font-semibold text-crit">{t("firing")}</h3>
                <ul className="divide-y">
                  {firing.data.map((alert) => (
                    <AlertRow key={alert.id} alert={alert} />
                  ))}
                </ul>
              </div>
            ) : null}
            {recent.length > 0 ? (
              <div>
                <h3 className="text-sm font-semibold text-muted-foreground">{t("recent")}</h3>
                <ul className="divide-y">
                  {recent.map((alert) => (
                    <AlertRow key={alert.id} alert={alert} />
                  ))}
                </ul>
              </div>
            ) : null}
          </>
        )}
        {resolved.isError ? <ErrorMessage error={resolved.error} onRetry={() => void resolved.refetch()} /> : null}
      </CardContent>
    </Card>
  );
}

/** "2 firing" beside the host's name, linking down to the alerts card. */
export function FiringBadge({ agentId }: { agentId: number }) {
  const { data: count } = useQuery({ ...alertsQuery(agentId, "firing"), select: (alerts) => alerts.length });
  if (!count) return null;
  return (
    <a href="#alerts" className="rounded-full focus-visible:outline-2">
      <Badge tone="crit">{t("firingCount", { count })}</Badge>
    </a>
  );
}
