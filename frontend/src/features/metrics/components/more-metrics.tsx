import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { useId, useMemo } from "react";
import { ErrorMessage } from "@/components/errors/error-message";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label, NativeSelect } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { metricNamesQuery } from "../api/queries";
import type { LiveHost } from "../hooks/use-live-host";
import { CHARTED_METRICS, metricChart } from "../model/charts";
import type { ResolvedRange } from "../model/range";
import { t } from "../messages";
import { ChartCard } from "./chart-card";

const route = getRouteApi("/_app/hosts/$agentId");

interface Props {
  agentId: number;
  range: ResolvedRange;
  live: LiveHost;
  syncKey: string;
  onZoom: (from: number, to: number) => void;
  metric: string | undefined;
}

/** Any other metric the history service has for the host (custom ones too), picked from a list. */
export function MoreMetrics({ agentId, range, live, syncKey, onZoom, metric }: Props) {
  const navigate = route.useNavigate();
  const names = useQuery(metricNamesQuery(agentId, range));
  const choices = useMemo(() => (names.data ?? []).filter((name) => !CHARTED_METRICS.has(name)), [names.data]);
  const spec = useMemo(() => (metric ? metricChart(metric) : null), [metric]);
  const selectId = useId();
  const picker = (
    <div className="flex items-center gap-2">
      <Label htmlFor={selectId}>{t("metric")}</Label>
      <NativeSelect
        id={selectId}
        className="w-56 max-w-full"
        value={metric ?? ""}
        disabled={names.isPending}
        onChange={(event) => void navigate({ search: (prev) => ({ ...prev, metric: event.target.value || undefined }), replace: true })}
      >
        <option value="">{t("chooseMetric")}</option>
        {metric && !choices.includes(metric) ? <option value={metric}>{metric}</option> : null}
        {choices.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </NativeSelect>
    </div>
  );

  if (spec)
    return <ChartCard spec={spec} agentId={agentId} range={range} live={live} syncKey={syncKey} onZoom={onZoom} action={picker} className="lg:col-span-2" />;

  return (
    <Card className="min-w-0 lg:col-span-2">
      <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
        <div>
          <CardTitle>{t("moreMetrics")}</CardTitle>
          <CardDescription>{t("moreMetricsHint")}</CardDescription>
        </div>
        {picker}
      </CardHeader>
      <CardContent>
        {names.isPending ? (
          <Skeleton className="h-6 w-64" />
        ) : names.isError ? (
          <ErrorMessage error={names.error} onRetry={() => void names.refetch()} />
        ) : (
          <p className="text-sm text-muted-foreground">{choices.length === 0 ? t("noMoreMetrics") : t("chooseMetricHint")}</p>
        )}
      </CardContent>
    </Card>
  );
}
