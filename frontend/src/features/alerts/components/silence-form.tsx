import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { InlineError } from "@/components/errors/error-message";
import { Button } from "@/components/ui/button";
import { DialogClose, DialogFooter } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input, NativeSelect } from "@/components/ui/input";
import { useCreateSilence } from "../api/mutations";
import { silenceFormDefaults, silenceFormSchema, type SilenceFormValues, toSilenceCreate } from "../api/schemas";
import { useLookups } from "../hooks/use-lookups";
import { t } from "../messages";
import { describeCondition } from "../utils/format";
import { applyServerErrors } from "@/lib/api/server-errors";
import { browserTimeZone, toLocalInput } from "../utils/silence-time";
import { KeyValueEditor, pairErrors } from "./key-value-editor";
import { SILENCE_DURATIONS } from "./silence-alert-dialog";

const FORM_FIELDS = ["agent_id", "rule_id", "labels", "starts_at", "ends_at", "weekdays", "window_start", "window_end", "comment"] as const;

/** Weekday names in the browser's language, Monday first (the API's 0). */
export function weekdayNames(style: "long" | "short" = "short"): string[] {
  const format = new Intl.DateTimeFormat(undefined, { weekday: style, timeZone: "UTC" });
  return Array.from({ length: 7 }, (_, day) => format.format(new Date(Date.UTC(2024, 0, 1 + day)))); // 2024-01-01 was a Monday
}

/** A silence (a period) or a weekly maintenance window; times are the browser's own. */
export function SilenceForm({ kind, onDone }: { kind: SilenceFormValues["kind"]; onDone: () => void }) {
  const create = useCreateSilence();
  const { hosts, rules, ruleTarget } = useLookups();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<SilenceFormValues>({ resolver: zodResolver(silenceFormSchema), defaultValues: silenceFormDefaults(kind) });
  const errors = form.formState.errors;
  const startsAt = useWatch({ control: form.control, name: "starts_at" });
  const zone = browserTimeZone();
  const days = weekdayNames("short");
  const longDays = weekdayNames("long");

  const submit = form.handleSubmit((values) => {
    setFormError(null);
    create.mutate(toSilenceCreate(values, zone), {
      onSuccess: onDone,
      onError: (error) =>
        setFormError(applyServerErrors(error, FORM_FIELDS, (field, message) => form.setError(field as (typeof FORM_FIELDS)[number], { message }))),
    });
  });
  const endAfter = (seconds: number) => {
    const from = startsAt ? new Date(startsAt) : new Date();
    // The input holds whole minutes: round up, so "1 hour" is never a minute short.
    const ends = Math.ceil((from.getTime() + seconds * 1000) / 60_000) * 60_000;
    form.setValue("ends_at", toLocalInput(new Date(ends)), { shouldValidate: true });
  };

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <div className="grid items-start gap-4 sm:grid-cols-2">
        <FormField label={t("silenceHost")} error={errors.agent_id?.message}>
          <NativeSelect {...form.register("agent_id")}>
            <option value="">{t("anyHost")}</option>
            {hosts.map((host) => (
              <option key={host.id} value={host.id}>
                {host.name}
              </option>
            ))}
          </NativeSelect>
        </FormField>
        <FormField label={t("silenceRule")} error={errors.rule_id?.message}>
          <NativeSelect {...form.register("rule_id")}>
            <option value="">{t("anyRule")}</option>
            {rules.map((rule) => (
              <option key={rule.id} value={rule.id}>
                {`#${rule.id} ${describeCondition(rule.metric_type, rule.condition, rule.threshold)} · ${ruleTarget(rule)}`}
              </option>
            ))}
          </NativeSelect>
        </FormField>
      </div>
      <Controller
        control={form.control}
        name="labels"
        render={({ field, fieldState }) => (
          <KeyValueEditor
            label={t("silenceLabels")}
            hint={t("silenceLabelsHint")}
            value={field.value}
            onChange={field.onChange}
            error={fieldState.error?.message}
            errors={pairErrors(errors.labels)}
          />
        )}
      />
      {kind === "period" ? (
        <>
          <div className="grid items-start gap-4 sm:grid-cols-2">
            <FormField label={t("startsAt")} hint={t("startsAtHint")} error={errors.starts_at?.message}>
              <Input type="datetime-local" {...form.register("starts_at")} />
            </FormField>
            <FormField label={t("endsAt")} hint={t("inYourZone", { zone })} error={errors.ends_at?.message}>
              <Input type="datetime-local" {...form.register("ends_at")} />
            </FormField>
          </div>
          <div className="flex flex-wrap items-center gap-2" role="group" aria-label={t("endAfter")}>
            <span className="text-sm text-muted-foreground">{t("endAfter")}</span>
            {SILENCE_DURATIONS.map((choice) => (
              <Button key={choice.seconds} size="sm" variant="outline" onClick={() => endAfter(choice.seconds)}>
                {t(choice.label)}
              </Button>
            ))}
          </div>
        </>
      ) : (
        <>
          <Controller
            control={form.control}
            name="weekdays"
            render={({ field, fieldState }) => (
              <fieldset className="grid gap-2">
                <legend className="mb-1.5 text-sm font-medium">{t("weekdays")}</legend>
                <div className="flex flex-wrap gap-2">
                  {days.map((day, index) => (
                    <label
                      key={index}
                      className="flex cursor-pointer items-center gap-1.5 rounded-md border px-2.5 py-1.5 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary/10 has-[:focus-visible]:outline-2"
                    >
                      <input
                        type="checkbox"
                        className="size-4 accent-primary"
                        aria-label={longDays[index]}
                        checked={field.value.includes(index)}
                        onChange={(event) => field.onChange(event.target.checked ? [...field.value, index] : field.value.filter((d) => d !== index))}
                      />
                      <span aria-hidden="true">{day}</span>
                    </label>
                  ))}
                </div>
                {fieldState.error?.message ? (
                  <p role="alert" className="text-xs text-destructive">
                    {fieldState.error.message}
                  </p>
                ) : null}
              </fieldset>
            )}
          />
          <div className="grid grid-cols-2 items-start gap-4">
            <FormField label={t("windowStart")} error={errors.window_start?.message}>
              <Input type="time" {...form.register("window_start")} />
            </FormField>
            <FormField label={t("windowEnd")} hint={t("windowEndHint")} error={errors.window_end?.message}>
              <Input type="time" {...form.register("window_end")} />
            </FormField>
          </div>
          <p className="text-xs text-muted-foreground">{t("windowZone", { zone })}</p>
        </>
      )}
      <FormField label={t("comment")} error={errors.comment?.message}>
        <Input maxLength={500} placeholder={t("commentPlaceholder")} {...form.register("comment")} />
      </FormField>
      <InlineError error={formError} />
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">{t("cancel")}</Button>
        </DialogClose>
        <Button type="submit" disabled={create.isPending}>
          {kind === "period" ? t("createSilence") : t("createWindow")}
        </Button>
      </DialogFooter>
    </form>
  );
}
