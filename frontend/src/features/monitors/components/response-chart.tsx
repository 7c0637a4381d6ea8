import type { UseQueryResult } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useMemo } from "react";
import { type ChartText, UplotChart } from "@/components/charts/uplot-chart";
import { ErrorMessage } from "@/components/errors/error-message";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";
import type { Check } from "../api/types";
import { formatMs, responseColumns } from "../model/uptime";
import { CHART_RANGES, type ChartRange } from "../search";
import { t } from "../messages";

const HEIGHT = 200;
// Canvas needs a concrete colour; this red reads on both themes.
const FAILED_COLOR = "#dc2626";
export const RANGE_HOURS: Record<ChartRange, number> = { "1h": 1, "6h": 6, "24h": 24, "48h": 48 };

const TABLE_TEXT: Partial<ChartText> = {
  time: t("table_time"),
  series: t("table_series"),
  last: t("table_last"),
  min: t("table_min"),
  avg: t("table_avg"),
  max: t("table_max"),
  noData: t("table_noData"),
};

const segment =
  "inline-flex h-8 items-center rounded-md px-2.5 text-sm font-medium text-muted-foreground hover:text-foreground data-[selected=true]:bg-card data-[selected=true]:text-foreground data-[selected=true]:shadow-xs";

function RangeLinks({ range }: { range: ChartRange }) {
  return (
    <nav aria-label={t("timeRange")} className="flex items-center gap-1 rounded-lg bg-muted p-1">
      {CHART_RANGES.map((key) => (
        <Link
          key={key}
          from="/monitors/$monitorId/"
          to="."
          search={(prev) => ({ ...prev, span: key === "24h" ? undefined : key })}
          activeOptions={{ exact: true, includeSearch: true }}
          resetScroll={false}
          replace
          data-selected={range === key}
          className={segment}
        >
          {t(`range_${key}`)}
        </Link>
      ))}
    </nav>
  );
}

/** Response times over 1 h … 48 h from the raw checks; failed checks drawn as their own series. */
export function ResponseChart({ range, checks }: { range: ChartRange; checks: UseQueryResult<Check[]> }) {
  const columns = useMemo(() => (checks.data ? responseColumns(checks.data) : null), [checks.data]);
  // The range ends when the checks were fetched (the chart is only drawn once they were).
  const now = checks.dataUpdatedAt;
  const domain = useMemo<[number, number]>(() => [now / 1000 - RANGE_HOURS[range] * 3600, now / 1000], [now, range]);
  const series = useMemo(() => [{ label: t("seriesResponse"), fill: true }, { label: t("seriesFailed"), color: FAILED_COLOR }], []);
  return (
    <Card className="min-w-0">
      <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle>{t("responseTime")}</CardTitle>
        <RangeLinks range={range} />
      </CardHeader>
      <CardContent>
        {checks.isPending ? (
          <Skeleton className="w-full" style={{ height: HEIGHT }} />
        ) : checks.isError && !checks.data ? (
          <ErrorMessage error={checks.error} onRetry={() => void checks.refetch()} />
        ) : columns && columns[0].length > 0 ? (
          <div className={cn("transition-opacity", checks.isPlaceholderData && "opacity-60")}>
            <UplotChart title={t("responseTime")} series={series} data={columns} format={formatMs} yMin={0} xDomain={domain} height={HEIGHT} text={TABLE_TEXT} />
          </div>
        ) : (
          <div className="flex flex-col items-center justify-center gap-1 rounded-md border border-dashed p-4 text-center" style={{ minHeight: HEIGHT }}>
            <p className="text-sm font-medium">{t("noChecks")}</p>
            <p className="max-w-sm text-xs text-muted-foreground">{t("noChecksHint")}</p>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
