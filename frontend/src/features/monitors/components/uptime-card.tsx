import { useQuery } from "@tanstack/react-query";
import { ErrorMessage } from "@/components/errors/error-message";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";
import { uptimeQuery } from "../api/queries";
import type { UptimeDay } from "../api/types";
import { dayTone, formatMs, formatUptime, UPTIME_WINDOWS } from "../model/uptime";
import { t } from "../messages";
import { TONE_BG, UptimeValue } from "./status";

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });

function dayTitle(day: UptimeDay): string {
  const date = dayFormat.format(new Date(`${day.day}T00:00:00Z`));
  if (day.checks === 0) return t("dayNoChecks", { date });
  return t("dayTitle", { date, uptime: formatUptime(day.uptime), checks: day.checks, down: day.down });
}

/** One bar per day, oldest left; its colour is the day's uptime, its title the figures. */
export function DayBars({ days }: { days: readonly UptimeDay[] }) {
  const bad = days.filter((day) => day.checks > 0 && dayTone(day) !== "ok").length;
  return (
    <div className="grid gap-1">
      <div role="img" aria-label={t("daysSummary", { days: days.length, bad })} className="flex h-8 items-stretch gap-px" data-days={days.length}>
        {days.map((day) => (
          <span key={day.day} title={dayTitle(day)} data-day-tone={dayTone(day)} className={cn("min-w-0.5 flex-1 rounded-[1px]", TONE_BG[dayTone(day)])} />
        ))}
      </div>
      <div aria-hidden="true" className="flex justify-between text-xs text-muted-foreground">
        <span>{t("daysAgo", { days: days.length })}</span>
        <span>{t("today")}</span>
      </div>
    </div>
  );
}

/** Uptime over 24 h … 1 year with the average response time, and the last 90 days as bars. */
export function UptimeCard({ monitorId }: { monitorId: number }) {
  const uptime = useQuery(uptimeQuery(monitorId));
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("uptime")}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        {uptime.isPending ? (
          <div aria-busy="true" className="grid gap-3">
            <Skeleton className="h-14" />
            <Skeleton className="h-8" />
          </div>
        ) : uptime.isError ? (
          <ErrorMessage error={uptime.error} onRetry={() => void uptime.refetch()} />
        ) : (
          <>
            <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" data-uptime="">
              {UPTIME_WINDOWS.map((window) => (
                <div key={window} className="rounded-md border p-2">
                  <dt className="text-xs text-muted-foreground">{t(`windowLong_${window}`)}</dt>
                  <dd className="text-lg font-semibold">
                    <UptimeValue percent={uptime.data.uptime[window]} className="justify-start" />
                  </dd>
                  <dd className="text-xs text-muted-foreground">{t("avgResponse", { value: formatMs(uptime.data.avg_response_ms[window]) })}</dd>
                </div>
              ))}
            </dl>
            <DayBars days={uptime.data.days} />
          </>
        )}
      </CardContent>
    </Card>
  );
}
