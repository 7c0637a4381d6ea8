import { Link } from "@tanstack/react-router";
import { Activity, BellOff, CheckCheck } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useCan } from "@/lib/api/me";
import { formatDateTime, formatRelative } from "@/lib/i18n/format";
import type { Alert } from "../api/types";
import { useLookups } from "../hooks/use-lookups";
import { t } from "../messages";
import { describeCondition, formatDuration, formatMetricValue } from "../utils/format";
import { isStateMetric } from "../utils/metrics";
import { AcknowledgeDialog } from "./acknowledge-dialog";
import { PhaseBadge, SeverityBadge } from "./badges";
import { SilenceAlertDialog } from "./silence-alert-dialog";

/** One alert: what fired, on which host or monitor, since when, who acknowledged it. */
export function AlertRow({ alert, now }: { alert: Alert; now: Date }) {
  const canOperate = useCan("operate");
  const { hostName, monitorName, memberName } = useLookups();
  const [dialog, setDialog] = useState<"ack" | "silence" | null>(null);
  const labels = Object.entries(alert.labels);
  const firing = alert.resolved_at == null;
  return (
    <li>
      <Card className="flex flex-col gap-3 p-3 sm:flex-row sm:items-start sm:justify-between" data-alert-id={alert.id}>
        <div className="grid min-w-0 gap-1.5">
          <div className="flex flex-wrap items-center gap-2">
            <SeverityBadge severity={alert.severity} />
            <PhaseBadge alert={alert} />
            <h3 className="font-medium break-words">
              {describeCondition(alert.metric, alert.condition, alert.threshold)}
              {labels.length > 0 ? <span className="font-normal text-muted-foreground"> · {labels.map(([k, v]) => `${k}=${v}`).join(", ")}</span> : null}
            </h3>
          </div>
          <p className="flex flex-wrap gap-x-3 gap-y-1 text-sm text-muted-foreground">
            {alert.agent_id != null ? (
              <Link to="/hosts/$agentId" params={{ agentId: String(alert.agent_id) }} className="font-medium text-foreground underline-offset-4 hover:underline">
                {hostName(alert.agent_id)}
              </Link>
            ) : null}
            {alert.monitor_id != null ? (
              <Link
                to="/monitors/$monitorId"
                params={{ monitorId: String(alert.monitor_id) }}
                className="inline-flex items-center gap-1 font-medium text-foreground underline-offset-4 hover:underline"
              >
                <Activity aria-hidden="true" className="size-3.5 text-muted-foreground" />
                {monitorName(alert.monitor_id)}
              </Link>
            ) : null}
            {/* A state (down, degraded) says it all; its value is just 1. */}
            {isStateMetric(alert.metric) ? null : <span>{t("valueWas", { value: formatMetricValue(alert.metric, alert.value) })}</span>}
            {alert.rule_id != null ? <span>{t("ruleNumber", { id: alert.rule_id })}</span> : null}
            <span>{t("alertNumber", { id: alert.id })}</span>
          </p>
          <p className="text-sm">
            <span title={formatDateTime(alert.started_at)}>{t("startedAgo", { ago: formatRelative(alert.started_at, now.getTime()), at: formatDateTime(alert.started_at) })}</span>
            {alert.resolved_at ? (
              <span className="text-muted-foreground">
                {" · "}
                {t("resolvedAfter", { ago: formatRelative(alert.resolved_at, now.getTime()), duration: formatDuration(alert.duration_seconds) })}
              </span>
            ) : (
              <span className="text-muted-foreground">
                {" · "}
                {t("firingFor", { duration: formatDuration((now.getTime() - new Date(alert.started_at).getTime()) / 1000) })}
              </span>
            )}
          </p>
          {alert.acknowledged_at ? (
            <p className="text-sm text-muted-foreground">
              {t("acknowledgedBy", { who: memberName(alert.acknowledged_by), ago: formatRelative(alert.acknowledged_at, now.getTime()) })}
              {alert.ack_comment ? <span className="text-foreground">{` — “${alert.ack_comment}”`}</span> : null}
            </p>
          ) : null}
        </div>
        {canOperate ? (
          <div className="flex shrink-0 flex-wrap gap-2">
            {firing && !alert.acknowledged_at ? (
              <Button size="sm" onClick={() => setDialog("ack")}>
                <CheckCheck aria-hidden="true" />
                {t("acknowledge")}
              </Button>
            ) : null}
            {alert.agent_id != null || alert.rule_id != null ? (
              <Button size="sm" variant="outline" onClick={() => setDialog("silence")}>
                <BellOff aria-hidden="true" />
                {t("silence")}
              </Button>
            ) : null}
          </div>
        ) : null}
      </Card>
      {dialog === "ack" ? <AcknowledgeDialog alert={alert} onClose={() => setDialog(null)} /> : null}
      {dialog === "silence" ? <SilenceAlertDialog alert={alert} onClose={() => setDialog(null)} /> : null}
    </li>
  );
}
