import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { ServerOff } from "lucide-react";
import { useCallback, useMemo } from "react";
import { ErrorMessage } from "@/components/errors/error-message";
import { EmptyState, Page } from "@/components/layout/page";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { formatRelative } from "@/lib/i18n/format";
import { latestReportQuery, overviewQuery } from "../api/queries";
import { useLiveHost } from "../hooks/use-live-host";
import { pageCharts } from "../model/charts";
import { type HostStatus, infoText, liveStatus } from "../model/host";
import { resolveRange, zoomSearch } from "../model/range";
import { t } from "../messages";
import { ChartCard } from "./chart-card";
import { FiringBadge, HostAlerts } from "./host-alerts";
import { HostInfo } from "./host-info";
import { HostNav } from "./host-nav";
import { MoreMetrics } from "./more-metrics";
import { RangeBar } from "./range-bar";
import { ValueCards } from "./value-cards";

const route = getRouteApi("/_app/hosts/$agentId");
const TONE: Record<HostStatus, "ok" | "crit" | "neutral"> = { online: "ok", offline: "crit", never: "neutral" };

/** /hosts/$agentId: one host, live and over any range. A new host is a new page (keyed by id). */
export function HostPage() {
  const { agentId } = route.useParams();
  const id = /^\d{1,18}$/.test(agentId) ? Number(agentId) : null;
  if (id === null) return <NotFound />;
  return <HostView key={id} agentId={id} />;
}

function NotFound() {
  return (
    <Page title={t("hostNotFound")}>
      <EmptyState
        icon={<ServerOff />}
        title={t("hostNotFound")}
        description={t("hostNotFoundHint")}
        action={
          <Link to="/hosts" className="text-primary underline-offset-4 hover:underline">
            {t("backToHosts")}
          </Link>
        }
      />
    </Page>
  );
}

function HostView({ agentId }: { agentId: number }) {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const live = useLiveHost(agentId);
  const overview = useQuery(overviewQuery());
  const { data: report } = useQuery(latestReportQuery(agentId));
  const range = useMemo(() => resolveRange(search), [search]);
  const perCore = search.cores === true;
  const charts = useMemo(() => pageCharts(perCore), [perCore]);
  const onZoom = useCallback((from: number, to: number) => void navigate({ search: (prev) => ({ ...prev, ...zoomSearch(from, to) }) }), [navigate]);

  const hosts = overview.data?.data;
  const host = hosts?.find((h) => h.id === agentId);
  if (overview.isError && !hosts) {
    return (
      <Page title={t("host")}>
        <ErrorMessage error={overview.error} onRetry={() => void overview.refetch()} />
      </Page>
    );
  }
  if (hosts && !host) return <NotFound />;

  const status = liveStatus(host?.status, report);
  const lastSeen = report?.ts ?? host?.last_seen ?? null;
  const syncKey = `host-${agentId}`;
  const chartProps = { agentId, range, live, syncKey, onZoom };

  return (
    <Page
      title={host?.name ?? t("host")}
      description={
        host ? (
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={TONE[status]} data-host-status={status}>
              {t(`status_${status}`)}
            </Badge>
            <FiringBadge agentId={agentId} />
            <span>
              {[
                infoText(host.host_info, "hostname"),
                infoText(host.host_info, "os_version") ?? infoText(host.host_info, "os"),
                lastSeen !== null ? t("lastReport", { when: formatRelative(lastSeen) }) : null,
              ]
                .filter(Boolean)
                .join(" · ")}
            </span>
          </span>
        ) : (
          <span aria-hidden="true" className="inline-block h-5 w-64 animate-pulse rounded-md bg-muted" />
        )
      }
      actions={hosts ? <HostNav hosts={hosts} agentId={agentId} /> : null}
    >
      {host?.status === "never" && !report ? <p className="rounded-md border border-dashed p-3 text-sm text-muted-foreground">{t("neverReported")}</p> : null}
      <ValueCards agentId={agentId} host={host} />
      <RangeBar range={range} perCore={perCore} />
      <div className="grid gap-4 lg:grid-cols-2" data-testid="charts">
        {charts.map((spec) => (
          <ChartCard key={spec.id} spec={spec} {...chartProps} />
        ))}
        <MoreMetrics {...chartProps} metric={search.metric} />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        {host ? <HostInfo host={host} /> : <Skeleton className="h-64" />}
        <HostAlerts agentId={agentId} />
      </div>
    </Page>
  );
}
