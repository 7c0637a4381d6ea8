import { useQuery } from "@tanstack/react-query";
import { ErrorMessage } from "@/components/errors/error-message";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDateTime, formatRelative } from "@/lib/i18n/format";
import { cn } from "@/lib/utils";
import { incidentsQuery } from "../api/queries";
import type { Incident } from "../api/types";
import { useNow } from "../hooks/use-now";
import { formatDuration } from "../model/uptime";
import { t } from "../messages";

/** How long it lasted, or has lasted while still open. */
export function incidentDuration(incident: Pick<Incident, "started_at" | "resolved_at" | "duration_seconds">, now: number): string {
  if (incident.resolved_at) return formatDuration(incident.duration_seconds);
  return formatDuration((now - Date.parse(incident.started_at)) / 1000);
}

/** A monitor's incidents, newest first, as a timeline: went down, why, and when it came back. */
export function IncidentTimeline({ monitorId }: { monitorId: number }) {
  const incidents = useQuery(incidentsQuery({ monitorId }));
  const now = useNow();
  return (
    <Card className="min-w-0">
      <CardHeader>
        <CardTitle>{t("incidents")}</CardTitle>
      </CardHeader>
      <CardContent>
        {incidents.isPending ? (
          <Skeleton className="h-24" />
        ) : incidents.isError ? (
          <ErrorMessage error={incidents.error} onRetry={() => void incidents.refetch()} />
        ) : incidents.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t("noIncidents")}</p>
        ) : (
          <ol className="relative grid gap-4 border-l pl-4" aria-label={t("incidents")}>
            {incidents.data.map((incident) => {
              const open = incident.resolved_at == null;
              return (
                <li key={incident.id} className="relative" data-incident={incident.id} data-open={open}>
                  <span aria-hidden="true" className={cn("absolute top-1.5 -left-[1.3rem] size-2.5 rounded-full ring-4 ring-card", open ? "bg-crit" : "bg-ok")} />
                  <p className="text-sm font-medium">
                    {open ? t("incidentOpen", { duration: incidentDuration(incident, now) }) : t("incidentResolved", { duration: incidentDuration(incident, now) })}
                  </p>
                  <p className="text-xs text-muted-foreground">
                    <time dateTime={incident.started_at} title={formatDateTime(incident.started_at)}>
                      {t("wentDown", { at: formatDateTime(incident.started_at), ago: formatRelative(incident.started_at, now) })}
                    </time>
                    {incident.resolved_at ? (
                      <>
                        {" · "}
                        <time dateTime={incident.resolved_at}>{t("cameBack", { at: formatDateTime(incident.resolved_at) })}</time>
                      </>
                    ) : null}
                  </p>
                  {incident.error ? <p className="mt-1 text-sm break-words text-destructive">{incident.error}</p> : null}
                </li>
              );
            })}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}
