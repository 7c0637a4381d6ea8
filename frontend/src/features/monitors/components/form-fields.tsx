// The monitor form's fields, bound to react-hook-form by path; each shows its own error (ours
// or the server's) through FormField, so readers hear it with the field.
import { Plus, Trash2 } from "lucide-react";
import { type ComponentProps, type ReactNode, useId } from "react";
import { Controller, type FieldError, type FieldPath, type UseFormReturn } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input, NativeSelect, Textarea } from "@/components/ui/input";
import type { KeyValue, MonitorFormValues } from "../api/schemas";
import { t } from "../messages";

export type MonitorForm = UseFormReturn<MonitorFormValues>;
export type FormPath = FieldPath<MonitorFormValues>;

export function fieldError(form: MonitorForm, name: FormPath): string | undefined {
  // A refusal of a whole set of rows (too many labels) sits at `root` beside the rows' own.
  const error = form.getFieldState(name, form.formState).error as (FieldError & { root?: FieldError }) | undefined;
  return error?.message ?? error?.root?.message;
}

export function TextField({
  form,
  name,
  label,
  hint,
  ...props
}: { form: MonitorForm; name: FormPath; label: ReactNode; hint?: ReactNode } & Omit<ComponentProps<"input">, "name" | "form">) {
  return (
    <FormField label={label} hint={hint} error={fieldError(form, name)}>
      <Input autoComplete="off" spellCheck={false} {...props} {...form.register(name)} />
    </FormField>
  );
}

export function TextAreaField({ form, name, label, hint, rows = 4 }: { form: MonitorForm; name: FormPath; label: ReactNode; hint?: ReactNode; rows?: number }) {
  return (
    <FormField label={label} hint={hint} error={fieldError(form, name)}>
      <Textarea rows={rows} spellCheck={false} className="font-mono text-xs" {...form.register(name)} />
    </FormField>
  );
}

export function SelectField({
  form,
  name,
  label,
  hint,
  options,
}: {
  form: MonitorForm;
  name: FormPath;
  label: ReactNode;
  hint?: ReactNode;
  options: readonly (readonly [string, string])[];
}) {
  return (
    <FormField label={label} hint={hint} error={fieldError(form, name)}>
      <NativeSelect {...form.register(name)}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </NativeSelect>
    </FormField>
  );
}

export function CheckboxField({ form, name, label, hint }: { form: MonitorForm; name: FormPath; label: ReactNode; hint?: ReactNode }) {
  const id = useId();
  return (
    <div className="flex items-start gap-2">
      <input id={id} type="checkbox" className="mt-0.5 size-4 accent-primary" aria-describedby={hint ? `${id}-hint` : undefined} {...form.register(name)} />
      <div className="grid gap-0.5">
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        {hint ? (
          <p id={`${id}-hint`} className="text-xs text-muted-foreground">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}

function pairError(form: MonitorForm, name: "labels" | "http.headers", index: number, part: "key" | "value"): string | undefined {
  return form.getFieldState(`${name}.${index}.${part}`, form.formState).error?.message;
}

/** Name → value rows (labels, headers), each field with its own error, and the set's own. */
export function PairsEditor({
  form,
  name,
  legend,
  hint,
  keyLabel,
  valueLabel,
  keyPlaceholder,
  valuePlaceholder,
  max,
  addLabel,
}: {
  form: MonitorForm;
  name: "labels" | "http.headers";
  addLabel: string;
  legend: string;
  hint?: string;
  keyLabel: string;
  valueLabel: string;
  keyPlaceholder: string;
  valuePlaceholder: string;
  max: number;
}) {
  const id = useId();
  const setError = fieldError(form, name);
  return (
    <Controller
      control={form.control}
      name={name}
      render={({ field }) => {
        const rows: KeyValue[] = field.value;
        const update = (index: number, patch: Partial<KeyValue>) => field.onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
        return (
          <fieldset className="grid gap-2" aria-describedby={[hint ? `${id}-hint` : null, setError ? `${id}-error` : null].filter(Boolean).join(" ") || undefined}>
            <legend className="mb-1.5 text-sm font-medium leading-none">{legend}</legend>
            {hint ? (
              <p id={`${id}-hint`} className="-mt-1 text-xs text-muted-foreground">
                {hint}
              </p>
            ) : null}
            {rows.map((row, index) => {
              const keyError = pairError(form, name, index, "key");
              const valueError = pairError(form, name, index, "value");
              const n = index + 1;
              return (
                <div key={index} className="grid grid-cols-[1fr_1fr_2.25rem] items-start gap-2">
                  <div className="grid gap-1">
                    <Input
                      aria-label={t("pairKeyOf", { what: keyLabel, n })}
                      value={row.key}
                      placeholder={keyPlaceholder}
                      autoComplete="off"
                      spellCheck={false}
                      aria-invalid={keyError ? true : undefined}
                      aria-describedby={keyError ? `${id}-${index}-key` : undefined}
                      onChange={(event) => update(index, { key: event.target.value })}
                      onBlur={field.onBlur}
                    />
                    {keyError ? (
                      <p id={`${id}-${index}-key`} role="alert" className="text-xs text-destructive">
                        {keyError}
                      </p>
                    ) : null}
                  </div>
                  <div className="grid gap-1">
                    <Input
                      aria-label={t("pairValueOf", { what: valueLabel, n })}
                      value={row.value}
                      placeholder={valuePlaceholder}
                      autoComplete="off"
                      spellCheck={false}
                      aria-invalid={valueError ? true : undefined}
                      aria-describedby={valueError ? `${id}-${index}-value` : undefined}
                      onChange={(event) => update(index, { value: event.target.value })}
                      onBlur={field.onBlur}
                    />
                    {valueError ? (
                      <p id={`${id}-${index}-value`} role="alert" className="text-xs text-destructive">
                        {valueError}
                      </p>
                    ) : null}
                  </div>
                  <Button type="button" variant="ghost" size="icon" aria-label={t("removeRow", { what: keyLabel, n })} onClick={() => field.onChange(rows.filter((_, i) => i !== index))}>
                    <Trash2 aria-hidden="true" />
                  </Button>
                </div>
              );
            })}
            {setError ? (
              <p id={`${id}-error`} role="alert" className="text-xs text-destructive">
                {setError}
              </p>
            ) : null}
            <Button type="button" variant="outline" size="sm" className="justify-self-start" disabled={rows.length >= max} onClick={() => field.onChange([...rows, { key: "", value: "" }])}>
              <Plus aria-hidden="true" />
              {addLabel}
            </Button>
          </fieldset>
        );
      }}
    />
  );
}
