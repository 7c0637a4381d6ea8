import { Plus, Trash2 } from "lucide-react";
import { useId } from "react";
import { type Control, type FieldErrors, type UseFormRegister, useFieldArray } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { LABEL_BOUNDS } from "../api/labels";
import type { AgentFormInput } from "../api/schemas";
import { t } from "../messages";

/** Key/value rows of an agent's labels, each field with its own error (ours or the server's). */
export function LabelEditor({
  control,
  register,
  errors,
}: {
  control: Control<AgentFormInput>;
  register: UseFormRegister<AgentFormInput>;
  errors: FieldErrors<AgentFormInput>;
}) {
  const { fields, append, remove } = useFieldArray({ control, name: "labels" });
  const id = useId();
  const setError = errors.labels?.message ?? errors.labels?.root?.message;
  return (
    <fieldset className="grid gap-2" aria-describedby={`${id}-hint${setError ? ` ${id}-error` : ""}`}>
      <legend className="text-sm font-medium">{t("labels")}</legend>
      <p id={`${id}-hint`} className="text-xs text-muted-foreground">
        {t("labelsHint", { labels: LABEL_BOUNDS.maxLabels, key: LABEL_BOUNDS.maxKey, value: LABEL_BOUNDS.maxValue })}
      </p>
      {fields.length > 0 ? (
        <div aria-hidden="true" className="grid grid-cols-[1fr_1fr_2.25rem] gap-2 text-xs font-medium text-muted-foreground">
          <span>{t("labelKey")}</span>
          <span>{t("labelValue")}</span>
        </div>
      ) : null}
      <ul className="grid gap-2">
        {fields.map((field, index) => {
          const keyError = errors.labels?.[index]?.key?.message;
          const valueError = errors.labels?.[index]?.value?.message;
          const n = index + 1;
          return (
            <li key={field.id} className="grid grid-cols-[1fr_1fr_2.25rem] items-start gap-2">
              <div className="grid gap-1">
                <Input
                  aria-label={t("labelKeyOf", { n })}
                  aria-invalid={keyError ? true : undefined}
                  aria-describedby={keyError ? `${id}-${field.id}-key` : undefined}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="env"
                  {...register(`labels.${index}.key`)}
                />
                {keyError ? (
                  <p id={`${id}-${field.id}-key`} role="alert" className="text-xs text-destructive">
                    {keyError}
                  </p>
                ) : null}
              </div>
              <div className="grid gap-1">
                <Input
                  aria-label={t("labelValueOf", { n })}
                  aria-invalid={valueError ? true : undefined}
                  aria-describedby={valueError ? `${id}-${field.id}-value` : undefined}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="prod"
                  {...register(`labels.${index}.value`)}
                />
                {valueError ? (
                  <p id={`${id}-${field.id}-value`} role="alert" className="text-xs text-destructive">
                    {valueError}
                  </p>
                ) : null}
              </div>
              <Button type="button" variant="ghost" size="icon" aria-label={t("removeLabel", { n })} onClick={() => remove(index)}>
                <Trash2 aria-hidden="true" />
              </Button>
            </li>
          );
        })}
      </ul>
      {setError ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-destructive">
          {setError}
        </p>
      ) : null}
      <Button
        type="button"
        variant="outline"
        size="sm"
        className="justify-self-start"
        disabled={fields.length >= LABEL_BOUNDS.maxLabels}
        onClick={() => append({ key: "", value: "" })}
      >
        <Plus aria-hidden="true" />
        {t("addLabel")}
      </Button>
    </fieldset>
  );
}
