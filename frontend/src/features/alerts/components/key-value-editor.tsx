import { Plus, Trash2 } from "lucide-react";
import { useId } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import type { KeyValue } from "../api/schemas";
import { t } from "../messages";

export interface PairErrors {
  key?: string | undefined;
  value?: string | undefined;
}

function messageAt(row: unknown, name: string): string | undefined {
  if (!row || typeof row !== "object" || !(name in row)) return undefined;
  const error: unknown = (row as Record<string, unknown>)[name];
  return error && typeof error === "object" && "message" in error && typeof error.message === "string" ? error.message : undefined;
}

/** The per-row errors react-hook-form keeps for an array of pairs. */
export function pairErrors(errors: unknown): PairErrors[] {
  return Array.isArray(errors) ? errors.map((row: unknown) => ({ key: messageAt(row, "key"), value: messageAt(row, "value") })) : [];
}

/** Editable name → value pairs (labels, matchers, headers): one row each, labelled for readers. */
export function KeyValueEditor({
  label,
  hint,
  value,
  onChange,
  errors = [],
  error,
  disabled = false,
  keyPlaceholder = "env",
  valuePlaceholder = "prod",
  addLabel,
}: {
  label: string;
  hint?: string | undefined;
  value: KeyValue[];
  onChange: (value: KeyValue[]) => void;
  errors?: readonly (PairErrors | undefined)[];
  error?: string | undefined;
  disabled?: boolean;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
  addLabel?: string;
}) {
  const id = useId();
  const update = (index: number, patch: Partial<KeyValue>) => onChange(value.map((pair, i) => (i === index ? { ...pair, ...patch } : pair)));
  return (
    <fieldset className="grid gap-2" aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend className="mb-1.5 text-sm font-medium leading-none">{label}</legend>
      {hint ? (
        <p id={`${id}-hint`} className="-mt-1 text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {value.map((pair, index) => {
        const rowErrors = errors[index];
        return (
          <div key={index} className="grid grid-cols-[1fr_1fr_auto] items-start gap-2">
            <div className="grid gap-1">
              <Label htmlFor={`${id}-k${index}`} className="sr-only">
                {t("pairName", { n: index + 1 })}
              </Label>
              <Input
                id={`${id}-k${index}`}
                value={pair.key}
                placeholder={keyPlaceholder}
                disabled={disabled}
                aria-invalid={rowErrors?.key ? true : undefined}
                aria-describedby={rowErrors?.key ? `${id}-ke${index}` : undefined}
                onChange={(event) => update(index, { key: event.target.value })}
              />
              {rowErrors?.key ? (
                <p id={`${id}-ke${index}`} role="alert" className="text-xs text-destructive">
                  {rowErrors.key}
                </p>
              ) : null}
            </div>
            <div className="grid gap-1">
              <Label htmlFor={`${id}-v${index}`} className="sr-only">
                {t("pairValue", { n: index + 1 })}
              </Label>
              <Input
                id={`${id}-v${index}`}
                value={pair.value}
                placeholder={valuePlaceholder}
                disabled={disabled}
                aria-invalid={rowErrors?.value ? true : undefined}
                onChange={(event) => update(index, { value: event.target.value })}
              />
              {rowErrors?.value ? (
                <p role="alert" className="text-xs text-destructive">
                  {rowErrors.value}
                </p>
              ) : null}
            </div>
            <Button
              variant="ghost"
              size="icon"
              disabled={disabled}
              aria-label={t("removePair", { n: index + 1 })}
              onClick={() => onChange(value.filter((_, i) => i !== index))}
            >
              <Trash2 aria-hidden="true" />
            </Button>
          </div>
        );
      })}
      <Button variant="outline" size="sm" className="justify-self-start" disabled={disabled} onClick={() => onChange([...value, { key: "", value: "" }])}>
        <Plus aria-hidden="true" />
        {addLabel ?? t("addPair")}
      </Button>
      {error ? (
        <p role="alert" className="text-xs text-destructive">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
