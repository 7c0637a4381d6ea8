import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Activity, Pause, Play, Plus, RefreshCw, SearchX, X } from "lucide-react";
import { useCallback, useMemo, useState } from "react";
import { ErrorMessage, InlineError } from "@/components/errors/error-message";
import { EmptyState, Page } from "@/components/layout/page";
import { Button, buttonVariants } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { useCan } from "@/lib/api/me";
import { formatNumber } from "@/lib/i18n/format";
import { useBulkActive } from "../api/mutations";
import { LIVE_POLL_MS, monitorsQuery, monitorTypesQuery, uptimesQuery } from "../api/queries";
import { type Monitor, type MonitorFilters, MONITOR_TYPES, type Status } from "../api/types";
import { FILTERABLE_LABEL } from "../search";
import { useMonitorsTopic } from "../hooks/use-monitors-topic";
import { t } from "../messages";
import { MonitorList } from "./monitor-list";
import { MonitorsToolbar } from "./monitors-toolbar";

const route = getRouteApi("/_app/monitors/");

function counts(monitors: readonly Monitor[]): Record<Status, number> {
  const result: Record<Status, number> = { up: 0, degraded: 0, down: 0, unreachable: 0, pending: 0, paused: 0 };
  for (const monitor of monitors) result[monitor.status] += 1;
  return result;
}

function summary(monitors: readonly Monitor[], filtered: boolean): string {
  const c = counts(monitors);
  const vars = { count: formatNumber(monitors.length, 0), up: formatNumber(c.up + c.degraded, 0), down: formatNumber(c.down, 0), paused: formatNumber(c.paused, 0) };
  const one = monitors.length === 1;
  return t(filtered ? (one ? "summaryFilteredOne" : "summaryFiltered") : one ? "summaryOne" : "summary", vars);
}

/** Labels of the monitors shown, as `key:value`, plus the one filtered by. */
function labelOptions(monitors: readonly Monitor[], current: string | undefined): string[] {
  const pairs = new Set<string>();
  for (const monitor of monitors) {
    for (const [key, value] of Object.entries(monitor.labels)) {
      const pair = `${key}:${value}`;
      if (FILTERABLE_LABEL.test(pair) && pair.length <= 330) pairs.add(pair);
    }
  }
  if (current) pairs.add(current);
  return [...pairs].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** /monitors: the filters live in the URL. */
export function MonitorsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const onFilters = useCallback(
    (patch: MonitorFilters) => void navigate({ search: (previous) => ({ ...previous, ...patch }), replace: true }),
    [navigate],
  );
  return <MonitorsView filters={search} onFilters={onFilters} />;
}

/** Every monitor with its status, uptime, last 24 hours and response times; live. */
export function MonitorsView({ filters, onFilters }: { filters: MonitorFilters; onFilters: (patch: MonitorFilters) => void }) {
  const canOperate = useCan("operate");
  const pollMs = useMonitorsTopic();
  const list = useQuery({ ...monitorsQuery(filters), refetchInterval: pollMs });
  const uptimes = useQuery(uptimesQuery());
  const types = useQuery(monitorTypesQuery());
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const bulk = useBulkActive();

  const filtered = Boolean(filters.q || filters.status || filters.type || filters.label);
  const monitors = useMemo(
    () => [...(list.data?.data ?? [])].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }) || a.id - b.id),
    [list.data],
  );
  const typeOptions = types.data ?? MONITOR_TYPES.map((type) => ({ type, title: type }));
  const labels = useMemo(() => labelOptions(monitors, filters.label), [monitors, filters.label]);

  const onLabel = useCallback((pair: string) => onFilters({ label: pair }), [onFilters]);
  const onSelect = useCallback(
    (id: number, on: boolean) =>
      setSelected((current) => {
        const next = new Set(current);
        if (on) next.add(id);
        else next.delete(id);
        return next;
      }),
    [],
  );
  const onSelectAll = (on: boolean) => setSelected(on ? new Set(monitors.map((monitor) => monitor.id)) : new Set());
  // Only what is still listed counts as selected (a filter or a deletion may hide some).
  const chosen = monitors.filter((monitor) => selected.has(monitor.id)).map((monitor) => monitor.id);
  const runBulk = (active: boolean) => bulk.mutate({ ids: chosen, active }, { onSuccess: () => setSelected(new Set()) });

  const addButton = canOperate ? (
    <Link to="/monitors/new" className={buttonVariants({ variant: "default" })}>
      <Plus aria-hidden="true" />
      {t("add")}
    </Link>
  ) : null;

  return (
    <Page title={t("title")} description={list.data ? summary(monitors, filtered) : t("description")} actions={list.data && (monitors.length > 0 || filtered) ? addButton : null}>
      {list.isPending ? (
        <ListSkeleton />
      ) : list.isError && !list.data ? (
        <ErrorMessage title={t("loadFailed")} error={list.error} onRetry={() => void list.refetch()} />
      ) : monitors.length === 0 && !filtered ? (
        <EmptyState icon={<Activity aria-hidden="true" />} title={t("emptyTitle")} description={canOperate ? t("emptyHint") : t("emptyHintViewer")} action={addButton} />
      ) : (
        <section className="grid gap-3" aria-label={t("title")}>
          <MonitorsToolbar filters={filters} onChange={onFilters} types={typeOptions} labels={labels} />
          <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-muted-foreground">
            <p aria-live="polite" data-monitors-shown={monitors.length}>
              {t("shown", { count: formatNumber(monitors.length, 0) })}
            </p>
            <p className="flex items-center gap-1.5">
              <RefreshCw aria-hidden="true" className={list.isFetching ? "size-3 animate-spin" : "size-3"} />
              {pollMs === LIVE_POLL_MS ? t("pollEvery", { seconds: LIVE_POLL_MS / 1000 }) : t("liveSocket")}
            </p>
          </div>
          {list.isError ? <InlineError error={list.error} /> : null}
          {canOperate && chosen.length > 0 ? (
            <div role="region" aria-label={t("bulkActions")} className="sticky top-16 z-20 flex flex-wrap items-center gap-2 rounded-lg border border-primary/40 bg-card p-2 shadow-sm">
              <p className="px-2 text-sm font-medium" aria-live="polite">
                {t("selected", { count: formatNumber(chosen.length, 0) })}
              </p>
              <Button size="sm" variant="outline" disabled={bulk.isPending} onClick={() => runBulk(false)}>
                <Pause aria-hidden="true" />
                {t("pauseSelected")}
              </Button>
              <Button size="sm" variant="outline" disabled={bulk.isPending} onClick={() => runBulk(true)}>
                <Play aria-hidden="true" />
                {t("resumeSelected")}
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
                <X aria-hidden="true" />
                {t("clearSelection")}
              </Button>
              <InlineError error={bulk.error} />
            </div>
          ) : null}
          {monitors.length === 0 ? (
            <EmptyState
              icon={<SearchX aria-hidden="true" />}
              title={t("noMatchTitle")}
              description={t("noMatchHint")}
              action={
                <Button variant="outline" onClick={() => onFilters({ q: undefined, status: undefined, type: undefined, label: undefined })}>
                  {t("clearFilters")}
                </Button>
              }
            />
          ) : (
            <MonitorList
              monitors={monitors}
              uptimes={uptimes.data}
              selected={selected}
              selectable={canOperate}
              onSelect={onSelect}
              onSelectAll={onSelectAll}
              onLabel={onLabel}
            />
          )}
        </section>
      )}
    </Page>
  );
}

function ListSkeleton() {
  return (
    <div className="grid gap-3" aria-busy="true">
      <div className="flex flex-wrap gap-2">
        <Skeleton className="h-9 w-64" />
        <Skeleton className="h-9 w-32" />
        <Skeleton className="h-9 w-32" />
        <Skeleton className="h-9 w-32" />
      </div>
      <div className="grid gap-2 rounded-lg border bg-card p-3">
        {Array.from({ length: 6 }, (_, row) => (
          <Skeleton key={row} className="h-12" />
        ))}
      </div>
    </div>
  );
}
