import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { FlaskConical, Globe, HeartPulse, Network, Radar, ShieldCheck, Webhook } from "lucide-react";
import { type ReactNode, useMemo, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { NativeSelect } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import { useSaveMonitor, useTestMonitor } from "../api/mutations";
import { allMonitorsQuery } from "../api/queries";
import { BOUNDS, configPath, monitorFormDefaults, monitorFormSchema, type MonitorFormValues, toMonitorCreate, toMonitorUpdate } from "../api/schemas";
import { applyServerErrors } from "@/lib/api/server-errors";
import { type Monitor, MONITOR_TYPES, type MonitorKind } from "../api/types";
import { t } from "../messages";
import { CheckboxField, fieldError, type FormPath, type MonitorForm as Form, PairsEditor, TextAreaField, TextField } from "./form-fields";
import { TestResult } from "./test-result";
import { TYPE_FIELDS } from "./type-fields";

const TYPE_ICONS: Record<MonitorKind, typeof Globe> = { http: Globe, tcp: Network, ping: Radar, dns: Webhook, tls: ShieldCheck, push: HeartPulse };

/** Every field path of the form (arrays as one field): where the server's refusals may land. */
function fieldPaths(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([key, inner]) => fieldPaths(inner, prefix ? `${prefix}.${key}` : key));
}
const FIELD_PATHS = fieldPaths(monitorFormDefaults());

/** Monitors that would make a loop as this one's parent: itself and whatever depends on it. */
export function dependants(monitors: readonly Pick<Monitor, "id" | "parent_id">[], id: number): Set<number> {
  const found = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const monitor of monitors) {
      if (monitor.parent_id != null && found.has(monitor.parent_id) && !found.has(monitor.id)) {
        found.add(monitor.id);
        grew = true;
      }
    }
  }
  return found;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">{children}</CardContent>
    </Card>
  );
}

function TypePicker({ form }: { form: Form }) {
  const type = useWatch({ control: form.control, name: "type" });
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-2 text-sm font-medium">{t("typePick")}</legend>
      <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
        {MONITOR_TYPES.map((kind) => {
          const Icon = TYPE_ICONS[kind];
          return (
            <label
              key={kind}
              className={cn(
                "flex cursor-pointer items-start gap-3 rounded-md border p-3 hover:border-primary/60 has-[:focus-visible]:outline-2",
                type === kind && "border-primary bg-primary/5",
              )}
            >
              <input type="radio" value={kind} className="sr-only" {...form.register("type")} />
              <Icon className="mt-0.5 size-5 shrink-0 text-primary" aria-hidden="true" />
              <span className="grid gap-0.5">
                <span className="text-sm font-medium">{t(`type_${kind}`)}</span>
                <span className="text-xs text-muted-foreground">{t(`typeHint_${kind}`)}</span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

function ParentSelect({ form, selfId }: { form: Form; selfId: number | undefined }) {
  const all = useQuery(allMonitorsQuery());
  const options = useMemo(() => {
    const monitors = all.data?.data ?? [];
    const excluded = selfId === undefined ? new Set<number>() : dependants(monitors, selfId);
    return monitors.filter((monitor) => !excluded.has(monitor.id)).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  }, [all.data, selfId]);
  return (
    <FormField label={t("parent")} hint={t("parentHint")} error={fieldError(form, "parent_id")}>
      <NativeSelect {...form.register("parent_id")}>
        <option value="">{t("noParentOption")}</option>
        {options.map((monitor) => (
          <option key={monitor.id} value={String(monitor.id)}>
            {monitor.name}
          </option>
        ))}
      </NativeSelect>
    </FormField>
  );
}

const TARGET_LABEL: Record<Exclude<MonitorKind, "push">, { label: "targetUrl" | "targetHost" | "targetName"; placeholder: string }> = {
  http: { label: "targetUrl", placeholder: "https://example.com/health" },
  tcp: { label: "targetHost", placeholder: "db.internal" },
  ping: { label: "targetHost", placeholder: "192.168.1.1" },
  dns: { label: "targetName", placeholder: "example.com" },
  tls: { label: "targetHost", placeholder: "example.com" },
};

/**
 * Add or edit a monitor: the type's own settings, schedule, labels and dependency, checked as
 * the server checks them; "test now" runs one check of what the form says before saving.
 */
export function MonitorForm({
  monitor,
  initialType = "http",
  onSaved,
  onCancel,
}: {
  monitor?: Monitor | undefined;
  initialType?: MonitorKind;
  onSaved: (monitor: Monitor) => void;
  onCancel: () => void;
}) {
  const form = useForm<MonitorFormValues>({ resolver: zodResolver(monitorFormSchema), defaultValues: monitorFormDefaults(monitor, initialType) });
  const type = useWatch({ control: form.control, name: "type" });
  const save = useSaveMonitor();
  const test = useTestMonitor();
  const [formError, setFormError] = useState<string | null>(null);

  const refused = (error: unknown) =>
    setFormError(applyServerErrors(error, FIELD_PATHS, (field, message) => form.setError(field as FormPath, { type: "server", message }), configPath(type)));
  const submit = form.handleSubmit((values) => {
    setFormError(null);
    const onError = refused;
    if (monitor) save.mutate({ id: monitor.id, body: toMonitorUpdate(values) }, { onSuccess: onSaved, onError });
    else save.mutate({ body: toMonitorCreate(values) }, { onSuccess: onSaved, onError });
  });
  const runTest = form.handleSubmit((values) => {
    setFormError(null);
    test.reset();
    test.mutate(toMonitorCreate(values), { onError: refused });
  });
  const target = type === "push" ? null : TARGET_LABEL[type];
  const Fields = TYPE_FIELDS[type];
  const secretsKept = monitor !== undefined && monitor.secret_fields.length > 0;

  return (
    <form onSubmit={submit} noValidate className="grid max-w-4xl gap-4" aria-label={monitor ? t("editTitle", { name: monitor.name }) : t("newTitle")}>
      {monitor ? null : (
        <Card>
          <CardContent className="pt-4">
            <TypePicker form={form} />
          </CardContent>
        </Card>
      )}
      <Section title={t("groupBasics")}>
        <TextField form={form} name="name" label={t("name")} hint={t("nameHint", { max: BOUNDS.name })} autoFocus={!monitor} />
        {target ? <TextField form={form} name="target" label={t(target.label)} placeholder={target.placeholder} inputMode={type === "http" ? "url" : "text"} /> : null}
        <TextAreaField form={form} name="description" label={t("descriptionField")} hint={t("descriptionHint", { max: BOUNDS.description })} rows={2} />
        <PairsEditor
          form={form}
          name="labels"
          legend={t("labels")}
          hint={t("labelsHint", { max: BOUNDS.labels.max })}
          keyLabel={t("labelKey")}
          valueLabel={t("labelValue")}
          keyPlaceholder="env"
          valuePlaceholder="prod"
          max={BOUNDS.labels.max}
          addLabel={t("addLabel")}
        />
      </Section>
      <Section title={t(`groupType_${type}`)}>
        <Fields form={form} />
      </Section>
      <Section title={t("groupBehaviour")}>
        {type === "push" ? null : (
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField form={form} name="interval_seconds" label={t("interval")} hint={t("intervalHint", BOUNDS.interval)} inputMode="numeric" />
            <TextField form={form} name="timeout_seconds" label={t("timeout")} hint={t("timeoutHint", BOUNDS.timeout)} inputMode="decimal" />
            <TextField form={form} name="retries" label={t("retries")} hint={t("retriesHint", BOUNDS.retries)} inputMode="numeric" />
            <TextField form={form} name="retry_interval_seconds" label={t("retryInterval")} hint={t("retryIntervalHint")} inputMode="numeric" />
          </div>
        )}
        <ParentSelect form={form} selfId={monitor?.id} />
        <CheckboxField form={form} name="upside_down" label={t("upsideDown")} hint={t("upsideDownHint")} />
        <CheckboxField form={form} name="active" label={t("activeField")} hint={t("activeHint")} />
      </Section>

      {test.data ? <TestResult result={test.data} /> : null}
      {secretsKept && type !== "push" ? <p className="text-xs text-muted-foreground">{t("testSecretsHint")}</p> : null}
      {formError ? (
        <p role="alert" className="text-sm text-destructive">
          {formError}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        {type === "push" ? null : (
          <Button type="button" variant="outline" onClick={() => void runTest()} disabled={test.isPending}>
            <FlaskConical aria-hidden="true" />
            {test.isPending ? t("testing") : t("testNow")}
          </Button>
        )}
        <span className="flex-1" />
        <Button type="button" variant="ghost" onClick={onCancel} disabled={save.isPending}>
          {t("cancel")}
        </Button>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? t("saving") : monitor ? t("save") : t("create")}
        </Button>
      </div>
    </form>
  );
}
