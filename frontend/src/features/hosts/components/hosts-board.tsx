import { SearchX } from "lucide-react";
import { useMemo } from "react";
import { EmptyState } from "@/components/layout/page";
import { Button } from "@/components/ui/button";
import { formatNumber } from "@/lib/i18n/format";
import type { AlertRule, FiringAlert, Host } from "../api/queries";
import type { HostsView } from "../hooks/use-hosts-view";
import { useHostsTable } from "../hooks/use-hosts-table";
import { alertsByHost } from "../model/alerts";
import { type HostsSearch, labelCounts, type SortKey, type StatusFilter } from "../model/filters";
import { t } from "../messages";
import { HostGrid } from "./host-grid";
import { HostsContext, type HostsContextValue } from "./host-parts";
import { HostTable } from "./host-table";
import { HostsToolbar, type SearchChange } from "./hosts-toolbar";

export interface HostsBoardProps {
  hosts: Host[];
  alerts: readonly FiringAlert[] | undefined;
  rules: readonly AlertRule[] | undefined;
  search: HostsSearch;
  onSearchChange: (change: SearchChange) => void;
  view: HostsView;
  onViewChange: (view: HostsView) => void;
}

const NO_ALERTS: readonly FiringAlert[] = [];

/** Toolbar and the hosts as cards or a table: one table model filters and sorts both. */
export function HostsBoard({ hosts, alerts, rules, search, onSearchChange, view, onViewChange }: HostsBoardProps) {
  const onSortChange = (sort: SortKey, desc: boolean) => onSearchChange({ sort: sort === "name" ? undefined : sort, desc: desc ? true : undefined });
  const table = useHostsTable(hosts, search, onSortChange);
  const rows = table.getRowModel().rows;

  const context = useMemo<HostsContextValue>(() => ({ alerts: alertsByHost(alerts ?? NO_ALERTS), rules }), [alerts, rules]);
  const labels = useMemo(() => labelCounts(hosts), [hosts]);
  const statusCounts = useMemo(() => {
    const counts: Record<StatusFilter, number> = { online: 0, offline: 0, never: 0 };
    for (const host of hosts) counts[host.status] += 1;
    return counts;
  }, [hosts]);

  return (
    <HostsContext value={context}>
      <HostsToolbar search={search} onChange={onSearchChange} labels={labels} statusCounts={statusCounts} view={view} onViewChange={onViewChange} />
      <p className="-mt-1 text-xs text-muted-foreground" aria-live="polite" data-hosts-shown={rows.length}>
        {t("shown", { shown: formatNumber(rows.length, 0), count: formatNumber(hosts.length, 0) })}
      </p>
      {rows.length === 0 ? (
        <EmptyState
          icon={<SearchX aria-hidden="true" />}
          title={t("noMatchTitle")}
          description={t("noMatchHint")}
          action={
            <Button variant="outline" onClick={() => onSearchChange({ q: undefined, status: undefined, labels: undefined })}>
              {t("clearFilters")}
            </Button>
          }
        />
      ) : view === "table" ? (
        <HostTable table={table} rows={rows} />
      ) : (
        <HostGrid rows={rows} />
      )}
    </HostsContext>
  );
}
