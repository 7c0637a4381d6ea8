import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useId, useMemo, useSyncExternalStore } from "react";
import { type ChartSeriesSpec, type ChartText, UplotChart } from "@/components/charts/uplot-chart";
import { ErrorMessage } from "@/components/errors/error-message";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";
import { chartQuery } from "../api/queries";
import type { LiveHost } from "../hooks/use-live-host";
import type { ChartSpec } from "../model/charts";
import { LIVE_WINDOW_SECONDS, type ResolvedRange } from "../model/range";
import { type ColumnSpec, hasValues, shapeAnswer } from "../model/shape";
import { formatUnit, unitAxis } from "../model/units";
import { t } from "../messages";

const CHART_HEIGHT = 190;

export const TABLE_TEXT: Partial<ChartText> = {
  time: t("table_time"),
  series: t("table_series"),
  last: t("table_last"),
  min: t("table_min"),
  avg: t("table_avg"),
  max: t("table_max"),
  noData: t("table_noData"),
};

export interface ChartCardProps {
  spec: ChartSpec;
  agentId: number;
  range: ResolvedRange;
  live: LiveHost;
  syncKey: string;
  onZoom: (from: number, to: number) => void;
  className?: string;
  /** a control beside the title (the metric picker) */
  action?: ReactNode;
}

/** A chart in a card: history for a range, or the live ring; with its loading, empty and error states. */
export function ChartCard(props: ChartCardProps) {
  const titleId = useId();
  return (
    <Card className={cn("min-w-0", props.className)} data-chart-id={props.spec.id}>
      <section aria-labelledby={titleId}>
        <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
          <CardTitle id={titleId}>{props.spec.title}</CardTitle>
          {props.action}
        </CardHeader>
        <CardContent>{props.range.key === "live" ? <LiveChart {...props} /> : <HistoryChart {...props} />}</CardContent>
      </section>
    </Card>
  );
}

function seriesOf(spec: ChartSpec, columns: readonly ColumnSpec[]): ChartSeriesSpec[] {
  return columns.map((c) => ({ label: spec.label(c.name, c.labels), ...(spec.fill && columns.length === 1 ? { fill: true } : {}) }));
}

function HistoryChart({ spec, agentId, range, syncKey, onZoom }: ChartCardProps) {
  const query = useQuery(chartQuery(agentId, spec.source, range));
  const answer = query.data;
  const shaped = useMemo(() => (answer ? shapeAnswer(spec, answer) : null), [answer, spec]);
  const format = useMemo(() => (value: number) => formatUnit(spec.unit, value), [spec.unit]);
  if (query.isPending) return <ChartSkeleton />;
  if (!answer || !shaped) return <ErrorMessage error={query.error} title={t("chartError")} onRetry={() => void query.refetch()} />;
  if (!hasValues(shaped.data)) {
    return query.isError ? <ErrorMessage error={query.error} title={t("chartError")} onRetry={() => void query.refetch()} /> : <ChartEmpty spec={spec} />;
  }
  const domain: [number, number] = [Date.parse(answer.start) / 1000, Date.parse(answer.stop) / 1000];
  return (
    <div className={cn("relative transition-opacity", query.isPlaceholderData && "opacity-60")} aria-busy={query.isFetching}>
      {query.isError ? <ErrorMessage error={query.error} title={t("chartError")} onRetry={() => void query.refetch()} /> : null}
      <UplotChart
        title={spec.title}
        series={seriesOf(spec, shaped.columns)}
        data={shaped.data}
        format={format}
        {...unitAxis(spec.unit)}
        xDomain={domain}
        height={CHART_HEIGHT}
        syncKey={syncKey}
        onSelectRange={onZoom}
        text={TABLE_TEXT}
      />
    </div>
  );
}

function LiveChart({ spec, agentId, range, live, syncKey, onZoom }: ChartCardProps) {
  const series = live.series(spec);
  const seed = useQuery(chartQuery(agentId, spec.source, range));
  useEffect(() => {
    if (seed.data) series.merge(shapeAnswer(spec, seed.data));
  }, [seed.data, series, spec]);
  const columns = useSyncExternalStore(
    (listener) => series.subscribeColumns(listener),
    () => series.columns,
  );
  const format = useMemo(() => (value: number) => formatUnit(spec.unit, value), [spec.unit]);
  if (columns.length === 0) {
    if (seed.isPending) return <ChartSkeleton />;
    if (seed.isError) return <ErrorMessage error={seed.error} title={t("chartError")} onRetry={() => void seed.refetch()} />;
    return spec.id === "temperatures" ? <ChartEmpty spec={spec} /> : <Waiting />;
  }
  return (
    <UplotChart
      title={spec.title}
      series={seriesOf(spec, columns)}
      live={series}
      format={format}
      {...unitAxis(spec.unit)}
      xWindow={LIVE_WINDOW_SECONDS}
      height={CHART_HEIGHT}
      syncKey={syncKey}
      onSelectRange={onZoom}
      text={TABLE_TEXT}
    />
  );
}

function ChartSkeleton() {
  return (
    <div aria-busy="true" className="grid gap-2">
      <Skeleton className="w-full" style={{ height: CHART_HEIGHT }} />
      <Skeleton className="h-4 w-2/3" />
    </div>
  );
}

function Placeholder({ title, hint }: { title: string; hint: string }) {
  return (
    <div className="flex flex-col items-center justify-center gap-1 rounded-md border border-dashed p-4 text-center" style={{ minHeight: CHART_HEIGHT }}>
      <p className="text-sm font-medium">{title}</p>
      <p className="max-w-sm text-xs text-muted-foreground">{hint}</p>
    </div>
  );
}

function ChartEmpty({ spec }: { spec: ChartSpec }) {
  if (spec.id === "temperatures") return <Placeholder title={t("noTemperatures")} hint={t("noTemperaturesHint")} />;
  return <Placeholder title={t("noData")} hint={t("noDataHint")} />;
}

function Waiting() {
  return <Placeholder title={t("waiting")} hint={t("waitingHint")} />;
}
