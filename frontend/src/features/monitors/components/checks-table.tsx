import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDateTime } from "@/lib/i18n/format";
import type { Check } from "../api/types";
import { formatMs } from "../model/uptime";
import { t } from "../messages";
import { StatusBadge } from "./status";

const FIRST = 20;
const MORE = 100;

/** A check's small facts (DNS answers, certificate subject…) as one line of `key: value`. */
export function detailsLine(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" · ");
}

/** The latest checks, newest first: when, what it found, how fast, and why it failed. */
export function ChecksTable({ checks }: { checks: readonly Check[] | undefined }) {
  const [expanded, setExpanded] = useState(false);
  const shown = (checks ?? []).slice(0, expanded ? MORE : FIRST);
  return (
    <Card className="min-w-0">
      <CardHeader>
        <CardTitle>{t("recentChecks")}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-2">
        {shown.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t("noChecks")}</p>
        ) : (
          // Scrolls sideways on phones: focusable so keyboards can scroll it too.
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t("recentChecks")}>
            <table className="w-full min-w-[36rem] text-sm" data-checks={shown.length}>
              <caption className="sr-only">{t("recentChecks")}</caption>
              <thead className="text-left text-xs text-muted-foreground">
                <tr className="border-b">
                  <th scope="col" className="py-2 pr-3 font-medium">
                    {t("checkedAt")}
                  </th>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    {t("colStatus")}
                  </th>
                  <th scope="col" className="py-2 pr-3 text-right font-medium">
                    {t("colResponse")}
                  </th>
                  <th scope="col" className="py-2 pr-3 text-right font-medium">
                    {t("statusCode")}
                  </th>
                  <th scope="col" className="py-2 font-medium">
                    {t("colMessage")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((check) => (
                  <tr key={check.checked_at} className="border-b align-top last:border-b-0">
                    <td className="py-2 pr-3 whitespace-nowrap">
                      <time dateTime={check.checked_at}>{formatDateTime(check.checked_at)}</time>
                    </td>
                    <td className="py-2 pr-3">
                      <StatusBadge status={check.status} />
                    </td>
                    <td className="py-2 pr-3 text-right tabular-nums">{formatMs(check.response_ms)}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{check.status_code ?? "—"}</td>
                    <td className="py-2 break-words">
                      {check.error ? <span className="text-destructive">{check.error}</span> : null}
                      {Object.keys(check.details).length > 0 ? <span className="block text-xs text-muted-foreground">{detailsLine(check.details)}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {(checks?.length ?? 0) > FIRST ? (
          <Button variant="ghost" size="sm" className="justify-self-start" onClick={() => setExpanded(!expanded)}>
            {expanded ? t("showFewer") : t("showMore", { count: Math.min(MORE, checks?.length ?? 0) })}
          </Button>
        ) : null}
      </CardContent>
    </Card>
  );
}
