import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { BellOff, CheckCheck, ChevronLeft, ChevronRight, RefreshCw } from "lucide-react";
import { ErrorMessage } from "@/components/errors/error-message";
import { EmptyState } from "@/components/layout/page";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { NativeSelect } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { formatNumber, formatRelative } from "@/lib/i18n/format";
import { alertsQuery, ALERTS_PER_PAGE, ALERTS_POLL_MS } from "../api/queries";
import { ALERT_STATUSES, SEVERITIES, type AlertFilters } from "../api/types";
import { useLookups } from "../hooks/use-lookups";
import { useNow } from "../hooks/use-now";
import { t } from "../messages";
import { describeCondition } from "../utils/format";
import { AlertRow } from "./alert-row";

const route = getRouteApi("/_app/alerts/");

export function AlertsTab() {
  const filters = route.useSearch();
  const navigate = route.useNavigate();
  const alerts = useQuery(alertsQuery(filters));
  const now = useNow();
  const setFilters = (patch: Partial<AlertFilters>) =>
    void navigate({ search: (previous) => ({ ...previous, ...patch, page: undefined }), replace: true });
  const filtered = Object.keys(filters).length > 0;

  return (
    <section aria-labelledby="alerts-heading" className="grid gap-4">
      <h2 id="alerts-heading" className="sr-only">
        {t("tabAlerts")}
      </h2>
      <AlertFiltersBar filters={filters} onChange={setFilters} />
      <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-muted-foreground">
        <p role="status" aria-live="polite">
          {alerts.data ? t("alertCount", { count: formatNumber(alerts.data.count, 0) }) : null}
        </p>
        <p className="flex items-center gap-1.5">
          <RefreshCw aria-hidden="true" className={alerts.isFetching ? "size-3 animate-spin" : "size-3"} />
          {alerts.dataUpdatedAt
            ? t("updatedEvery", { ago: formatRelative(alerts.dataUpdatedAt / 1000, now.getTime()), seconds: ALERTS_POLL_MS / 1000 })
            : t("loading")}
        </p>
      </div>
      {alerts.isPending ? (
        <AlertsSkeleton />
      ) : alerts.isError ? (
        <ErrorMessage error={alerts.error} onRetry={() => void alerts.refetch()} />
      ) : alerts.data.data.length === 0 ? (
        filtered ? (
          <EmptyState
            icon={<BellOff />}
            title={t("noMatchingAlerts")}
            description={t("noMatchingAlertsHint")}
            action={
              <Button variant="outline" onClick={() => void navigate({ search: {} })}>
                {t("clearFilters")}
              </Button>
            }
          />
        ) : (
          <EmptyState
            icon={<CheckCheck />}
            title={t("noAlerts")}
            description={t("noAlertsHint")}
            action={
              <Button asChild variant="outline">
                <Link to="/alerts/rules">{t("goToRules")}</Link>
              </Button>
            }
          />
        )
      ) : (
        <>
          <ul className="grid gap-2" aria-label={t("alertList")}>
            {alerts.data.data.map((alert) => (
              <AlertRow key={alert.id} alert={alert} now={now} />
            ))}
          </ul>
          <Pagination
            page={filters.page ?? 1}
            count={alerts.data.count}
            onPage={(page) => void navigate({ search: (previous) => ({ ...previous, page: page > 1 ? page : undefined }) })}
          />
        </>
      )}
    </section>
  );
}

function AlertFiltersBar({ filters, onChange }: { filters: AlertFilters; onChange: (patch: Partial<AlertFilters>) => void }) {
  const { hosts, monitors, rules, hostName, monitorName, ruleTarget } = useLookups();
  const number = (value: string) => (value === "" ? undefined : Number(value));
  return (
    <Card className="grid grid-cols-2 items-start gap-3 p-3 md:grid-cols-3 md:items-end 2xl:grid-cols-[repeat(5,minmax(0,1fr))_auto]">
      <FormField label={t("filterStatus")}>
        <NativeSelect value={filters.status ?? ""} onChange={(event) => onChange({ status: ALERT_STATUSES.find((s) => s === event.target.value) })}>
          <option value="">{t("anyStatus")}</option>
          {ALERT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`status_${status}`)}
            </option>
          ))}
        </NativeSelect>
      </FormField>
      <FormField label={t("filterSeverity")}>
        <NativeSelect value={filters.severity ?? ""} onChange={(event) => onChange({ severity: SEVERITIES.find((s) => s === event.target.value) })}>
          <option value="">{t("anySeverity")}</option>
          {SEVERITIES.map((severity) => (
            <option key={severity} value={severity}>
              {t(`severity_${severity}`)}
            </option>
          ))}
        </NativeSelect>
      </FormField>
      <FormField label={t("filterHost")}>
        <NativeSelect value={filters.host ?? ""} onChange={(event) => onChange({ host: number(event.target.value) })}>
          <option value="">{t("anyHost")}</option>
          {filters.host !== undefined && !hosts.some((host) => host.id === filters.host) ? <option value={filters.host}>{hostName(filters.host)}</option> : null}
          {hosts.map((host) => (
            <option key={host.id} value={host.id}>
              {host.name}
            </option>
          ))}
        </NativeSelect>
      </FormField>
      <FormField label={t("filterMonitor")}>
        <NativeSelect value={filters.monitor ?? ""} onChange={(event) => onChange({ monitor: number(event.target.value) })}>
          <option value="">{t("anyMonitor")}</option>
          {filters.monitor !== undefined && !monitors.some((monitor) => monitor.id === filters.monitor) ? (
            <option value={filters.monitor}>{monitorName(filters.monitor)}</option>
          ) : null}
          {monitors.map((monitor) => (
            <option key={monitor.id} value={monitor.id}>
              {monitor.name}
            </option>
          ))}
        </NativeSelect>
      </FormField>
      <FormField label={t("filterRule")}>
        <NativeSelect value={filters.rule ?? ""} onChange={(event) => onChange({ rule: number(event.target.value) })}>
          <option value="">{t("anyRule")}</option>
          {filters.rule !== undefined && !rules.some((rule) => rule.id === filters.rule) ? <option value={filters.rule}>{t("ruleNumber", { id: filters.rule })}</option> : null}
          {rules.map((rule) => (
            <option key={rule.id} value={rule.id}>
              {`#${rule.id} ${describeCondition(rule.metric_type, rule.condition, rule.threshold)} · ${ruleTarget(rule)}`}
            </option>
          ))}
        </NativeSelect>
      </FormField>
      <Button
        variant="ghost"
        className="justify-self-start"
        disabled={!Object.values(filters).some((value) => value !== undefined)}
        onClick={() => onChange({ status: undefined, severity: undefined, host: undefined, monitor: undefined, rule: undefined })}
      >
        {t("clearFilters")}
      </Button>
    </Card>
  );
}

function Pagination({ page, count, onPage }: { page: number; count: number; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(count / ALERTS_PER_PAGE));
  if (pages <= 1 && page <= 1) return null;
  const first = (page - 1) * ALERTS_PER_PAGE + 1;
  const last = Math.min(count, page * ALERTS_PER_PAGE);
  return (
    <nav aria-label={t("pagination")} className="flex flex-wrap items-center justify-between gap-2">
      <p className="text-sm text-muted-foreground">{t("showingRange", { first, last, count })}</p>
      <div className="flex items-center gap-2">
        <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          <ChevronLeft aria-hidden="true" />
          {t("previous")}
        </Button>
        <span className="text-sm" aria-current="page">
          {t("pageOf", { page, pages })}
        </span>
        <Button variant="outline" size="sm" disabled={page >= pages} onClick={() => onPage(page + 1)}>
          {t("next")}
          <ChevronRight aria-hidden="true" />
        </Button>
      </div>
    </nav>
  );
}

function AlertsSkeleton() {
  return (
    <div className="grid gap-2" aria-busy="true">
      <span role="status" className="sr-only">
        {t("loading")}
      </span>
      {Array.from({ length: 4 }, (_, index) => (
        <Skeleton key={index} className="h-24" />
      ))}
    </div>
  );
}
