import { type SyntheticEvent, useState } from "react";
import { InlineError } from "@/components/errors/error-message";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input, Label } from "@/components/ui/input";
import { formatDateTime } from "@/lib/i18n/format";
import { useCreateSilence } from "../api/mutations";
import type { Alert } from "../api/types";
import { useLookups } from "../hooks/use-lookups";
import { t } from "../messages";
import { describeCondition } from "../utils/format";
import { browserTimeZone, periodFromNow } from "../utils/silence-time";

export const SILENCE_DURATIONS = [
  { seconds: 30 * 60, label: "duration30m" },
  { seconds: 3600, label: "duration1h" },
  { seconds: 4 * 3600, label: "duration4h" },
  { seconds: 86_400, label: "duration1d" },
  { seconds: 7 * 86_400, label: "duration1w" },
] as const;

/** A silence prefilled from an alert: its host and rule, from now for a chosen duration. */
export function SilenceAlertDialog({ alert, onClose }: { alert: Alert; onClose: () => void }) {
  const create = useCreateSilence();
  const { hostName, monitorName } = useLookups();
  const [byHost, setByHost] = useState(alert.agent_id != null);
  const [byMonitor, setByMonitor] = useState(alert.monitor_id != null);
  const [byRule, setByRule] = useState(alert.rule_id != null);
  const [seconds, setSeconds] = useState<number>(3600);
  const [comment, setComment] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const everything = !byHost && !byMonitor && !byRule;

  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const period = periodFromNow(seconds, new Date());
    create.mutate(
      {
        agent_id: byHost ? alert.agent_id : null,
        monitor_id: byMonitor ? alert.monitor_id : null,
        rule_id: byRule ? alert.rule_id : null,
        labels: {},
        ...period,
        timezone: browserTimeZone(),
        comment: comment.trim(),
      },
      { onSuccess: (silence) => setDone(formatDateTime(silence.ends_at)) },
    );
  };

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent title={t("silenceAlertTitle")} description={t("silenceAlertHint")} closeLabel={t("close")}>
        {done ? (
          <div className="grid gap-4">
            <p role="status" className="rounded-md bg-ok/15 p-3 text-sm">
              {t("silencedUntil", { until: done })}
            </p>
            <DialogFooter>
              <Button onClick={onClose}>{t("close")}</Button>
            </DialogFooter>
          </div>
        ) : (
          <form onSubmit={submit} className="grid gap-4">
            <fieldset className="grid gap-2">
              <legend className="mb-1.5 text-sm font-medium">{t("silenceWhich")}</legend>
              {alert.agent_id != null ? (
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" className="size-4 accent-primary" checked={byHost} onChange={(event) => setByHost(event.target.checked)} />
                  {t("onlyHost", { host: hostName(alert.agent_id) })}
                </label>
              ) : null}
              {alert.monitor_id != null ? (
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" className="size-4 accent-primary" checked={byMonitor} onChange={(event) => setByMonitor(event.target.checked)} />
                  {t("onlyMonitor", { monitor: monitorName(alert.monitor_id) })}
                </label>
              ) : null}
              {alert.rule_id != null ? (
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" className="size-4 accent-primary" checked={byRule} onChange={(event) => setByRule(event.target.checked)} />
                  {t("onlyRule", { rule: `#${alert.rule_id} ${describeCondition(alert.metric, alert.condition, alert.threshold)}` })}
                </label>
              ) : null}
              {everything ? (
                <p role="alert" className="text-xs text-destructive">
                  {t("silenceEverything")}
                </p>
              ) : null}
            </fieldset>
            <fieldset className="grid gap-2">
              <legend className="mb-1.5 text-sm font-medium">{t("silenceFor")}</legend>
              <div className="flex flex-wrap gap-2">
                {SILENCE_DURATIONS.map((choice) => (
                  <Label
                    key={choice.seconds}
                    className="flex cursor-pointer items-center gap-2 rounded-md border px-3 py-2 has-[:checked]:border-primary has-[:checked]:bg-primary/10 has-[:focus-visible]:outline-2"
                  >
                    <input
                      type="radio"
                      name="duration"
                      className="sr-only"
                      checked={seconds === choice.seconds}
                      onChange={() => setSeconds(choice.seconds)}
                    />
                    {t(choice.label)}
                  </Label>
                ))}
              </div>
            </fieldset>
            <FormField label={t("comment")}>
              <Input value={comment} maxLength={500} onChange={(event) => setComment(event.target.value)} placeholder={t("commentPlaceholder")} />
            </FormField>
            <InlineError error={create.error} />
            <DialogFooter>
              <DialogClose asChild>
                <Button variant="outline">{t("cancel")}</Button>
              </DialogClose>
              <Button type="submit" disabled={create.isPending}>
                {t("silence")}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
