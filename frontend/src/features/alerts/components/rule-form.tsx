import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { Controller, useForm, useWatch } from "react-hook-form";
import { useState } from "react";
import { InlineError } from "@/components/errors/error-message";
import { Button } from "@/components/ui/button";
import { DialogClose, DialogFooter } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input, NativeSelect } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import { channelsQuery } from "../api/queries";
import { useSaveRule } from "../api/mutations";
import {
  CUSTOM_METRIC,
  defaultThreshold,
  everyTarget,
  monitorChoice,
  ruleFormDefaults,
  ruleFormSchema,
  type RuleFormValues,
  ruleMetric,
  toRuleCreate,
  toRuleUpdate,
} from "../api/schemas";
import { CONDITIONS, SEVERITIES, type Rule } from "../api/types";
import { useLookups } from "../hooks/use-lookups";
import { t } from "../messages";
import { conditionSign, formatDuration, metricLabel } from "../utils/format";
import { CERT_DAYS_LEFT, COMMON_METRICS, HOST_OFFLINE, MONITOR_CHOICES, MONITOR_METRIC_NAMES, RESPONSE_TIME, unitOf } from "../utils/metrics";
import { applyServerErrors } from "@/lib/api/server-errors";
import { CurrentValue } from "./current-value";
import { KeyValueEditor, pairErrors } from "./key-value-editor";
import { MonitorNow } from "./monitor-now";
import { TargetTypeChoice } from "./target-type-choice";

const FORM_FIELDS = [
  "target_type",
  "agent_id",
  "monitor_id",
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

const UNIT_SUFFIX = { percent: "%", bytesPerSecond: "B/s", celsius: "°C", milliseconds: "ms", days: "days", seconds: "s", intervals: "", plain: "" } as const;

/** The threshold's label: what the number means for the chosen metric. */
function thresholdLabel(metric: string, unit: string): string {
  if (metric === HOST_OFFLINE) return t("thresholdIntervals");
  if (metric === RESPONSE_TIME) return t("thresholdAboveMs");
  if (metric === CERT_DAYS_LEFT) return t("thresholdWithinDays");
  return unit ? t("thresholdWithUnit", { unit }) : t("threshold");
}

/**
 * Create or edit a rule on hosts or on uptime monitors; the current value of the chosen metric
 * is shown beside the threshold.
 */
export function RuleForm({ rule, agentId, monitorId, onDone }: { rule?: Rule; agentId?: number; monitorId?: number; onDone: (rule: Rule) => void }) {
  const save = useSaveRule();
  const { hosts, hostName, monitors, monitorName } = useLookups();
  const channels = useQuery(channelsQuery());
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<RuleFormValues>({
    resolver: zodResolver(ruleFormSchema),
    defaultValues: ruleFormDefaults(rule, COMMON_METRICS, { agentId, monitorId }),
  });
  const errors = form.formState.errors;
  const values = useWatch({ control: form.control });
  const onMonitors = values.target_type === "monitor";
  const metricFields = {
    target_type: values.target_type ?? "agent",
    metric_choice: values.metric_choice ?? "",
    monitor_choice: values.monitor_choice ?? "",
    metric_custom: values.metric_custom ?? "",
  };
  const metric = ruleMetric(metricFields);
  const choice = monitorChoice(metricFields);
  const custom = (onMonitors ? values.monitor_choice : values.metric_choice) === CUSTOM_METRIC;
  const every = everyTarget({ target_type: metricFields.target_type, agent_id: values.agent_id ?? "", monitor_id: values.monitor_id ?? "" });
  const condition = choice?.condition ?? values.condition ?? "gt";
  const thresholdNumber = choice?.fixed ? choice.threshold : Number(values.threshold);
  // A new choice starts from its own threshold (ms, days), not the last one's number; going
  // back to the stored rule's choice brings its threshold back.
  const resetThreshold = (next: Partial<Pick<RuleFormValues, "target_type" | "monitor_choice">>) => {
    const target = { target_type: metricFields.target_type, monitor_choice: metricFields.monitor_choice, ...next };
    const stored = rule?.target_type === target.target_type && (target.target_type === "agent" || rule.metric_type === target.monitor_choice);
    form.setValue("threshold", rule && stored ? String(rule.threshold) : defaultThreshold(target));
  };
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
      <Controller
        control={form.control}
        name="target_type"
        render={({ field }) => (
          <TargetTypeChoice
            value={field.value}
            onChange={(next) => {
              field.onChange(next);
              resetThreshold({ target_type: next });
            }}
          />
        )}
      />
      {onMonitors ? (
        <div className="grid items-start gap-4 sm:grid-cols-2">
          <Controller
            control={form.control}
            name="monitor_id"
            // Controlled: a stored rule's monitor shows once the list arrives after the form.
            render={({ field }) => (
              <FormField label={t("ruleMonitor")} hint={t("ruleMonitorHint")} error={errors.monitor_id?.message}>
                <NativeSelect {...field}>
                  <option value="">{t("allMonitors")}</option>
                  {rule?.monitor_id != null && !monitors.some((monitor) => monitor.id === rule.monitor_id) ? <option value={rule.monitor_id}>{monitorName(rule.monitor_id)}</option> : null}
                  {monitors.map((monitor) => (
                    <option key={monitor.id} value={monitor.id}>
                      {monitor.name}
                    </option>
                  ))}
                </NativeSelect>
              </FormField>
            )}
          />
          <FormField label={t("ruleMonitorMetric")} error={custom ? undefined : errors.metric_custom?.message}>
            <NativeSelect {...form.register("monitor_choice", { onChange: (event: { target: { value: string } }) => resetThreshold({ monitor_choice: event.target.value }) })}>
              {MONITOR_CHOICES.map((item) => (
                <option key={item.metric} value={item.metric}>
                  {t(`monitorChoice_${item.metric}`)}
                </option>
              ))}
              <option value={CUSTOM_METRIC}>{t("otherMonitorMetric")}</option>
            </NativeSelect>
          </FormField>
        </div>
      ) : (
        <div className="grid items-start gap-4 sm:grid-cols-2">
          <FormField
            label={t("ruleHost")}
            hint={rule ? (rule.target_type === "agent" ? t("ruleHostFixed") : t("ruleHostFromMonitor")) : t("ruleHostHint")}
            error={errors.agent_id?.message}
          >
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
          <FormField label={t("ruleMetric")} error={custom ? undefined : errors.metric_custom?.message}>
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
      )}
      {custom ? (
        <FormField
          label={t("metricName")}
          hint={onMonitors ? t("monitorMetricNameHint", { known: MONITOR_METRIC_NAMES.join(", ") }) : t("metricNameHint")}
          error={errors.metric_custom?.message}
        >
          <Input autoComplete="off" spellCheck={false} placeholder={onMonitors ? "http_status_code" : "process_count"} {...form.register("metric_custom")} />
        </FormField>
      ) : null}
      {every ? (
        <Controller
          control={form.control}
          name="labels"
          render={({ field, fieldState }) => (
            <KeyValueEditor
              label={onMonitors ? t("ruleMonitorLabels") : t("ruleLabels")}
              hint={onMonitors ? t("ruleMonitorLabelsHint") : t("ruleLabelsHint")}
              value={field.value}
              onChange={field.onChange}
              error={fieldState.error?.message}
              errors={pairErrors(errors.labels)}
            />
          )}
        />
      ) : null}
      <div className="grid items-start gap-4 sm:grid-cols-[minmax(0,9rem)_minmax(0,9rem)_minmax(0,1fr)]">
        {choice ? null : (
          <FormField label={t("ruleCondition")} error={errors.condition?.message}>
            <NativeSelect {...form.register("condition")}>
              {CONDITIONS.map((item) => (
                <option key={item} value={item}>
                  {`${conditionSign(item)} ${t(`condition_${item}`)}`}
                </option>
              ))}
            </NativeSelect>
          </FormField>
        )}
        {choice?.fixed ? null : (
          <FormField
            label={thresholdLabel(metric, unit)}
            hint={metric === HOST_OFFLINE ? t("thresholdIntervalsHint") : undefined}
            error={errors.threshold?.message}
          >
            <Input inputMode="decimal" autoComplete="off" {...form.register("threshold")} />
          </FormField>
        )}
        {onMonitors ? (
          <MonitorNow
            className={cn(choice?.fixed ? "sm:col-span-3" : choice ? "sm:col-span-2 sm:mt-5" : "sm:mt-5")}
            metric={metric}
            monitorId={every ? null : Number(values.monitor_id)}
            labels={every ? labels : {}}
            condition={condition}
            threshold={Number.isFinite(thresholdNumber) && (choice?.fixed || values.threshold !== "") ? thresholdNumber : null}
          />
        ) : (
          <CurrentValue
            className="sm:mt-5"
            metric={metric}
            agentId={every ? null : Number(values.agent_id)}
            labels={every ? labels : {}}
            condition={condition}
            threshold={values.threshold !== "" && Number.isFinite(thresholdNumber) ? thresholdNumber : null}
          />
        )}
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
          {onMonitors ? null : (
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
          )}
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
