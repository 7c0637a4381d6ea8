import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Pencil, Plus, ScrollText, Trash2 } from "lucide-react";
import { useState } from "react";
import { ErrorMessage, InlineError } from "@/components/errors/error-message";
import { EmptyState } from "@/components/layout/page";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { useCan } from "@/lib/api/me";
import { channelsQuery, rulesQuery } from "../api/queries";
import { useDeleteRule } from "../api/mutations";
import type { Rule } from "../api/types";
import { useLookups } from "../hooks/use-lookups";
import { t } from "../messages";
import { describeCondition, formatDuration } from "../utils/format";
import { SeverityBadge } from "./badges";
import { CurrentValue } from "./current-value";
import { MonitorNow } from "./monitor-now";
import { RuleForm } from "./rule-form";

export function RulesTab() {
  const rules = useQuery(rulesQuery());
  const canOperate = useCan("operate");
  const [editing, setEditing] = useState<Rule | "new" | null>(null);

  return (
    <section aria-labelledby="rules-heading" className="grid gap-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h2 id="rules-heading" className="text-lg font-semibold">
            {t("tabRules")}
          </h2>
          <p className="text-sm text-muted-foreground">{t("rulesHint")}</p>
        </div>
        {canOperate ? (
          <Button onClick={() => setEditing("new")}>
            <Plus aria-hidden="true" />
            {t("newRule")}
          </Button>
        ) : null}
      </div>
      {rules.isPending ? (
        <div className="grid gap-2">
          {Array.from({ length: 3 }, (_, index) => (
            <Skeleton key={index} className="h-24" />
          ))}
        </div>
      ) : rules.isError ? (
        <ErrorMessage error={rules.error} onRetry={() => void rules.refetch()} />
      ) : rules.data.length === 0 ? (
        <EmptyState
          icon={<ScrollText />}
          title={t("noRules")}
          description={canOperate ? t("noRulesHint") : t("noRulesViewerHint")}
          action={canOperate ? <Button onClick={() => setEditing("new")}>{t("newRule")}</Button> : undefined}
        />
      ) : (
        <ul className="grid gap-2" aria-label={t("ruleList")}>
          {rules.data.map((rule) => (
            <RuleRow key={rule.id} rule={rule} onEdit={() => setEditing(rule)} />
          ))}
        </ul>
      )}
      {editing !== null ? (
        <Dialog open onOpenChange={(open) => !open && setEditing(null)}>
          <DialogContent
            className="max-w-2xl"
            title={editing === "new" ? t("newRule") : t("editRule", { id: editing.id })}
            description={t("ruleFormHint")}
            closeLabel={t("close")}
          >
            <RuleForm {...(editing === "new" ? {} : { rule: editing })} onDone={() => setEditing(null)} />
          </DialogContent>
        </Dialog>
      ) : null}
    </section>
  );
}

function RuleRow({ rule, onEdit }: { rule: Rule; onEdit: () => void }) {
  const canOperate = useCan("operate");
  const remove = useDeleteRule();
  const { ruleTarget } = useLookups();
  const channels = useQuery(channelsQuery());
  const channelNames = rule.channel_ids.map((id) => channels.data?.find((channel) => channel.id === id)?.name ?? `#${id}`);
  const match = Object.entries(rule.match);
  const title = describeCondition(rule.metric_type, rule.condition, rule.threshold);
  return (
    <li>
      <Card className="flex flex-col gap-3 p-3 sm:flex-row sm:items-start sm:justify-between" data-rule-id={rule.id}>
        <div className="grid min-w-0 gap-1.5">
          <div className="flex flex-wrap items-center gap-2">
            <SeverityBadge severity={rule.severity} />
            {!rule.enabled ? <Badge>{t("disabled")}</Badge> : null}
            <h3 className="font-medium">
              <span className="text-muted-foreground">#{rule.id}</span> {title}
            </h3>
          </div>
          <p className="flex flex-wrap gap-x-3 gap-y-1 text-sm text-muted-foreground">
            {rule.target_type === "monitor" && rule.monitor_id != null ? (
              <Link to="/monitors/$monitorId" params={{ monitorId: String(rule.monitor_id) }} className="font-medium text-foreground underline-offset-4 hover:underline">
                {ruleTarget(rule)}
              </Link>
            ) : (
              <span>{ruleTarget(rule)}</span>
            )}
            {match.length > 0 ? <span>{match.map(([k, v]) => `${k}=${v}`).join(", ")}</span> : null}
            <span>{rule.for_seconds > 0 ? t("forDuration", { duration: formatDuration(rule.for_seconds) }) : t("fireAtOnce")}</span>
            <span>{t("renotifyEvery", { duration: formatDuration(rule.renotify_seconds) })}</span>
            <span>{channelNames.length > 0 ? t("notifies", { channels: channelNames.join(", ") }) : t("notifiesAll")}</span>
          </p>
          {rule.target_type === "monitor" ? (
            <MonitorNow compact metric={rule.metric_type} monitorId={rule.monitor_id} labels={rule.labels} condition={rule.condition} threshold={rule.threshold} />
          ) : (
            <CurrentValue compact metric={rule.metric_type} agentId={rule.agent_id} labels={rule.labels} condition={rule.condition} threshold={rule.threshold} />
          )}
          <InlineError error={remove.error} />
        </div>
        <div className="flex shrink-0 flex-wrap gap-2">
          <Button asChild size="sm" variant="ghost">
            <Link to="/alerts" search={{ rule: rule.id }} aria-label={t("showAlertsNamed", { id: rule.id })}>
              {t("showAlerts")}
            </Link>
          </Button>
          {canOperate ? (
            <>
              <Button size="sm" variant="outline" onClick={onEdit} aria-label={t("editRuleNamed", { id: rule.id, title })}>
                <Pencil aria-hidden="true" />
                {t("edit")}
              </Button>
              <ConfirmDialog
                trigger={
                  <Button size="sm" variant="outline" aria-label={t("deleteRuleNamed", { id: rule.id, title })}>
                    <Trash2 aria-hidden="true" />
                    {t("delete")}
                  </Button>
                }
                title={t("deleteRuleTitle", { id: rule.id })}
                description={t("deleteRuleHint", { title })}
                confirmLabel={t("delete")}
                cancelLabel={t("cancel")}
                pending={remove.isPending}
                onConfirm={() => remove.mutate(rule.id)}
              />
            </>
          ) : null}
        </div>
      </Card>
    </li>
  );
}
