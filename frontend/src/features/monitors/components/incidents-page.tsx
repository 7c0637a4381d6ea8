import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { CheckCheck, RefreshCw } from "lucide-react";
import { ErrorMessage } from "@/components/errors/error-message";
import { EmptyState, Page } from "@/components/layout/page";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDateTime, formatNumber, formatRelative } from "@/lib/i18n/format";
import { cn } from "@/lib/utils";
import { incidentsQuery, INCIDENTS_LIMIT } from "../api/queries";
import type { Incident } from "../api/types";
import { useNow } from "../hooks/use-now";
import { t } from "../messages";
import { incidentDuration } from "./incident-timeline";

const route = getRouteApi("/_app/incidents");

/** Open incidents first (longest running on top), then the rest, newest first. */
export function orderIncidents(incidents: readonly Incident[]): Incident[] {
  return [...incidents].sort((a, b) => {
    const aOpen = a.resolved_at == null;
    const bOpen = b.resolved_at == null;
    if (aOpen !== bOpen) return aOpen ? -1 : 1;
    return Date.parse(b.started_at) - Date.parse(a.started_at) || b.id - a.id;
  });
}

const segment =
  "inline-flex h-8 items-center rounded-md px-3 text-sm font-medium text-muted-foreground hover:text-foreground data-[selected=true]:bg-card data-[selected=true]:text-foreground data-[selected=true]:shadow-xs";

/** /incidents: every monitor's incidents, open ones first; filtered to open or resolved. */
export function IncidentsPage() {
  const { state } = route.useSearch();
  return <IncidentsView state={state} />;
}

export function IncidentsView({ state }: { state: "open" | "resolved" | undefined }) {
  const incidents = useQuery(incidentsQuery({ open: state === undefined ? undefined : state === "open" }));
  const now = useNow();
  const rows = incidents.data ? orderIncidents(incidents.data) : [];
  const open = rows.filter((incident) => incident.resolved_at == null).length;
  return (
    <Page title={t("incidentsTitle")} description={t("incidentsDescription")}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <nav aria-label={t("incidentFilter")} className="flex items-center gap-1 rounded-lg bg-muted p-1">
          {([undefined, "open", "resolved"] as const).map((key) => (
            <Link key={key ?? "all"} to="/incidents" search={key ? { state: key } : {}} data-selected={state === key} activeOptions={{ exact: true, includeSearch: true }} className={segment}>
              {t(key ? `incidents_${key}` : "incidents_all")}
            </Link>
          ))}
        </nav>
        <p className="flex items-center gap-1.5 text-xs text-muted-foreground" aria-live="polite">
          <RefreshCw aria-hidden="true" className={incidents.isFetching ? "size-3 animate-spin" : "size-3"} />
          {incidents.data ? t("incidentCount", { count: formatNumber(rows.length, 0), open: formatNumber(open, 0), max: INCIDENTS_LIMIT }) : t("loading")}
        </p>
      </div>
      {incidents.isPending ? (
        <div className="grid gap-2" aria-busy="true">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-16" />
          ))}
        </div>
      ) : incidents.isError && !incidents.data ? (
        <ErrorMessage error={incidents.error} onRetry={() => void incidents.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState icon={<CheckCheck aria-hidden="true" />} title={state === "resolved" ? t("noResolvedIncidents") : t("noOpenIncidents")} description={t("noIncidentsHint")} />
      ) : (
        <div className="overflow-x-auto rounded-lg border bg-card" tabIndex={0} role="region" aria-label={t("incidentsTitle")}>
          <table className="w-full min-w-[44rem] text-sm" data-incidents={rows.length}>
            <caption className="sr-only">{t("incidentsTitle")}</caption>
            <thead className="bg-muted/40 text-left text-xs text-muted-foreground">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("colState")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("colMonitor")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("colStarted")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("colDuration")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("colError")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((incident) => {
                const isOpen = incident.resolved_at == null;
                return (
                  <tr key={incident.id} className={cn("border-t align-top", isOpen && "bg-crit/5")} data-incident={incident.id} data-open={isOpen}>
                    <td className="px-3 py-2">
                      <Badge tone={isOpen ? "crit" : "ok"}>{isOpen ? t("incidentStateOpen") : t("incidentStateResolved")}</Badge>
                    </td>
                    <td className="px-3 py-2">
                      <Link to="/monitors/$monitorId" params={{ monitorId: String(incident.monitor_id) }} className="font-medium hover:underline">
                        {incident.monitor_name}
                      </Link>
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap">
                      <time dateTime={incident.started_at} title={formatDateTime(incident.started_at)}>
                        {formatDateTime(incident.started_at)}
                      </time>
                      <span className="block text-xs text-muted-foreground">{formatRelative(incident.started_at, now)}</span>
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap tabular-nums">{isOpen ? t("ongoingFor", { duration: incidentDuration(incident, now) }) : incidentDuration(incident, now)}</td>
                    <td className="px-3 py-2 break-words text-muted-foreground">{incident.error ?? "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
