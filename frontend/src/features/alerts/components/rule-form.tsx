import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { Controller, useForm, useWatch } from "react-hook-form";
import { useState } from "react";
import { InlineError } from "@/components/errors/error-message";
import { Button } from "@/components/ui/button";
import { DialogClose, DialogFooter } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input, NativeSelect } from "@/components/ui/input";
import { channelsQuery } from "../api/queries";
import { useSaveRule } from "../api/mutations";
import { CUSTOM_METRIC, ruleFormDefaults, ruleFormSchema, type RuleFormValues, ruleMetric, toRuleCreate, toRuleUpdate } from "../api/schemas";
import { CONDITIONS, SEVERITIES, type Rule } from "../api/types";
import { useLookups } from "../hooks/use-lookups";
import { t } from "../messages";
import { conditionSign, formatDuration, metricLabel } from "../utils/format";
import { COMMON_METRICS, HOST_OFFLINE, unitOf } from "../utils/metrics";
import { applyServerErrors } from "../utils/server-errors";
import { CurrentValue } from "./current-value";
import { KeyValueEditor, pairErrors } from "./key-value-editor";

const FORM_FIELDS = [
  "agent_id",
  "metric_custom",
  "condition",
  "threshold",
  "severity",
  "for_seconds",
  "renotify_seconds",
  "hysteresis",
  "enabled",
  "labels",
  "match",
  "channel_ids",
] as const;
// The server names metric_type and agent_id; the form edits them as these.
const SERVER_NAMES: Record<string, (typeof FORM_FIELDS)[number]> = { metric_type: "metric_custom" };

const UNIT_SUFFIX = { percent: "%", bytesPerSecond: "B/s", celsius: "°C", intervals: "", plain: "" } as const;

/** Create or edit a rule; the current value of the chosen metric is shown beside the threshold. */
export function RuleForm({ rule, agentId, onDone }: { rule?: Rule; agentId?: number; onDone: (rule: Rule) => void }) {
  const save = useSaveRule();
  const { hosts, hostName } = useLookups();
  const channels = useQuery(channelsQuery());
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<RuleFormValues>({
    resolver: zodResolver(ruleFormSchema),
    defaultValues: ruleFormDefaults(rule, COMMON_METRICS, agentId),
  });
  const errors = form.formState.errors;
  const values = useWatch({ control: form.control });
  const metric = ruleMetric({ metric_choice: values.metric_choice ?? "", metric_custom: values.metric_custom ?? "" });
  const allHosts = (values.agent_id ?? "") === "";
  const thresholdNumber = Number(values.threshold);
  const labels = Object.fromEntries((values.labels ?? []).flatMap((pair) => (pair.key ? [[pair.key, pair.value ?? ""]] : [])));
  const unit = UNIT_SUFFIX[unitOf(metric)];

  const submit = form.handleSubmit((input) => {
    setFormError(null);
    const request = rule ? { id: rule.id, body: toRuleUpdate(input) } : { body: toRuleCreate(input) };
    save.mutate(request, {
      onSuccess: onDone,
      onError: (error) =>
        setFormError(
          applyServerErrors(error, [...FORM_FIELDS, ...Object.keys(SERVER_NAMES)], (field, message) =>
            form.setError(SERVER_NAMES[field] ?? (field as (typeof FORM_FIELDS)[number]), { message }),
          ),
        ),
    });
  });

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <div className="grid items-start gap-4 sm:grid-cols-2">
        <FormField label={t("ruleHost")} hint={rule ? t("ruleHostFixed") : t("ruleHostHint")} error={errors.agent_id?.message}>
          <NativeSelect disabled={Boolean(rule)} {...form.register("agent_id")}>
            <option value="">{t("allHosts")}</option>
            {rule?.agent_id != null && !hosts.some((host) => host.id === rule.agent_id) ? <option value={rule.agent_id}>{hostName(rule.agent_id)}</option> : null}
            {hosts.map((host) => (
              <option key={host.id} value={host.id}>
                {host.name}
              </option>
            ))}
          </NativeSelect>
        </FormField>
        <FormField label={t("ruleMetric")} error={values.metric_choice === CUSTOM_METRIC ? undefined : errors.metric_custom?.message}>
          <NativeSelect {...form.register("metric_choice")}>
            {COMMON_METRICS.map((name) => (
              <option key={name} value={name}>
                {metricLabel(name)}
              </option>
            ))}
            <option value={CUSTOM_METRIC}>{t("otherMetric")}</option>
          </NativeSelect>
        </FormField>
      </div>
      {values.metric_choice === CUSTOM_METRIC ? (
        <FormField label={t("metricName")} hint={t("metricNameHint")} error={errors.metric_custom?.message}>
          <Input autoComplete="off" spellCheck={false} placeholder="process_count" {...form.register("metric_custom")} />
        </FormField>
      ) : null}
      {allHosts ? (
        <Controller
          control={form.control}
          name="labels"
          render={({ field, fieldState }) => (
            <KeyValueEditor
              label={t("ruleLabels")}
              hint={t("ruleLabelsHint")}
              value={field.value}
              onChange={field.onChange}
              error={fieldState.error?.message}
              errors={pairErrors(errors.labels)}
            />
          )}
        />
      ) : null}
      <div className="grid items-start gap-4 sm:grid-cols-[minmax(0,9rem)_minmax(0,9rem)_minmax(0,1fr)]">
        <FormField label={t("ruleCondition")} error={errors.condition?.message}>
          <NativeSelect {...form.register("condition")}>
            {CONDITIONS.map((condition) => (
              <option key={condition} value={condition}>
                {`${conditionSign(condition)} ${t(`condition_${condition}`)}`}
              </option>
            ))}
          </NativeSelect>
        </FormField>
        <FormField
          label={metric === HOST_OFFLINE ? t("thresholdIntervals") : unit ? t("thresholdWithUnit", { unit }) : t("threshold")}
          hint={metric === HOST_OFFLINE ? t("thresholdIntervalsHint") : undefined}
          error={errors.threshold?.message}
        >
          <Input inputMode="decimal" autoComplete="off" {...form.register("threshold")} />
        </FormField>
        <CurrentValue
          className="sm:mt-5"
          metric={metric}
          agentId={allHosts ? null : Number(values.agent_id)}
          labels={allHosts ? labels : {}}
          condition={values.condition ?? "gt"}
          threshold={values.threshold !== "" && Number.isFinite(thresholdNumber) ? thresholdNumber : null}
        />
      </div>
      <div className="grid items-start gap-4 sm:grid-cols-3">
        <FormField label={t("severity")} error={errors.severity?.message}>
          <NativeSelect {...form.register("severity")}>
            {SEVERITIES.map((severity) => (
              <option key={severity} value={severity}>
                {t(`severity_${severity}`)}
              </option>
            ))}
          </NativeSelect>
        </FormField>
        <FormField label={t("forSeconds")} hint={t("forSecondsHint", { duration: formatDuration(Number(values.for_seconds) || 0) })} error={errors.for_seconds?.message}>
          <Input inputMode="numeric" autoComplete="off" {...form.register("for_seconds")} />
        </FormField>
        <FormField
          label={t("renotifySeconds")}
          hint={t("renotifySecondsHint", { duration: formatDuration(Number(values.renotify_seconds) || 0) })}
          error={errors.renotify_seconds?.message}
        >
          <Input inputMode="numeric" autoComplete="off" {...form.register("renotify_seconds")} />
        </FormField>
      </div>
      <Controller
        control={form.control}
        name="channel_ids"
        render={({ field, fieldState }) => (
          <fieldset className="grid gap-2">
            <legend className="mb-1.5 text-sm font-medium">{t("ruleChannels")}</legend>
            <p className="-mt-1 text-xs text-muted-foreground">{t("ruleChannelsHint")}</p>
            {channels.data && channels.data.length > 0 ? (
              <div className="grid gap-1.5 sm:grid-cols-2">
                {channels.data.map((channel) => (
                  <label key={channel.id} className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="size-4 accent-primary"
                      checked={field.value.includes(channel.id)}
                      onChange={(event) => field.onChange(event.target.checked ? [...field.value, channel.id] : field.value.filter((id) => id !== channel.id))}
                    />
                    <span className="truncate">{channel.name}</span>
                    <span className="text-xs text-muted-foreground">{channel.type}</span>
                    {!channel.enabled ? <span className="text-xs text-muted-foreground">({t("disabled")})</span> : null}
                  </label>
                ))}
              </div>
            ) : (
              <p className="text-sm text-muted-foreground">{channels.isPending ? t("loading") : t("noChannelsYet")}</p>
            )}
            {fieldState.error?.message ? (
              <p role="alert" className="text-xs text-destructive">
                {fieldState.error.message}
              </p>
            ) : null}
          </fieldset>
        )}
      />
      <details
        className="group rounded-md border p-3"
        open={Boolean(errors.hysteresis ?? errors.match) || (rule ? rule.hysteresis > 0 || Object.keys(rule.match).length > 0 : false) || undefined}
      >
        <summary className="cursor-pointer text-sm font-medium">{t("advanced")}</summary>
        <div className="mt-3 grid gap-4">
          <FormField label={t("hysteresis")} hint={t("hysteresisHint")} error={errors.hysteresis?.message}>
            <Input inputMode="decimal" autoComplete="off" {...form.register("hysteresis")} />
          </FormField>
          <Controller
            control={form.control}
            name="match"
            render={({ field, fieldState }) => (
              <KeyValueEditor
                label={t("ruleMatch")}
                hint={t("ruleMatchHint")}
                keyPlaceholder="mountpoint"
                valuePlaceholder="/data"
                value={field.value}
                onChange={field.onChange}
                error={fieldState.error?.message}
                errors={pairErrors(errors.match)}
              />
            )}
          />
        </div>
      </details>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="size-4 accent-primary" {...form.register("enabled")} />
        {t("ruleEnabled")}
      </label>
      <InlineError error={formError} />
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">{t("cancel")}</Button>
        </DialogClose>
        <Button type="submit" disabled={save.isPending}>
          {rule ? t("saveRule") : t("createRule")}
        </Button>
      </DialogFooter>
    </form>
  );
}
