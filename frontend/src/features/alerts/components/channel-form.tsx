import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo, useState } from "react";
import { Controller, type Control, useForm, useWatch } from "react-hook-form";
import { InlineError } from "@/components/errors/error-message";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input, NativeSelect, Textarea } from "@/components/ui/input";
import type { Channel, ChannelType } from "../api/types";
import { t, fieldHint } from "../messages";
import {
  channelFormDefaults,
  channelFormSchema,
  type ChannelField,
  type ChannelFormValues,
  fieldsOf,
  type Pair,
  toChannelCreate,
  toChannelUpdate,
} from "../utils/channel-form";
import { applyServerErrors } from "@/lib/api/server-errors";
import type { ChannelCreate, ChannelUpdate } from "../api/types";
import { KeyValueEditor } from "./key-value-editor";

export type ChannelSubmit = { id: number; body: ChannelUpdate } | { id?: undefined; body: ChannelCreate };

/**
 * A channel's form, generated from its type (GET /channels/types): one control per setting of
 * the type's JSON schema. Secrets are never shown; editing leaves them unchanged unless retyped.
 */
export function ChannelForm({
  types,
  channel,
  pending = false,
  onSubmit,
  onCancel,
}: {
  types: readonly ChannelType[];
  channel?: Channel | undefined;
  pending?: boolean;
  /** Resolves when saved; rejects with the server's refusal, shown on the fields it names. */
  onSubmit: (request: ChannelSubmit) => Promise<unknown>;
  onCancel: () => void;
}) {
  const [typeName, setTypeName] = useState(channel?.type ?? types.find((type) => type.type === "webhook")?.type ?? types[0]?.type ?? "");
  const type = types.find((candidate) => candidate.type === typeName);
  return (
    <div className="grid gap-4">
      {channel ? null : (
        <FormField label={t("channelType")} hint={t("channelTypeHint")}>
          <NativeSelect value={typeName} onChange={(event) => setTypeName(event.target.value)}>
            {types.map((candidate) => (
              <option key={candidate.type} value={candidate.type}>
                {candidate.label}
              </option>
            ))}
          </NativeSelect>
        </FormField>
      )}
      {type ? (
        // Keyed by type: another type is another form, with its own fields and defaults.
        <GeneratedForm key={type.type} type={type} channel={channel} pending={pending} onSubmit={onSubmit} onCancel={onCancel} />
      ) : (
        <p role="alert" className="text-sm text-destructive">
          {t("unknownChannelType", { type: typeName })}
        </p>
      )}
    </div>
  );
}

function GeneratedForm({
  type,
  channel,
  pending,
  onSubmit,
  onCancel,
}: {
  type: ChannelType;
  channel: Channel | undefined;
  pending: boolean;
  onSubmit: (request: ChannelSubmit) => Promise<unknown>;
  onCancel: () => void;
}) {
  const fields = useMemo(() => fieldsOf(type), [type]);
  // Unreadable secrets (another SECRET_KEY) count as unset: they must be typed again.
  const secretsSet = useMemo(() => (channel && !channel.secrets_unreadable ? channel.secrets_set : []), [channel]);
  const mode = useMemo(() => ({ editing: Boolean(channel), secretsSet }), [channel, secretsSet]);
  const schema = useMemo(() => channelFormSchema(fields, mode), [fields, mode]);
  const form = useForm<ChannelFormValues>({ resolver: zodResolver(schema), defaultValues: channelFormDefaults(fields, type.type, channel) });
  const [formError, setFormError] = useState<string | null>(null);
  const errors = form.formState.errors;

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    const request: ChannelSubmit = channel
      ? { id: channel.id, body: toChannelUpdate(fields, values, secretsSet) }
      : { body: toChannelCreate(fields, values) };
    try {
      await onSubmit(request);
    } catch (error) {
      const paths = ["name", "type", ...fields.map((field) => `config.${field.name}`)];
      setFormError(applyServerErrors(error, paths, (path, message) => form.setError(path as "name", { message })));
    }
  });

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate aria-label={t("channelSettings", { type: type.label })}>
      <FormField label={t("channelName")} error={errors.name?.message}>
        <Input autoComplete="off" {...form.register("name")} placeholder={t("channelNamePlaceholder", { type: type.label })} />
      </FormField>
      {channel?.secrets_unreadable ? (
        <p role="alert" className="rounded-md border border-warn/50 bg-warn/15 p-2 text-sm">
          {t("secretsUnreadable")}
        </p>
      ) : null}
      {fields.map((field) => (
        <ConfigField
          key={field.name}
          field={field}
          typeName={type.type}
          control={form.control}
          stored={secretsSet.includes(field.name)}
          error={errors.config?.[field.name]?.message}
        />
      ))}
      <div className="grid gap-2">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" className="size-4 accent-primary" {...form.register("enabled")} />
          {t("channelEnabled")}
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" className="size-4 accent-primary" {...form.register("daily_summary")} />
          {t("dailySummary")}
        </label>
      </div>
      <InlineError error={formError} />
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="outline" onClick={onCancel}>
          {t("cancel")}
        </Button>
        <Button type="submit" disabled={pending || form.formState.isSubmitting}>
          {channel ? t("saveChannel") : t("createChannel")}
        </Button>
      </div>
    </form>
  );
}

function ConfigField({
  field,
  typeName,
  control,
  stored,
  error,
}: {
  field: ChannelField;
  typeName: string;
  control: Control<ChannelFormValues>;
  stored: boolean;
  error: string | undefined;
}) {
  const clearing = useWatch({ control, name: `clear.${field.name}` });
  const name = `config.${field.name}` as const;
  const optional = field.required ? "" : ` ${t("optional")}`;
  const label = `${field.label}${optional}`;
  const hint = [fieldHint(typeName, field.name), field.secret ? (stored ? t("secretStored") : t("secretWriteOnly")) : null].filter(Boolean).join(" ") || undefined;

  return (
    <Controller
      control={control}
      name={name}
      render={({ field: input }) => {
        const text = typeof input.value === "string" ? input.value : "";
        switch (field.kind) {
          case "boolean":
            return (
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" className="size-4 accent-primary" checked={input.value === true} onChange={(event) => input.onChange(event.target.checked)} />
                {field.label}
              </label>
            );
          case "map":
            return (
              <KeyValueEditor
                label={label}
                hint={hint}
                keyPlaceholder="X-Team"
                valuePlaceholder="ops"
                value={Array.isArray(input.value) ? input.value : []}
                onChange={(pairs: Pair[]) => input.onChange(pairs)}
                error={error}
              />
            );
          case "enum":
            return (
              <FormField label={label} hint={hint} error={error}>
                <NativeSelect name={input.name} value={text} onChange={input.onChange} onBlur={input.onBlur}>
                  <option value="">{field.required ? t("choose") : t("serverDefault")}</option>
                  {field.options.map((option) => (
                    <option key={option} value={option}>
                      {option}
                    </option>
                  ))}
                </NativeSelect>
              </FormField>
            );
          case "list":
          case "textarea":
          case "secretMultiline":
            return (
              <div className="grid gap-2">
                <FormField label={label} hint={hint} error={error}>
                  <Textarea
                    name={input.name}
                    value={text}
                    onChange={input.onChange}
                    onBlur={input.onBlur}
                    disabled={clearing}
                    spellCheck={false}
                    autoComplete="off"
                    placeholder={field.secret && stored ? t("secretKeepPlaceholder") : field.kind === "list" ? t("onePerLine") : undefined}
                  />
                </FormField>
                {field.secret && stored && !field.required ? <ClearSecret control={control} field={field} /> : null}
              </div>
            );
          default:
            return (
              <div className="grid gap-2">
                <FormField label={label} hint={hint} error={error}>
                  <Input
                    name={input.name}
                    value={text}
                    onChange={input.onChange}
                    onBlur={input.onBlur}
                    disabled={clearing}
                    type={field.secret ? "password" : field.format === "email" ? "email" : "text"}
                    inputMode={field.kind === "integer" ? "numeric" : field.kind === "number" ? "decimal" : undefined}
                    autoComplete={field.secret ? "new-password" : "off"}
                    spellCheck={false}
                    placeholder={field.secret && stored ? t("secretKeepPlaceholder") : undefined}
                  />
                </FormField>
                {field.secret && stored && !field.required ? <ClearSecret control={control} field={field} /> : null}
              </div>
            );
        }
      }}
    />
  );
}

function ClearSecret({ control, field }: { control: Control<ChannelFormValues>; field: ChannelField }) {
  return (
    <Controller
      control={control}
      name={`clear.${field.name}`}
      render={({ field: input }) => (
        <label className="flex items-center gap-2 text-xs text-muted-foreground">
          <input type="checkbox" className="size-4 accent-primary" checked={input.value} onChange={(event) => input.onChange(event.target.checked)} />
          {t("removeSecret", { field: field.label })}
        </label>
      )}
    />
  );
}
