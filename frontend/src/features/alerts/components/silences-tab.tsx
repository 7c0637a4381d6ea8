import { useQuery } from "@tanstack/react-query";
import { BellOff, CalendarClock, Plus, Trash2 } from "lucide-react";
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
import { formatDateTime, formatRelative } from "@/lib/i18n/format";
import { silencesQuery } from "../api/queries";
import { useDeleteSilence } from "../api/mutations";
import type { Silence } from "../api/types";
import { useLookups } from "../hooks/use-lookups";
import { useNow } from "../hooks/use-now";
import { t } from "../messages";
import { describeCondition } from "../utils/format";
import { browserTimeZone, silenceState, weeklyOccurrences, windowInZone } from "../utils/silence-time";
import { SilenceForm, weekdayNames } from "./silence-form";

const STATE_TONE = { active: "warn", scheduled: "info", expired: "neutral" } as const;

export function SilencesTab() {
  const silences = useQuery(silencesQuery());
  const canOperate = useCan("operate");
  const [creating, setCreating] = useState<"period" | "weekly" | null>(null);
  const now = useNow();
  const periods = (silences.data ?? []).filter((silence) => silence.ends_at != null);
  const windows = (silences.data ?? []).filter((silence) => silence.ends_at == null);

  const section = (kind: "period" | "weekly", items: Silence[]) => (
    <section aria-labelledby={`${kind}-heading`} className="grid gap-3">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h2 id={`${kind}-heading`} className="text-lg font-semibold">
            {kind === "period" ? t("silencesTitle") : t("windowsTitle")}
          </h2>
          <p className="text-sm text-muted-foreground">{kind === "period" ? t("silencesHint") : t("windowsHint")}</p>
        </div>
        {canOperate ? (
          <Button onClick={() => setCreating(kind)}>
            <Plus aria-hidden="true" />
            {kind === "period" ? t("newSilence") : t("newWindow")}
          </Button>
        ) : null}
      </div>
      {silences.isPending ? (
        <Skeleton className="h-20" />
      ) : items.length === 0 ? (
        <EmptyState
          icon={kind === "period" ? <BellOff /> : <CalendarClock />}
          title={kind === "period" ? t("noSilences") : t("noWindows")}
          description={kind === "period" ? t("noSilencesHint") : t("noWindowsHint")}
        />
      ) : (
        <ul className="grid gap-2" aria-label={kind === "period" ? t("silencesTitle") : t("windowsTitle")}>
          {items.map((silence) => (
            <SilenceRow key={silence.id} silence={silence} now={now} />
          ))}
        </ul>
      )}
    </section>
  );

  return (
    <div className="grid gap-8">
      {silences.isError ? <ErrorMessage error={silences.error} onRetry={() => void silences.refetch()} /> : null}
      {section("period", periods)}
      {section("weekly", windows)}
      {creating !== null ? (
        <Dialog open onOpenChange={(open) => !open && setCreating(null)}>
          <DialogContent
            className="max-w-xl"
            title={creating === "period" ? t("newSilence") : t("newWindow")}
            description={creating === "period" ? t("newSilenceHint") : t("newWindowHint")}
            closeLabel={t("close")}
          >
            <SilenceForm kind={creating} onDone={() => setCreating(null)} />
          </DialogContent>
        </Dialog>
      ) : null}
    </div>
  );
}

function SilenceRow({ silence, now }: { silence: Silence; now: Date }) {
  const canOperate = useCan("operate");
  const remove = useDeleteSilence();
  const { hostName, ruleById } = useLookups();
  const state = silenceState(silence, now);
  const rule = silence.rule_id == null ? undefined : ruleById.get(silence.rule_id);
  const matchers = [
    silence.agent_id != null ? t("matcherHost", { host: hostName(silence.agent_id) }) : null,
    silence.rule_id != null ? t("matcherRule", { rule: `#${silence.rule_id}${rule ? ` ${describeCondition(rule.metric_type, rule.condition, rule.threshold)}` : ""}` }) : null,
    ...Object.entries(silence.labels).map(([key, value]) => `${key}=${value}`),
  ].filter((item): item is string => item !== null);
  const what = matchers.length > 0 ? matchers.join(" · ") : t("matcherEverything");

  return (
    <li>
      <Card className="flex flex-col gap-3 p-3 sm:flex-row sm:items-start sm:justify-between" data-silence-id={silence.id}>
        <div className="grid min-w-0 gap-1.5">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={STATE_TONE[state]}>{t(`silenceState_${state}`)}</Badge>
            <h3 className="font-medium break-words">{what}</h3>
          </div>
          <p className="text-sm">{silence.ends_at != null ? <PeriodText silence={silence} now={now} /> : <WindowText silence={silence} now={now} />}</p>
          {silence.comment ? <p className="text-sm break-words text-muted-foreground">{silence.comment}</p> : null}
          <InlineError error={remove.error} />
        </div>
        {canOperate ? (
          <ConfirmDialog
            trigger={
              <Button size="sm" variant="outline" className="self-start" aria-label={t("deleteSilenceNamed", { what })}>
                <Trash2 aria-hidden="true" />
                {t("delete")}
              </Button>
            }
            title={silence.ends_at != null ? t("deleteSilenceTitle") : t("deleteWindowTitle")}
            description={t("deleteSilenceHint", { what })}
            confirmLabel={t("delete")}
            cancelLabel={t("cancel")}
            pending={remove.isPending}
            onConfirm={() => remove.mutate(silence.id)}
          />
        ) : null}
      </Card>
    </li>
  );
}

function PeriodText({ silence, now }: { silence: Silence; now: Date }) {
  const starts = silence.starts_at ?? silence.created_at;
  const ends = silence.ends_at ?? "";
  const ended = new Date(ends) <= now;
  return (
    <>
      {t("periodRange", { from: formatDateTime(starts), to: formatDateTime(ends) })}
      <span className="text-muted-foreground">
        {" · "}
        {ended ? t("endedAgo", { ago: formatRelative(ends, now.getTime()) }) : t("endsIn", { when: formatRelative(ends, now.getTime()) })}
      </span>
    </>
  );
}

function WindowText({ silence, now }: { silence: Silence; now: Date }) {
  const days = weekdayNames("short");
  const zone = browserTimeZone();
  const list = (weekdays: number[]) => weekdays.map((day) => days[day] ?? String(day)).join(", ");
  const stored = t("windowRange", { days: list(silence.weekdays), from: silence.window_start ?? "", to: silence.window_end ?? "", zone: silence.timezone });
  const local = silence.timezone === zone ? null : windowInZone(silence, zone, now);
  const next = weeklyOccurrences(silence, now).find((occurrence) => occurrence.start > now);
  return (
    <>
      {stored}
      {local ? <span className="text-muted-foreground">{` · ${t("windowYourTime", { days: list(local.weekdays), from: local.start, to: local.end })}`}</span> : null}
      {next ? <span className="text-muted-foreground">{` · ${t("nextWindow", { when: formatRelative(next.start, now.getTime()), at: formatDateTime(next.start) })}`}</span> : null}
    </>
  );
}
