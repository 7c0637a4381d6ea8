import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { Pause, Pencil, Play, SearchX, Trash2 } from "lucide-react";
import type { ReactNode } from "react";
import { ErrorMessage, InlineError } from "@/components/errors/error-message";
import { EmptyState, Page } from "@/components/layout/page";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { ApiError } from "@/lib/api/errors";
import { useCan } from "@/lib/api/me";
import { formatDateTime, formatRelative } from "@/lib/i18n/format";
import { useDeleteMonitor, useSetActive } from "../api/mutations";
import { checksQuery, MAX_CHECKS, monitorQuery } from "../api/queries";
import type { Monitor } from "../api/types";
import { useMonitorsTopic } from "../hooks/use-monitors-topic";
import { useNow } from "../hooks/use-now";
import { certDaysLeft, certTone, formatInterval, formatMs } from "../model/uptime";
import type { ChartRange } from "../search";
import { t } from "../messages";
import { ChecksTable } from "./checks-table";
import { Dependencies } from "./dependencies";
import { IncidentTimeline } from "./incident-timeline";
import { targetLine } from "./monitor-row";
import { PushPanel } from "./push-panel";
import { RANGE_HOURS, ResponseChart } from "./response-chart";
import { StatusBadge, TONE_BG } from "./status";
import { UptimeCard } from "./uptime-card";

const route = getRouteApi("/_app/monitors/$monitorId/");

export function parseMonitorId(raw: string): number | null {
  return /^\d{1,10}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 2 ** 31 - 1 ? Number(raw) : null;
}

/** /monitors/$monitorId: one monitor's status, uptime, response times, checks and incidents. */
export function MonitorPage() {
  const { monitorId } = route.useParams();
  const id = parseMonitorId(monitorId);
  const { span } = route.useSearch();
  if (id === null) return <MonitorNotFound />;
  return <MonitorView key={id} id={id} range={span ?? "24h"} />;
}

export function MonitorNotFound() {
  return (
    <Page title={t("notFound")}>
      <EmptyState
        icon={<SearchX aria-hidden="true" />}
        title={t("notFound")}
        description={t("notFoundHint")}
        action={
          <Link to="/monitors" className="text-primary underline-offset-4 hover:underline">
            {t("backToMonitors")}
          </Link>
        }
      />
    </Page>
  );
}

export function MonitorView({ id, range }: { id: number; range: ChartRange }) {
  const pollMs = useMonitorsTopic();
  const monitor = useQuery({ ...monitorQuery(id), refetchInterval: pollMs });
  const hours = RANGE_HOURS[range];
  const interval = monitor.data?.interval_seconds ?? 60;
  const checks = useQuery({ ...checksQuery(id, hours, Math.min(MAX_CHECKS, Math.ceil((hours * 3600) / interval) + 5)), enabled: monitor.isSuccess });

  if (monitor.isPending) return <MonitorSkeleton />;
  if (monitor.isError && !monitor.data) {
    if (monitor.error instanceof ApiError && monitor.error.status === 404) return <MonitorNotFound />;
    return (
      <Page title={t("monitor")}>
        <ErrorMessage error={monitor.error} onRetry={() => void monitor.refetch()} />
      </Page>
    );
  }
  const m = monitor.data;
  return (
    <Page title={m.name} description={targetLine(m)} actions={<Actions monitor={m} />}>
      <StatusStrip monitor={m} />
      {m.description ? <p className="text-sm whitespace-pre-wrap text-muted-foreground">{m.description}</p> : null}
      {m.type === "push" ? <PushPanel monitor={m} /> : null}
      <UptimeCard monitorId={id} />
      <ResponseChart range={range} checks={checks} />
      <div className="grid gap-4 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <ChecksTable checks={checks.data} />
        <div className="grid content-start gap-4">
          <IncidentTimeline monitorId={id} />
          <Dependencies monitor={m} />
        </div>
      </div>
    </Page>
  );
}

function Actions({ monitor }: { monitor: Monitor }) {
  const canOperate = useCan("operate");
  const navigate = useNavigate();
  const setActive = useSetActive();
  const remove = useDeleteMonitor();
  if (!canOperate) return null;
  return (
    <>
      <Button variant="outline" disabled={setActive.isPending} onClick={() => setActive.mutate({ id: monitor.id, active: !monitor.active })}>
        {monitor.active ? <Pause aria-hidden="true" /> : <Play aria-hidden="true" />}
        {monitor.active ? t("pause") : t("resume")}
      </Button>
      <Link to="/monitors/$monitorId/edit" params={{ monitorId: String(monitor.id) }} className={buttonVariants({ variant: "outline" })}>
        <Pencil aria-hidden="true" />
        {t("edit")}
      </Link>
      <ConfirmDialog
        trigger={
          <Button variant="outline" className="text-destructive">
            <Trash2 aria-hidden="true" />
            {t("delete")}
          </Button>
        }
        title={t("deleteTitle", { name: monitor.name })}
        description={t("deleteHint")}
        confirmLabel={t("deleteConfirm")}
        cancelLabel={t("cancel")}
        pending={remove.isPending}
        onConfirm={() => remove.mutate(monitor.id, { onSuccess: () => void navigate({ to: "/monitors" }) })}
      />
      <InlineError error={setActive.error ?? remove.error} />
    </>
  );
}

/** The largest of the monitor's certificate warning days (a number or a list), else 14. */
function warningDays(config: Record<string, unknown>): number {
  const value = config.cert_warning_days ?? config.warning_days;
  const days = (Array.isArray(value) ? value : [value]).filter((day): day is number => typeof day === "number");
  return days.length > 0 ? Math.max(...days) : 14;
}

function StatusStrip({ monitor }: { monitor: Monitor }) {
  const now = useNow(5_000);
  const days = certDaysLeft(monitor.cert_expires_at, now);
  const warning = warningDays(monitor.config);
  return (
    <Card className="grid gap-4 p-4 sm:grid-cols-2 lg:grid-cols-4" data-monitor-status={monitor.status}>
      <Fact label={t("colStatus")}>
        <span className="flex flex-wrap items-center gap-2">
          <StatusBadge status={monitor.status} className="text-sm" />
          {monitor.upside_down ? <Badge>{t("upsideDownBadge")}</Badge> : null}
        </span>
        <span className="text-xs text-muted-foreground">{t("since", { ago: formatRelative(monitor.status_since, now), at: formatDateTime(monitor.status_since) })}</span>
        {monitor.last_error && monitor.status !== "up" ? <span className="text-sm break-words text-destructive">{monitor.last_error}</span> : null}
      </Fact>
      <Fact label={t("lastCheck")}>
        <span>{monitor.last_check_at ? formatRelative(monitor.last_check_at, now) : t("neverChecked")}</span>
        <span className="text-xs text-muted-foreground">{monitor.type === "push" ? t("pushNoInterval") : t("every", { interval: formatInterval(monitor.interval_seconds) })}</span>
      </Fact>
      <Fact label={t("lastResponse")}>
        <span className="text-lg font-semibold tabular-nums">{formatMs(monitor.last_response_ms)}</span>
      </Fact>
      <Fact label={t("certificate")}>
        {days === null ? (
          <span className="text-muted-foreground">{t("noCertificate")}</span>
        ) : (
          <>
            <span className="flex items-center gap-2" data-cert-days={days}>
              <span aria-hidden="true" className={`size-2 rounded-full ${TONE_BG[certTone(days, warning)]}`} />
              {days < 0 ? t("certExpired", { days: -days }) : t("certDaysLeft", { days })}
            </span>
            <span className="text-xs text-muted-foreground">{t("certExpires", { at: formatDateTime(monitor.cert_expires_at) })}</span>
          </>
        )}
      </Fact>
    </Card>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid content-start gap-1">
      <p className="text-xs font-medium text-muted-foreground">{label}</p>
      {children}
    </div>
  );
}

function MonitorSkeleton() {
  return (
    <div className="mx-auto grid w-full max-w-screen-2xl gap-4 p-4 sm:p-6" aria-busy="true">
      <Skeleton className="h-8 w-64" />
      <Skeleton className="h-28" />
      <Skeleton className="h-40" />
      <Skeleton className="h-64" />
    </div>
  );
}
